package io.wsreactor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the whole comparison: start every server in its own JVM pinned to CPU 0, run the scenarios S1–S5 against
 * them from this JVM (start this JVM pinned to CPU 1: {@code taskset -c 1 java ...}), round-robin over the servers
 * within each scenario, sample the server's CPU time and work counters over each measured window, measure its
 * heap per idle connection, kill them all; then write {@code results.md}, {@code results.csv} and
 * {@code chart.svg} into the output folder.
 *
 * <p>Options: {@code --quick} (a few seconds per cell, 1,000 idle connections) or {@code --full} (the default);
 * {@code --servers async,virtual,threads,netty,jws,plain} (and, only when named, threads-spin-park, threads-spin,
 * virtual-spin-park); {@code --scenarios S1,S2,S3,S4,S5};
 * {@code --out bench/results}; {@code --warmup SECONDS}, {@code --measure SECONDS}, {@code --idle N} to override;
 * {@code --repeat N} runs each traffic cell N times and keeps the median run (S1 by p50, S4 by p99, S2 and S3 by
 * messages per server CPU-second)
 * (the full mode's default is 3, the quick mode's 1); {@code --no-wait} skips waiting for another comparison
 * running on the machine; {@code --server-cpus 0,1} pins each server to that CPU set instead of CPU 0 (a
 * {@code taskset -c} list) and {@code --reactors N} runs wsreactor on N reactors and Netty on N event loops.
 *
 * <p>{@code --tls ec} or {@code --tls rsa} runs the comparison over {@code wss://}: a fresh self-signed ECDSA P-256
 * or RSA 2048 pair is made in {@code bench/target/tls} ({@link BenchCerts}), every WebSocket server serves it, the
 * load generator speaks TLS 1.3 with {@code TLS_AES_128_GCM_SHA256} only (so all servers negotiate the same), and
 * wsreactor async over plain {@code ws://} runs beside them as the reference. Its default scenarios are S1, S2, S5,
 * S6 and S7 (the handshake storm), its default output {@code bench/results/tls-KIND}.
 */
public final class Runner {
    /** No run of the comparison may take longer than this, whatever the options. */
    private static final Duration RUN_BOUND = Duration.ofMinutes(30);
    /** How long to wait for another comparison on this machine to finish before going ahead anyway. */
    private static final Duration WAIT_FOR_OTHERS = Duration.ofMinutes(10);

    private Runner() {
    }

    /**
     * Runs the comparison and prints where the results went.
     *
     * @param args the options above
     * @throws Exception if the results cannot be written
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        List<String> serverIds = null;
        List<Scenario> scenarios = new ArrayList<>(List.of(Scenario.values()));
        Path out = Path.of("bench/results");
        Duration warmup = null;
        Duration measure = null;
        Integer idle = null;
        int repeat = 0;
        boolean wait = true;
        String tlsKind = null;
        boolean scenariosGiven = false;
        boolean outGiven = false;
        String serverCpus = "0";
        int reactors = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--servers" -> serverIds = Arrays.asList(args[++i].split(","));
                case "--scenarios" -> {
                    scenarios = Arrays.stream(args[++i].split(",")).map(Scenario::valueOf).toList();
                    scenariosGiven = true;
                }
                case "--out" -> {
                    out = Path.of(args[++i]);
                    outGiven = true;
                }
                case "--tls" -> tlsKind = args[++i];
                case "--warmup" -> warmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                case "--measure" -> measure = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--no-wait" -> wait = false;
                case "--server-cpus" -> serverCpus = args[++i];
                case "--reactors" -> reactors = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (warmup == null) {
            warmup = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
        }
        if (measure == null) {
            measure = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
        }
        if (repeat == 0) {
            repeat = quick ? 1 : 3;
        }
        int idleConnections = idle != null ? idle : quick ? 1_000 : 10_000;
        List<Target> targets = new ArrayList<>();
        for (Target target : Target.all(reactors)) {
            if (serverIds == null || serverIds.contains(target.id())) {
                targets.add(target);
            }
        }
        for (Target target : Target.waitStrategies()) {
            if (serverIds != null && serverIds.contains(target.id())) {
                targets.add(target);
            }
        }
        ClientTls clientTls = null;
        String tlsNote = null;
        if (tlsKind != null) {
            BenchCerts certs = BenchCerts.make(Path.of("bench/target/tls"), tlsKind);
            clientTls = ClientTls.trusting(certs.cert());
            targets = Target.overTls(targets, certs.cert(), certs.key());
            tlsNote = "over wss:// (TLS " + ClientTls.PROTOCOL.substring(4) + ", " + ClientTls.CIPHER + ", "
                    + (tlsKind.equals("ec") ? "ECDSA P-256" : "RSA 2048") + " self-signed certificate, every "
                    + "handshake a full one: no session resumption)";
            if (!scenariosGiven) {
                scenarios = List.of(Scenario.S1, Scenario.S2, Scenario.S5, Scenario.S8, Scenario.S6, Scenario.S7);
            }
            if (!outGiven) {
                out = Path.of("bench/results/tls-" + tlsKind);
            }
        } else if (scenariosGiven && (scenarios.contains(Scenario.S7) || scenarios.contains(Scenario.S8))) {
            throw new IllegalArgumentException("S7 and S8 (TLS handshake storms) need --tls ec|rsa");
        } else if (!scenariosGiven) {
            scenarios = List.of(Scenario.S1, Scenario.S2, Scenario.S3, Scenario.S4, Scenario.S5);
        }
        Files.createDirectories(out);
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        long deadline = System.nanoTime() + RUN_BOUND.toNanos();
        Map<Target, Map<Scenario, Cell>> cells = new LinkedHashMap<>();
        Map<Target, ServerProcess> servers = startAll(targets, scenarios, out, cells, serverCpus);
        try {
            runInterleaved(servers, scenarios, warmup, measure, idleConnections, repeat, wait, deadline, cells,
                    clientTls);
        } finally {
            servers.values().forEach(ServerProcess::close);
        }
        Report report = new Report(cells, scenarios, quick ? "quick" : "full", started, warmup, measure,
                idleConnections, repeat, "servers on CPUs " + serverCpus + ", " + reactors + " reactor(s)/loop(s); "
                + "load average before " + loadBefore + ", after " + loadAverage(), tlsNote);
        Files.writeString(out.resolve("results.md"), report.markdown());
        Files.writeString(out.resolve("results.csv"), report.csv());
        Files.writeString(out.resolve("chart.svg"), new Chart(cells).svg());
        System.out.println(report.markdown());
        System.out.println("wrote " + out.resolve("results.md") + ", results.csv and chart.svg");
    }

    /** Starts every server (each pinned to {@code cpus}; idle ones cost nothing) and makes them die with this JVM. */
    private static Map<Target, ServerProcess> startAll(List<Target> targets, List<Scenario> scenarios, Path out,
            Map<Target, Map<Scenario, Cell>> cells, String cpus) throws InterruptedException {
        Map<Target, ServerProcess> servers = new LinkedHashMap<>();
        for (Target target : targets) {
            Map<Scenario, Cell> row = new EnumMap<>(Scenario.class);
            cells.put(target, row);
            try {
                ServerProcess server = ServerProcess.start(target.javaHome(), target.jvmOptions(), target.mainClass(),
                        target.args(), cpus, out.resolve("logs").resolve(target.id() + ".log"));
                servers.put(target, server);
                System.out.println("started " + target.label() + " (pid " + server.pid() + ")");
            } catch (IOException e) {
                System.out.println(target.label() + " cannot start: " + e.getMessage());
                scenarios.forEach(s -> row.put(s, new Cell(target, s, null, -1, -1, -1, "did not start")));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.values().forEach(ServerProcess::close),
                "kill-servers"));
        return servers;
    }

    /**
     * Runs the traffic scenarios round-robin over the servers (scenario by scenario, each round one run per
     * server), so that whatever else the machine does at a given minute disturbs every server alike; keeps, per
     * server and scenario, the median run (by p50 in S1, by p99 in S4, by messages per server CPU-second in S2
     * and S3). A failed run is kept at once
     * (failures are not noise). S5 runs last, once per server, while the other servers sit idle.
     */
    private static void runInterleaved(Map<Target, ServerProcess> servers, List<Scenario> scenarios,
            Duration warmup, Duration measure, int idleConnections, int repeat, boolean wait, long deadline,
            Map<Target, Map<Scenario, Cell>> cells, ClientTls clientTls) throws InterruptedException {
        for (Scenario scenario : scenarios) {
            int runs = scenario == Scenario.S5 ? 1 : repeat;
            Map<Target, List<Cell>> done = new LinkedHashMap<>();
            for (int round = 0; round < runs; round++) {
                if (wait) {
                    waitForOtherRunners();
                }
                for (Map.Entry<Target, ServerProcess> entry : servers.entrySet()) {
                    Target target = entry.getKey();
                    ServerProcess server = entry.getValue();
                    if (!target.tls() && clientTls != null
                            && (scenario == Scenario.S6 || scenario == Scenario.S7 || scenario == Scenario.S8)) {
                        continue; // the storm is TLS; the plain-ws reference sits it out
                    }
                    List<Cell> previous = done.computeIfAbsent(target, t -> new ArrayList<>());
                    if (!previous.isEmpty() && !previous.get(previous.size() - 1).ok()) {
                        continue;
                    }
                    Cell cell;
                    if (System.nanoTime() > deadline) {
                        cell = new Cell(target, scenario, null, -1, -1, -1, "run bound reached");
                    } else if (!server.alive()) {
                        cell = new Cell(target, scenario, null, -1, -1, -1, "server died");
                    } else {
                        cell = CellRun.run(server, target, scenario, warmup, measure, idleConnections,
                                target.tls() ? clientTls : null);
                    }
                    previous.add(cell);
                    System.out.println("   " + scenario + " " + target.id() + (runs > 1 ? " run " + (round + 1) : "")
                            + ": " + summary(cell));
                    Thread.sleep(300);
                }
            }
            for (Map.Entry<Target, List<Cell>> entry : done.entrySet()) {
                List<Cell> runsOfCell = entry.getValue();
                Cell last = runsOfCell.get(runsOfCell.size() - 1);
                Cell kept = last;
                if (last.ok()) {
                    List<Cell> sorted = new ArrayList<>(runsOfCell);
                    sorted.sort(java.util.Comparator.comparingDouble(medianKey(scenario)));
                    kept = sorted.get(sorted.size() / 2);
                }
                cells.get(entry.getKey()).put(scenario, kept);
            }
        }
    }

    /** What "the median run" is judged by: latency for the latency scenarios, per-CPU throughput otherwise. */
    private static java.util.function.ToDoubleFunction<Cell> medianKey(Scenario scenario) {
        return switch (scenario) {
            case S1 -> cell -> cell.micros(50);
            case S4, S6, S7 -> cell -> cell.micros(99);
            case S8 -> Cell::perCpuSecond;
            default -> Cell::perCpuSecond;
        };
    }

    /**
     * Waits (up to {@link #WAIT_FOR_OTHERS}) while another comparison runs on this machine: two at once would
     * measure each other.
     */
    private static void waitForOtherRunners() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
        // This JVM and the shells or wrappers that started it name the runner too: they are not "another".
        java.util.Set<Long> mine = new java.util.HashSet<>();
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            mine.add(p.get().pid());
        }
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> other = ProcessHandle.allProcesses()
                    .filter(p -> !mine.contains(p.pid())
                            && p.info().command().orElse("").endsWith("/java")
                            && p.info().commandLine().orElse("").contains(Runner.class.getName()))
                    .findFirst();
            if (other.isEmpty()) {
                return;
            }
            System.out.println("   waiting: another comparison runs as pid " + other.get().pid());
            Thread.sleep(10_000);
        }
    }

    /** The 1, 5 and 15 minute load averages: how busy the machine was with other work. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String summary(Cell cell) {
        if (!cell.ok()) {
            return "FAILED: " + cell.problem();
        }
        LoadResult r = cell.result();
        if (cell.scenario() == Scenario.S8) {
            return String.format("%.0f handshakes/s, server CPU %.0f%%, %.0f per CPU-s", r.messagesPerSecond(),
                    100 * cell.cpuFraction(), cell.perCpuSecond());
        }
        if (cell.scenario() == Scenario.S5) {
            return String.format("%d connections, %.0f handshakes/s, heap %.0f B/conn, RSS %.0f B/conn",
                    r.connectionsOpened(), r.handshakesPerSecond(), cell.heapBytesPerConnection(),
                    cell.residentBytesPerConnection());
        }
        return String.format("%.0f msg/s, %.1f MB/s, server CPU %.0f%%, %.0f per CPU-s, p50 %.1f us, p99 %.1f us, "
                + "per msg: %.3f reads, %.3f writes, %.3f wake-ups",
                r.messagesPerSecond(), r.megabytesPerSecond(), 100 * cell.cpuFraction(), cell.perCpuSecond(),
                cell.micros(50), cell.micros(99), cell.perMessage(0), cell.perMessage(1), cell.perMessage(2))
                + (cell.stormHandshakesPerSecond() >= 0
                        ? String.format(", storm %.0f handshakes/s", cell.stormHandshakesPerSecond()) : "");
    }
}
