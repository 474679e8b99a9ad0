package io.wsreactor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The load generator's side of {@code wss://}: TLS 1.3 with {@value #CIPHER} only, trusting exactly one server
 * certificate (a test certificate made for the run). Every connection gets a fresh {@link SSLEngine} made without a
 * peer host, so the JDK never resumes a session: each connection is a full handshake (key exchange and the server's
 * signature), which is what the handshake figures are meant to count.
 */
final class ClientTls {
    static final String PROTOCOL = "TLSv1.3";
    static final String CIPHER = "TLS_AES_128_GCM_SHA256";

    private final SSLContext context;

    private ClientTls(SSLContext context) {
        this.context = context;
    }

    /**
     * A client trusting the first certificate of the PEM file {@code serverCert} and nothing else.
     *
     * @throws IOException if the file cannot be read or holds no certificate
     */
    static ClientTls trusting(Path serverCert) throws IOException {
        try (InputStream in = Files.newInputStream(serverCert)) {
            X509Certificate pinned = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(null, new TrustManager[] {new PinnedTrust(pinned)}, null);
            return new ClientTls(context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + serverCert + ": " + e.getMessage(), e);
        }
    }

    /** A client-mode engine for one connection, TLS 1.3 and {@value #CIPHER} only. */
    SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {PROTOCOL});
        engine.setEnabledCipherSuites(new String[] {CIPHER});
        return engine;
    }

    /** The TLS side of a connected {@code channel}; the handshake runs as it is read and written. */
    TlsChannel wrap(SocketChannel channel) throws SSLException {
        return new TlsChannel(channel, newEngine());
    }

    /** The bytes of a ClientHello as this client sends it (for a handshake storm that replays it). */
    byte[] clientHello() throws SSLException {
        SSLEngine engine = newEngine();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Trusts one certificate, by its encoding; no path building, so the client spends no time on it. */
    private static final class PinnedTrust extends X509ExtendedTrustManager {
        private final X509Certificate pinned;

        PinnedTrust(X509Certificate pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain.length == 0 || !Arrays.equals(chain[0].getEncoded(), pinned.getEncoded())) {
                throw new CertificateException("the server's certificate is not the one this run trusts");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a load client accepts no client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}
