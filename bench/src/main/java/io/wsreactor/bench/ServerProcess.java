package io.wsreactor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server under test, running in its own JVM pinned to a CPU set with {@code taskset}: started, watched through
 * {@code /proc/<pid>} (CPU time, resident memory) and {@code jcmd} (live heap after a full GC), and killed.
 *
 * <p>Linux only. Used from the runner's thread.
 */
final class ServerProcess implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    private final String javaHome;
    final int port;

    private ServerProcess(Process process, String javaHome, int port) {
        this.process = process;
        this.javaHome = javaHome;
        this.port = port;
    }

    /**
     * Starts {@code mainClass} with {@code args} (after {@code --host 127.0.0.1 --port P}) on a free port, pinned
     * to the CPU set {@code cpu} (a {@code taskset -c} list such as {@code 0} or {@code 0,1}), and waits until the port
     * accepts connections.
     *
     * @param javaHome the JDK to run it with
     * @param jvmOptions extra JVM options
     * @param log where the server's output goes
     * @throws IOException if it cannot be started or does not listen within 30 seconds
     */
    static ServerProcess start(String javaHome, List<String> jvmOptions, String mainClass, List<String> args,
            String cpu, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (cpu != null) {
            command.addAll(List.of("taskset", "-c", cpu));
        }
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(List.of("-Xms1g", "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return launch(command, args, Map.of(), javaHome, log);
    }

    /**
     * Starts {@code command} followed by {@code --host 127.0.0.1 --port P} (a free port) and {@code args}, with
     * {@code environment} added to its own, and waits until the port accepts connections.
     *
     * @param javaHome the JDK whose {@code jcmd} {@link #liveHeapBytes} uses (any, for a server not on the JVM)
     * @param log where the server's output goes
     * @throws IOException if it cannot be started or does not listen within 30 seconds
     */
    static ServerProcess launch(List<String> command, List<String> args, Map<String, String> environment,
            String javaHome, Path log) throws IOException, InterruptedException {
        int port = freePort();
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        full.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        ServerProcess server = new ServerProcess(process, javaHome, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        server.close();
        throw new IOException("server did not listen on " + port + " within 30 s; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The server's pid. */
    long pid() {
        return process.pid();
    }

    /** Whether the server is still running. */
    boolean alive() {
        return process.isAlive();
    }

    /** User plus system CPU time used so far by all the server's threads, in nanoseconds (10 ms resolution). */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Counters of the server's work so far: {@code [read syscalls, write syscalls, voluntary context switches]}
     * (from {@code /proc/PID/io} and every thread's {@code /proc/PID/task/TID/status}); -1 where unknown.
     * A voluntary context switch is a thread going to sleep: one per wake-up.
     */
    long[] workCounters() {
        long[] counters = {-1, -1, -1};
        Path proc = Path.of("/proc", Long.toString(pid()));
        try {
            for (String line : Files.readAllLines(proc.resolve("io"))) {
                if (line.startsWith("syscr:")) {
                    counters[0] = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscw:")) {
                    counters[1] = Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // leave -1: unknown
        }
        try (java.util.stream.Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            long switches = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException threadEnded) {
                    // a thread that ended meanwhile: its switches are lost, a small undercount
                }
            }
            counters[2] = switches;
        } catch (IOException | RuntimeException e) {
            // leave -1: unknown
        }
        return counters;
    }

    /** The server's resident set size in bytes, or -1 if unknown. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The bytes of live heap objects: runs {@code jcmd GC.class_histogram}, which collects garbage first, and
     * reads its total.
     *
     * @return the bytes, or -1 if jcmd failed
     */
    long liveHeapBytes() throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder(Path.of(javaHome, "bin", "jcmd").toString(), Long.toString(pid()),
                    "GC.class_histogram").redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return -1;
            }
            for (String line : output.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("Total")) {
                    String[] parts = trimmed.split("\\s+");
                    return Long.parseLong(parts[2]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Kills the server and waits (up to 10 s) for it to go; an interrupt ends the wait and is kept. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
