package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wsreactor.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's wss:// recipe: a self-signed pair made with openssl, the echo server on it, the JDK client. */
class EchoServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void servesWssWithTheReadmesSelfSignedPair() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        // The command the README shows, word for word.
        int exit;
        try {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "365", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            openssl.getInputStream().readAllBytes();
            exit = openssl.waitFor(60, TimeUnit.SECONDS) ? openssl.exitValue() : -1;
        } catch (IOException e) {
            exit = -1;
        }
        assumeTrue(exit == 0, "openssl is not installed or too old for -addext");

        try (EchoServer echo = EchoServer.start("127.0.0.1", 0, EchoServer.Mode.THREADS, 1 << 20,
                io.wsreactor.ProxyProtocol.OFF, null, TlsContexts.fromPem(cert, key))) {
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            CompletableFuture<String> reply = new CompletableFuture<>();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + echo.port() + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText("hello wss", true).get(10, TimeUnit.SECONDS);
            assertEquals("hello wss", reply.get(10, TimeUnit.SECONDS));
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            assertTrue(echo.server().stats().handshakesAccepted() >= 1);
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trusted.setCertificateEntry("echo", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
