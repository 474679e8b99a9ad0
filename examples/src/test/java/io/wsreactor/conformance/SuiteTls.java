package io.wsreactor.conformance;

import io.wsreactor.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for running the suite over {@code wss://} (-Dws.tls=true): a self-signed EC P-256 certificate made once with the
 * JDK's keytool for the in-process server, and a raw client that trusts any certificate — it tests the WebSocket
 * layer through TLS, not certificate checking.
 */
public final class SuiteTls {
    private static final String PASSWORD = "changeit";
    private static SSLContext server;
    private static Path certificatePem;

    private SuiteTls() {
    }

    static synchronized SSLContext serverContext() throws Exception {
        if (server == null) {
            Path dir = Files.createTempDirectory("wsreactor-suite-tls");
            Path store = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "36500", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
            server = TlsContexts.fromPkcs12(store, PASSWORD.toCharArray());
            java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD.toCharArray());
            }
            byte[] der = keyStore.getCertificate("server").getEncoded();
            certificatePem = dir.resolve("server-cert.pem");
            Files.writeString(certificatePem, "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
            dir.toFile().deleteOnExit(); // registered first, deleted last
            certificatePem.toFile().deleteOnExit();
            Files.delete(store);
        }
        return server;
    }

    /** The in-process server's certificate as a PEM file, for clients that trust a CA file (made with the context). */
    public static synchronized Path certificatePem() throws Exception {
        serverContext();
        return certificatePem;
    }

    /** A client context that trusts any server certificate. */
    static SSLContext trustingClientContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingAll()}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static final class TrustingAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
