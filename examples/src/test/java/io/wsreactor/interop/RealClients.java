package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real clients of the interoperability tests (scripts in interop/clients), each run against a URL with an
 * environment of its own and expected to end with exit status 0 and "ALL OK". A missing tool skips the test, or
 * fails it when CI=true ({@link ExternalTools#require}).
 */
final class RealClients {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);

    private RealClients() {
    }

    /** Node's {@code ws} package. */
    static void nodeWs(String url, Map<String, String> environment) throws Exception {
        Path node = node();
        Path interop = ExternalTools.interopDir();
        ExternalTools.require(Files.isDirectory(interop.resolve("node_modules/ws")), "the npm package ws (npm ci in interop/)");
        expectAllOk(ExternalTools.run(List.of(node.toString(), "clients/node-ws-client.mjs", url), interop,
                CLIENT_TIMEOUT, environment), "node ws client");
    }

    /** Python's {@code websockets} (Debian's python3-websockets). */
    static void pythonWebsockets(String url, Map<String, String> environment) throws Exception {
        Path python = ExternalTools.executable("/usr/bin/python3", "python3");
        ExternalTools.require(python != null, "python3");
        ExternalTools.require(ExternalTools.pythonHasModule(python, "websockets"),
                "the python module websockets (Debian package python3-websockets)");
        expectAllOk(ExternalTools.run(List.of(python.toString(), "clients/python_websockets_client.py", url),
                ExternalTools.interopDir(), CLIENT_TIMEOUT, environment), "python websockets client");
    }

    /** Headless Chromium driven by playwright-core. */
    static void chromium(String url, Map<String, String> environment) throws Exception {
        Path node = node();
        Path interop = ExternalTools.interopDir();
        ExternalTools.require(Files.isDirectory(interop.resolve("node_modules/playwright-core")),
                "the npm package playwright-core (npm ci in interop/)");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        ExternalTools.require(Files.isExecutable(Path.of(chromium)), chromium + " (Debian package chromium)");
        expectAllOk(ExternalTools.run(List.of(node.toString(), "clients/chromium-client.mjs", url), interop,
                CLIENT_TIMEOUT, environment), "headless chromium");
    }

    private static Path node() {
        Path node = ExternalTools.onPath("node");
        ExternalTools.require(node != null, "node (Debian package nodejs)");
        return node;
    }

    private static void expectAllOk(ExternalTools.Outcome outcome, String client) {
        assertEquals(0, outcome.exitCode(), client + " failed; it printed:\n" + outcome.output());
        assertTrue(outcome.output().contains("ALL OK"), client + " did not finish its checks:\n" + outcome.output());
    }
}
