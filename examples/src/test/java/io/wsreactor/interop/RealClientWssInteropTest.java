package io.wsreactor.interop;

import io.wsreactor.conformance.InProcessEchoServer;
import io.wsreactor.conformance.SuiteTls;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real clients of {@link RealClientInteropTest} again, over {@code wss://} against the in-process EchoServer
 * with its self-signed test certificate: python-websockets trusts that certificate as its CA file, Node's ws and
 * Chromium are told to accept any certificate (they test the WebSocket layer through TLS, not certificate checks).
 * A missing tool skips its test, or fails it when CI=true. The JDK client over wss is in the reactor's WssTest.
 */
class RealClientWssInteropTest {
    private static InProcessEchoServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = InProcessEchoServer.start(System.getProperty("ws.mode", "threads"), InProcessEchoServer.SUITE_MAX_MESSAGE,
                true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void nodeWsClientEchoesEverythingOverWss() throws Exception {
        RealClients.nodeWs(server.url(), Map.of("NODE_TLS_REJECT_UNAUTHORIZED", "0"));
    }

    @Test
    void pythonWebsocketsClientEchoesEverythingOverWss() throws Exception {
        RealClients.pythonWebsockets(server.url(),
                Map.of("SSL_CERT_FILE", SuiteTls.certificatePem().toString()));
    }

    @Test
    void headlessChromiumEchoesEverythingOverWss() throws Exception {
        RealClients.chromium(server.url(), Map.of("WSREACTOR_TRUST_ANY_CERT", "1"));
    }
}
