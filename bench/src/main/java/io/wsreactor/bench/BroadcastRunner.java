package io.wsreactor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out comparison (what {@code bench/broadcast.sh} runs): each server in turn, pinned to CPU 0 (this runner,
 * which is the load, is pinned to CPU 1 by the script), under {@link BroadcastLoad}: one publisher, 1,000
 * subscribers, 64-byte messages at a fixed rate; then the same with 1 % of the subscribers stalled. Per run: healthy
 * deliveries per second and per server CPU-second (utime + stime from {@code /proc/PID/stat} over the measured
 * window), publish-to-receipt p50 and p99, messages lost by healthy subscribers, and the server's resident memory at
 * the end of the window. Writes {@code broadcast.md} into {@code --out}.
 *
 * <p>Flags: {@code --servers wsreactor,netty,jws,node}, {@code --subscribers 1000}, {@code --stalled-percent 1},
 * {@code --rate 200}, {@code --size 64}, {@code --warmup 5}, {@code --measure 15}, {@code --out bench/results}.
 */
public final class BroadcastRunner {
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("wsreactor", "wsreactor BroadcastServer (async, topic)");
        LABELS.put("netty", "Netty 4.2, 1 event loop, ChannelGroup, shared buffer");
        LABELS.put("jws", "Java-WebSocket 1.6.0 broadcast()");
        LABELS.put("node", "Node ws 8 (loop of send)");
    }

    private BroadcastRunner() {
    }

    /** Runs the comparison. */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        List<String> servers = List.of(flags.getOrDefault("--servers", "wsreactor,netty,jws,node").split(","));
        int subscribers = Integer.parseInt(flags.getOrDefault("--subscribers", "1000"));
        int stalledPercent = Integer.parseInt(flags.getOrDefault("--stalled-percent", "1"));
        int rate = Integer.parseInt(flags.getOrDefault("--rate", "200"));
        int size = Integer.parseInt(flags.getOrDefault("--size", "64"));
        int warmup = Integer.parseInt(flags.getOrDefault("--warmup", "5"));
        int measure = Integer.parseInt(flags.getOrDefault("--measure", "15"));
        Path out = Path.of(flags.getOrDefault("--out", "bench/results"));
        int stalled = subscribers * stalledPercent / 100;
        waitForOtherComparisons();

        List<String> rows = new ArrayList<>();
        rows.add("| server | stalled | deliveries/s | per server CPU-s | vs Netty | p50 µs | p99 µs | undelivered | RSS MB |");
        rows.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int stalledCount : stalled == 0 ? new int[] {0} : new int[] {0, stalled}) {
            double nettyPerCpu = Double.NaN;
            List<String[]> cells = new ArrayList<>();
            for (String id : servers) {
                BroadcastLoad.Settings settings = new BroadcastLoad.Settings(subscribers, stalledCount, rate, size,
                        warmup, measure);
                Run run = runOne(id, settings, out);
                System.out.println(id + " stalled=" + stalledCount + ": " + run);
                if (id.equals("netty")) {
                    nettyPerCpu = run.perCpuSecond();
                }
                cells.add(new String[] {id, Integer.toString(stalledCount), format(run.result.deliveriesPerSecond()),
                        format(run.perCpuSecond()), Double.toString(run.perCpuSecond()),
                        micros(run.result.latency(), 50), micros(run.result.latency(), 99),
                        Long.toString(run.result.lost()),
                        format(run.rssBytes / 1048576.0) + (run.result.error() == null ? "" : " (" + run.result.error()
                        + ")")});
            }
            for (String[] cell : cells) {
                double ratio = Double.parseDouble(cell[4]) / nettyPerCpu;
                rows.add("| " + LABELS.getOrDefault(cell[0], cell[0]) + " | " + cell[1] + " | " + cell[2] + " | "
                        + cell[3] + " | " + (Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f×", ratio))
                        + " | " + cell[5] + " | " + cell[6] + " | " + cell[7] + " | " + cell[8] + " |");
            }
        }
        String table = "Broadcast: 1 publisher, " + subscribers + " subscribers, " + size + " B binary at " + rate
                + " msg/s (" + warmup + " s warm-up, " + measure + " s measured); servers pinned to CPU 0, load to CPU 1."
                + "\n\n" + String.join("\n", rows) + "\n";
        Files.createDirectories(out);
        Files.writeString(out.resolve("broadcast.md"), table, StandardCharsets.UTF_8);
        System.out.println(table);
    }

    /**
     * Waits, at most ten minutes, while another comparison ({@code Runner} or this one) runs on the machine: two at
     * once would measure each other, both pinning their servers to CPU 0.
     */
    private static void waitForOtherComparisons() throws InterruptedException {
        java.util.Set<Long> mine = new java.util.HashSet<>();
        for (java.util.Optional<ProcessHandle> p = java.util.Optional.of(ProcessHandle.current()); p.isPresent();
                p = p.get().parent()) {
            mine.add(p.get().pid());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            java.util.Optional<ProcessHandle> other = ProcessHandle.allProcesses()
                    .filter(p -> !mine.contains(p.pid()) && p.info().command().orElse("").endsWith("/java"))
                    .filter(p -> {
                        String line = p.info().commandLine().orElse("");
                        return line.contains(Runner.class.getName()) || line.contains(BroadcastRunner.class.getName());
                    })
                    .findFirst();
            if (other.isEmpty()) {
                return;
            }
            System.out.println("   waiting: another comparison runs as pid " + other.get().pid());
            Thread.sleep(10_000);
        }
    }

    /** A percentile in microseconds; "—" when no message sent in the window was received at all. */
    private static String micros(LatencyHistogram latency, double percentile) {
        return latency.count() == 0 ? "—" : format(latency.percentile(percentile) / 1000.0);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.1f", value);
    }

    /** One server under one load. */
    private record Run(BroadcastLoad.Result result, long cpuNanos, long rssBytes) {
        double perCpuSecond() {
            return result.deliveries() / (cpuNanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f deliveries/s, %.0f per CPU-s, p50 %d µs, p99 %d µs, lost %d, "
                    + "RSS %d MB%s", result.deliveriesPerSecond(), perCpuSecond(),
                    result.latency().percentile(50) / 1000, result.latency().percentile(99) / 1000, result.lost(),
                    rssBytes >> 20, result.error() == null ? "" : ", error: " + result.error());
        }
    }

    private static Run runOne(String id, BroadcastLoad.Settings settings, Path out) throws Exception {
        String javaHome = System.getProperty("java.home");
        String java = Path.of(javaHome, "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of("taskset", "-c", "0"));
        List<String> jvm = List.of(java, "-Xms1g", "-Xmx1g", "-cp", classPath);
        switch (id) {
            case "wsreactor" -> {
                command.addAll(jvm);
                command.add("io.wsreactor.examples.BroadcastServer");
            }
            case "netty" -> {
                command.addAll(jvm);
                command.addAll(List.of("-Dio.netty.leakDetection.level=disabled",
                        "io.wsreactor.bench.servers.NettyBroadcastServer"));
            }
            case "jws" -> {
                command.addAll(jvm);
                command.add("io.wsreactor.bench.servers.JavaWebSocketBroadcastServer");
            }
            case "node" -> command.addAll(List.of("node", "bench/node/broadcast-server.js"));
            default -> throw new IllegalArgumentException("unknown server " + id);
        }
        List<String> args = id.equals("wsreactor") ? List.of("--mode", "async") : List.of();
        Path log = out.resolve("logs").resolve("broadcast-" + id + ".log");
        Map<String, String> environment =
                Map.of("NODE_PATH", Path.of("interop", "node_modules").toAbsolutePath().toString());
        try (ServerProcess server = ServerProcess.launch(command, args, environment, javaHome, log)) {
            long[] cpu = new long[2];
            long[] rss = new long[1];
            BroadcastLoad.Result result = BroadcastLoad.run("127.0.0.1", server.port, settings,
                    new BroadcastLoad.Window() {
                        @Override
                        public void started() {
                            cpu[0] = server.cpuNanos();
                        }

                        @Override
                        public void ended() {
                            cpu[1] = server.cpuNanos();
                            rss[0] = server.residentBytes();
                        }
                    });
            return new Run(result, cpu[1] - cpu[0], rss[0]);
        }
    }
}
