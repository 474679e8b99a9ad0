package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.conformance.InProcessEchoServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clients people use, against an in-process EchoServer: each sends text, binary, 1 MiB, a fragmented message
 * (where the client can), a ping (where it can), closes with 1000 and a reason, and checks the echoes and the close
 * code it sees. The scripts live in interop/clients; a missing tool skips its test, or fails it when CI=true.
 */
class RealClientInteropTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);

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
        Path node = ExternalTools.onPath("node");
        ExternalTools.require(node != null, "node (Debian package nodejs)");
        Path interop = ExternalTools.interopDir();
        ExternalTools.require(Files.isDirectory(interop.resolve("node_modules/ws")), "the npm package ws (npm ci in interop/)");
        expectAllOk(ExternalTools.run(List.of(node.toString(), "clients/node-ws-client.mjs", server.url()), interop,
                CLIENT_TIMEOUT), "node ws client");
    }

    @Test
    void pythonWebsocketsClientEchoesEverythingAndSeesClose1000() throws Exception {
        Path python = ExternalTools.executable("/usr/bin/python3", "python3");
        ExternalTools.require(python != null, "python3");
        ExternalTools.require(ExternalTools.pythonHasModule(python, "websockets"),
                "the python module websockets (Debian package python3-websockets)");
        expectAllOk(ExternalTools.run(List.of(python.toString(), "clients/python_websockets_client.py", server.url()),
                ExternalTools.interopDir(), CLIENT_TIMEOUT), "python websockets client");
    }

    @Test
    void headlessChromiumEchoesEverythingAndSeesCleanClose1000() throws Exception {
        Path node = ExternalTools.onPath("node");
        ExternalTools.require(node != null, "node (Debian package nodejs)");
        Path interop = ExternalTools.interopDir();
        ExternalTools.require(Files.isDirectory(interop.resolve("node_modules/playwright-core")),
                "the npm package playwright-core (npm ci in interop/)");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        ExternalTools.require(Files.isExecutable(Path.of(chromium)), chromium + " (Debian package chromium)");
        expectAllOk(ExternalTools.run(List.of(node.toString(), "clients/chromium-client.mjs", server.url()), interop,
                CLIENT_TIMEOUT), "headless chromium");
    }

    private static void expectAllOk(ExternalTools.Outcome outcome, String client) {
        assertEquals(0, outcome.exitCode(), client + " failed; it printed:\n" + outcome.output());
        assertTrue(outcome.output().contains("ALL OK"), client + " did not finish its checks:\n" + outcome.output());
    }
}
