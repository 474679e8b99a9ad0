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
 * running on the machine.
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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--servers" -> serverIds = Arrays.asList(args[++i].split(","));
                case "--scenarios" -> scenarios = Arrays.stream(args[++i].split(",")).map(Scenario::valueOf).toList();
                case "--out" -> out = Path.of(args[++i]);
                case "--warmup" -> warmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                case "--measure" -> measure = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--no-wait" -> wait = false;
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
        for (Target target : Target.all()) {
            if (serverIds == null || serverIds.contains(target.id())) {
                targets.add(target);
            }
        }
        for (Target target : Target.waitStrategies()) {
            if (serverIds != null && serverIds.contains(target.id())) {
                targets.add(target);
            }
        }
        Files.createDirectories(out);
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        long deadline = System.nanoTime() + RUN_BOUND.toNanos();
        Map<Target, Map<Scenario, Cell>> cells = new LinkedHashMap<>();
        Map<Target, ServerProcess> servers = startAll(targets, scenarios, out, cells);
        try {
            runInterleaved(servers, scenarios, warmup, measure, idleConnections, repeat, wait, deadline, cells);
        } finally {
            servers.values().forEach(ServerProcess::close);
        }
        Report report = new Report(cells, scenarios, quick ? "quick" : "full", started, warmup, measure,
                idleConnections, repeat, "load average before " + loadBefore + ", after " + loadAverage());
        Files.writeString(out.resolve("results.md"), report.markdown());
        Files.writeString(out.resolve("results.csv"), report.csv());
        Files.writeString(out.resolve("chart.svg"), new Chart(cells).svg());
        System.out.println(report.markdown());
        System.out.println("wrote " + out.resolve("results.md") + ", results.csv and chart.svg");
    }

    /** Starts every server (each pinned to CPU 0; idle ones cost nothing) and makes them die with this JVM. */
    private static Map<Target, ServerProcess> startAll(List<Target> targets, List<Scenario> scenarios, Path out,
            Map<Target, Map<Scenario, Cell>> cells) throws InterruptedException {
        Map<Target, ServerProcess> servers = new LinkedHashMap<>();
        for (Target target : targets) {
            Map<Scenario, Cell> row = new EnumMap<>(Scenario.class);
            cells.put(target, row);
            try {
                ServerProcess server = ServerProcess.start(target.javaHome(), target.jvmOptions(), target.mainClass(),
                        target.args(), "0", out.resolve("logs").resolve(target.id() + ".log"));
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
            Map<Target, Map<Scenario, Cell>> cells) throws InterruptedException {
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
                        cell = runCell(server, target, scenario, warmup, measure, idleConnections);
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
            case S4 -> cell -> cell.micros(99);
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

    private static Cell runCell(ServerProcess server, Target target, Scenario scenario, Duration warmup,
            Duration measure, int idleConnections) throws InterruptedException {
        LoadConfig config = scenario.config(server.port, warmup, measure, idleConnections).withRaw(target.raw());
        long[] cpu = new long[2];
        long[][] work = new long[2][];
        long[] memory = new long[4];
        if (scenario == Scenario.S5) {
            memory[0] = server.liveHeapBytes();
            memory[1] = server.residentBytes();
        }
        LoadListener listener = new LoadListener() {
            @Override
            public void measurementStarted() {
                cpu[0] = server.cpuNanos();
                work[0] = server.workCounters();
            }

            @Override
            public void measurementEnded() {
                cpu[1] = server.cpuNanos();
                work[1] = server.workCounters();
            }

            @Override
            public void connectionsOpen(int open) {
                try {
                    Thread.sleep(500);
                    memory[2] = server.liveHeapBytes();
                    memory[3] = server.residentBytes();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        LoadResult result;
        try {
            result = new LoadGenerator(config, listener).run();
        } catch (IOException e) {
            return new Cell(target, scenario, null, -1, -1, -1, "load generator failed: " + e);
        }
        double cpuSeconds = cpu[0] < 0 || cpu[1] < 0 ? -1 : (cpu[1] - cpu[0]) / 1e9;
        double heap = -1;
        double resident = -1;
        if (scenario == Scenario.S5 && result.connectionsOpened() > 0) {
            if (memory[0] >= 0 && memory[2] >= 0) {
                heap = (double) (memory[2] - memory[0]) / result.connectionsOpened();
            }
            if (memory[1] >= 0 && memory[3] >= 0) {
                resident = (double) (memory[3] - memory[1]) / result.connectionsOpened();
            }
        }
        long[] workDelta = null;
        if (work[0] != null && work[1] != null) {
            workDelta = new long[3];
            for (int i = 0; i < 3; i++) {
                workDelta[i] = work[0][i] < 0 || work[1][i] < 0 ? -1 : work[1][i] - work[0][i];
            }
        }
        return new Cell(target, scenario, result, cpuSeconds, heap, resident, null, workDelta);
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
        if (cell.scenario() == Scenario.S5) {
            return String.format("%d connections, %.0f handshakes/s, heap %.0f B/conn, RSS %.0f B/conn",
                    r.connectionsOpened(), r.handshakesPerSecond(), cell.heapBytesPerConnection(),
                    cell.residentBytesPerConnection());
        }
        return String.format("%.0f msg/s, %.1f MB/s, server CPU %.0f%%, %.0f per CPU-s, p50 %.1f us, p99 %.1f us, "
                + "per msg: %.3f reads, %.3f writes, %.3f wake-ups",
                r.messagesPerSecond(), r.megabytesPerSecond(), 100 * cell.cpuFraction(), cell.perCpuSecond(),
                cell.micros(50), cell.micros(99), cell.perMessage(0), cell.perMessage(1), cell.perMessage(2));
    }
}
