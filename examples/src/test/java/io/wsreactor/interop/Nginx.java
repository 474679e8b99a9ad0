package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An nginx process for one test, run from a configuration template in interop/nginx/ with its own prefix directory
 * and a free port; stopped and its directory removed on close. Skipped without nginx, failed without it when CI=true.
 */
final class Nginx implements AutoCloseable {
    private final Path prefix;
    private final int port;
    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private Nginx(Path prefix, int port, Process process) {
        this.prefix = prefix;
        this.port = port;
        this.process = process;
        ExternalTools.drain(process.getInputStream(), output);
    }

    /** The nginx executable; skips (or under CI fails) the calling test when there is none. */
    static Path executable() {
        Path nginx = ExternalTools.executable("/usr/sbin/nginx", "nginx");
        ExternalTools.require(nginx != null, "nginx (Debian package nginx)");
        return nginx;
    }

    /**
     * The directive that makes the {@code stream} module available: a {@code load_module} line when nginx was built
     * with it as a dynamic module, nothing when it is built in. Skips (or under CI fails) the calling test when nginx
     * has no stream module at all.
     */
    static String streamModuleDirective() throws IOException, InterruptedException {
        String version = ExternalTools.run(List.of(executable().toString(), "-V"), Path.of("."),
                Duration.ofSeconds(30)).output();
        if (version.contains("--with-stream=dynamic")) {
            Matcher modules = Pattern.compile("--modules-path=(\\S+)").matcher(version);
            Path module = Path.of(modules.find() ? modules.group(1) : "/usr/lib/nginx/modules")
                    .resolve("ngx_stream_module.so");
            ExternalTools.require(Files.isRegularFile(module), "nginx's stream module " + module
                    + " (Debian package libnginx-mod-stream)");
            return "load_module " + module + ";";
        }
        ExternalTools.require(version.contains("--with-stream"), "nginx built with the stream module");
        return "";
    }

    /**
     * Starts nginx with the template {@code interop/nginx/<name>}: {@code @PREFIX@} and {@code @LISTEN_PORT@} are filled
     * in here, the other placeholders from {@code values}. Returns once nginx accepts connections.
     */
    static Nginx start(String name, Map<String, String> values) throws IOException, InterruptedException {
        Path nginx = executable();
        Path template = ExternalTools.interopDir().resolve("nginx").resolve(name);
        if (!Files.isRegularFile(template)) {
            fail("missing " + template);
        }
        Path prefix = Files.createTempDirectory("wsreactor-nginx-");
        // workers may run as an unprivileged user when the test runs as root: let them reach the prefix
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        String config = Files.readString(template).replace("@PREFIX@", prefix.toString())
                .replace("@LISTEN_PORT@", String.valueOf(port));
        for (Map.Entry<String, String> value : values.entrySet()) {
            config = config.replace("@" + value.getKey() + "@", value.getValue());
        }
        Files.writeString(prefix.resolve("nginx.conf"), config);
        Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("error.log").toString(),
                "-g", "daemon off;").redirectErrorStream(true).start();
        Nginx started = new Nginx(prefix, port, process);
        try {
            started.awaitListening();
        } catch (Throwable e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The port nginx listens on (127.0.0.1). */
    int port() {
        return port;
    }

    /** A file of the prefix directory as text, or a note that it is missing (for assertion messages). */
    String read(String file) {
        return ExternalTools.readOrNote(prefix.resolve(file));
    }

    /** Stops nginx (SIGTERM: a fast shutdown that flushes the logs) and waits for it; the prefix stays until close. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Stops nginx if it still runs and removes its prefix directory. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(prefix)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void awaitListening() throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) { // at most about 20 s
            if (!process.isAlive()) {
                fail("nginx exited with " + process.exitValue() + ":\n" + ExternalTools.text(output) + "\nerror log:\n"
                        + read("error.log"));
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
