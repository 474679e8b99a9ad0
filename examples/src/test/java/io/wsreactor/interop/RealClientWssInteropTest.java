package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.conformance.InProcessEchoServer;
import io.wsreactor.conformance.SuiteTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);

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
        Path node = ExternalTools.onPath("node");
        ExternalTools.require(node != null, "node (Debian package nodejs)");
        Path interop = ExternalTools.interopDir();
        ExternalTools.require(Files.isDirectory(interop.resolve("node_modules/ws")), "the npm package ws (npm ci in interop/)");
        expectAllOk(ExternalTools.run(List.of(node.toString(), "clients/node-ws-client.mjs", server.url()), interop,
                CLIENT_TIMEOUT, Map.of("NODE_TLS_REJECT_UNAUTHORIZED", "0")), "node ws client");
    }

    @Test
    void pythonWebsocketsClientEchoesEverythingOverWss() throws Exception {
        Path python = ExternalTools.executable("/usr/bin/python3", "python3");
        ExternalTools.require(python != null, "python3");
        ExternalTools.require(ExternalTools.pythonHasModule(python, "websockets"),
                "the python module websockets (Debian package python3-websockets)");
        expectAllOk(ExternalTools.run(List.of(python.toString(), "clients/python_websockets_client.py", server.url()),
                ExternalTools.interopDir(), CLIENT_TIMEOUT,
                Map.of("SSL_CERT_FILE", SuiteTls.certificatePem().toString())), "python websockets client");
    }

    @Test
    void headlessChromiumEchoesEverythingOverWss() throws Exception {
        Path node = ExternalTools.onPath("node");
        ExternalTools.require(node != null, "node (Debian package nodejs)");
        Path interop = ExternalTools.interopDir();
        ExternalTools.require(Files.isDirectory(interop.resolve("node_modules/playwright-core")),
                "the npm package playwright-core (npm ci in interop/)");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        ExternalTools.require(Files.isExecutable(Path.of(chromium)), chromium + " (Debian package chromium)");
        expectAllOk(ExternalTools.run(List.of(node.toString(), "clients/chromium-client.mjs", server.url()), interop,
                CLIENT_TIMEOUT, Map.of("WSREACTOR_TRUST_ANY_CERT", "1")), "headless chromium");
    }

    private static void expectAllOk(ExternalTools.Outcome outcome, String client) {
        assertEquals(0, outcome.exitCode(), client + " failed; it printed:\n" + outcome.output());
        assertTrue(outcome.output().contains("ALL OK"), client + " did not finish its checks:\n" + outcome.output());
    }
}
