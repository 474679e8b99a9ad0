package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finding and running the programs the interoperability tests need (node, python3, chromium, nginx). A missing
 * program skips its test on a developer's machine but fails it under CI (env CI=true), where .ci/run installs them.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    /** What a finished process printed (stdout and stderr merged) and its exit code. */
    record Outcome(int exitCode, String output) {
    }

    /** Skips the calling test when {@code present} is false, or fails it when CI=true. */
    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " is missing; .ci/run must install it (CI=true, so this is a failure, not a skip)");
        }
        Assumptions.abort(what + " is missing; skipped (it would fail under CI=true)");
    }

    /** The repository's interop/ folder: -Dws.interop.dir, or found by walking up from the working directory. */
    static Path interopDir() {
        String configured = System.getProperty("ws.interop.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop").resolve("package.json"))) {
                return dir.resolve("interop");
            }
        }
        throw new AssertionError("cannot find the repository's interop/ folder above " + Path.of("").toAbsolutePath()
                + "; set -Dws.interop.dir");
    }

    /** The first executable called {@code name} on PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code preferred} when it is executable, otherwise {@code name} on PATH, otherwise null. */
    static Path executable(String preferred, String name) {
        Path path = Path.of(preferred);
        return Files.isExecutable(path) ? path : onPath(name);
    }

    /**
     * Runs {@code command} in {@code workDir} and waits at most {@code timeout}; a process still running then is
     * killed and the test fails with what it printed.
     */
    static Outcome run(List<String> command, Path workDir, Duration timeout) throws IOException, InterruptedException {
        return run(command, workDir, timeout, java.util.Map.of());
    }

    /** As {@link #run(List, Path, Duration)}, with {@code environment} added to the process's environment. */
    static Outcome run(List<String> command, Path workDir, Duration timeout, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = drain(process.getInputStream(), output);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            pump.join(5_000);
            fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s; it printed:\n"
                    + text(output));
        }
        pump.join(5_000);
        return new Outcome(process.exitValue(), text(output));
    }

    /** Copies {@code in} into {@code out} on a daemon thread until end of stream. */
    static Thread drain(InputStream in, ByteArrayOutputStream out) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (out) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended: what it printed so far is all there is
            }
        }, "process-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Whether {@code python} can import {@code module}. */
    static boolean pythonHasModule(Path python, String module) {
        try {
            Process process = new ProcessBuilder(python.toString(), "-c", "import " + module)
                    .redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads a whole file as UTF-8, or a note that it is missing. */
    static String readOrNote(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(" + file + " does not exist)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
