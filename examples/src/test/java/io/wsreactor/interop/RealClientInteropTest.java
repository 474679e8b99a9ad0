package io.wsreactor.interop;

import io.wsreactor.conformance.InProcessEchoServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clients people use, against an in-process EchoServer: each sends text, binary, 1 MiB, a fragmented message
 * (where the client can), a ping (where it can), closes with 1000 and a reason, and checks the echoes and the close
 * code it sees. The scripts live in interop/clients; a missing tool skips its test, or fails it when CI=true.
 */
class RealClientInteropTest {
    private static InProcessEchoServer server;

    @BeforeAll
    static void startServer() throws Exception {
        // the blocking, thread-per-peer echo here; the conformance suite covers the async one by default
        server = InProcessEchoServer.start(System.getProperty("ws.mode", "threads"), InProcessEchoServer.SUITE_MAX_MESSAGE);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void jdkHttpClientWebSocketEchoesEverythingAndSeesClose1000() throws Exception {
        JdkClientChecks.run(URI.create(server.url()));
    }

    @Test
    void nodeWsClientEchoesEverythingAndSeesClose1000() throws Exception {
        RealClients.nodeWs(server.url(), Map.of());
    }

    @Test
    void pythonWebsocketsClientEchoesEverythingAndSeesClose1000() throws Exception {
        RealClients.pythonWebsockets(server.url(), Map.of());
    }

    @Test
    void headlessChromiumEchoesEverythingAndSeesCleanClose1000() throws Exception {
        RealClients.chromium(server.url(), Map.of());
    }
}
