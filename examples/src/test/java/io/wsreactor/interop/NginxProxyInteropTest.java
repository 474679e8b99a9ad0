package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wsreactor.conformance.InProcessEchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * nginx in front of two EchoServers with the standard WebSocket proxy configuration
 * (interop/nginx/wsreactor-proxy.conf.template): the JDK client's echo checks pass through it, and both backends
 * serve connections. Skipped without nginx, failed without it when CI=true.
 */
class NginxProxyInteropTest {
    private static final int CONNECTIONS = 4;

    @Test
    void echoesThroughNginxAndSpreadsConnectionsOverBothBackends() throws Exception {
        Path nginx = ExternalTools.executable("/usr/sbin/nginx", "nginx");
        ExternalTools.require(nginx != null, "nginx (Debian package nginx)");
        Path template = ExternalTools.interopDir().resolve("nginx/wsreactor-proxy.conf.template");
        assertTrue(Files.isRegularFile(template), "missing " + template);

        Path prefix = Files.createTempDirectory("wsreactor-nginx-");
        // workers may run as an unprivileged user when the test runs as root: let them reach the prefix
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InProcessEchoServer first = InProcessEchoServer.start("async", 2 << 20);
                InProcessEchoServer second = InProcessEchoServer.start("threads", 2 << 20)) {
            int port = freePort();
            Files.writeString(prefix.resolve("nginx.conf"), Files.readString(template)
                    .replace("@PREFIX@", prefix.toString())
                    .replace("@LISTEN_PORT@", String.valueOf(port))
                    .replace("@BACKEND_1@", "127.0.0.1:" + first.port())
                    .replace("@BACKEND_2@", "127.0.0.1:" + second.port()));
            Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c",
                    prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("error.log").toString(),
                    "-g", "daemon off;").redirectErrorStream(true).start();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            ExternalTools.drain(process.getInputStream(), output);
            try {
                awaitListening(process, port, prefix, output);
                for (int i = 0; i < CONNECTIONS; i++) {
                    JdkClientChecks.run(URI.create("ws://127.0.0.1:" + port + "/echo"));
                }
            } finally {
                stop(process);
            }
            String accessLog = ExternalTools.readOrNote(prefix.resolve("access.log"));
            for (InProcessEchoServer backend : List.of(first, second)) {
                assertTrue(accessLog.contains("101 127.0.0.1:" + backend.port() + " "),
                        "backend 127.0.0.1:" + backend.port() + " served no WebSocket connection; access log:\n" + accessLog
                                + "\nerror log:\n" + ExternalTools.readOrNote(prefix.resolve("error.log")));
            }
        } finally {
            deleteTree(prefix);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(Process process, int port, Path prefix, ByteArrayOutputStream output)
            throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) { // at most about 20 s
            if (!process.isAlive()) {
                fail("nginx exited with " + process.exitValue() + ":\n" + ExternalTools.text(output) + "\nerror log:\n"
                        + ExternalTools.readOrNote(prefix.resolve("error.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("nginx did not listen on port " + port + " within 20 s:\n" + ExternalTools.text(output));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown, which also flushes the access log
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
