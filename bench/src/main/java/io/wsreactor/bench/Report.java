package io.wsreactor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Turns the cells of one comparison run into a markdown report (tables, ratios, targets) and a CSV. */
final class Report {
    private final Map<Target, Map<Scenario, Cell>> cells;
    private final List<Scenario> scenarios;
    private final String mode;
    private final Instant started;
    private final Duration warmup;
    private final Duration measure;
    private final int idleConnections;
    private final int repeat;
    private final String machineLoad;
    /** What the TLS of a {@code wss://} run was, or null for a {@code ws://} run. */
    private final String tlsNote;

    Report(Map<Target, Map<Scenario, Cell>> cells, List<Scenario> scenarios, String mode, Instant started,
            Duration warmup, Duration measure, int idleConnections, int repeat, String machineLoad, String tlsNote) {
        this.tlsNote = tlsNote;
        this.cells = cells;
        this.scenarios = scenarios;
        this.mode = mode;
        this.started = started;
        this.warmup = warmup;
        this.measure = measure;
        this.idleConnections = idleConnections;
        this.repeat = repeat;
        this.machineLoad = machineLoad;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# wsreactor load comparison").append(tlsNote == null ? "" : " over wss://").append("\n\n");
        if (tlsNote != null) {
            md.append("All WebSocket servers ").append(tlsNote).append("; \"wsreactor async ws (no TLS)\" is the "
                    + "same server over plain ws:// for reference. S7's storm replays one recorded ClientHello on "
                    + Scenario.STORM_HANDSHAKES + " connections at once, each closed when the server's answer arrives "
                    + "(its key exchange and signature done), and opens the next.\n\n");
        }
        md.append(String.format(Locale.ROOT, "Run %s (%s mode: %d s warm-up + %d s measured per cell, median of %d "
                + "runs (S1 by p50, S4/S6/S7 by p99, S2/S3 by per-CPU throughput), S5 once with %,d connections); "
                + "%d CPUs, each server in its own JVM pinned to CPU 0 (all started at once, measured round-robin, "
                + "idle while another is measured), the load generator pinned to CPU 1; load JVM %s; server JVMs "
                + "-Xms1g -Xmx1g on JDK 17 "
                + "(wsreactor virtual on JDK 25). "
                + "\"per CPU-s\" is messages (S3: payload MB, S5: handshakes) per second of server "
                + "CPU time (utime+stime from /proc) over the measured window. Latency is from each message's "
                + "intended send time, in microseconds. Machine: %s.%n%n",
                started, mode, warmup.toSeconds(), measure.toSeconds(), repeat, idleConnections,
                machineCpus(), Runtime.version(), machineLoad));
        for (Scenario scenario : scenarios) {
            md.append("## ").append(scenario).append(" — ").append(scenario.description).append("\n\n");
            if (scenario == Scenario.S5) {
                idleTable(md);
            } else if (scenario == Scenario.S8) {
                handshakeTable(md);
            } else {
                trafficTable(md, scenario);
            }
            if (scenario == Scenario.S7) {
                stormLine(md);
            }
            md.append('\n');
        }
        md.append(tlsNote == null ? "## Targets (issue 5)\n\n" : "## Targets (issue 12, wss://)\n\n");
        for (String line : tlsNote == null ? targets() : tlsTargets()) {
            md.append("- ").append(line).append('\n');
        }
        return md.toString();
    }

    private static long machineCpus() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("processor")).count();
        } catch (IOException | UncheckedIOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private void trafficTable(StringBuilder md, Scenario scenario) {
        md.append("| server | msg/s | MB/s | server CPU | per CPU-s | × Netty per CPU | × limit per CPU | "
                + "× Netty msg/s | p50 | p99 | p99.9 | reads/msg | writes/msg | wake-ups/msg |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        Cell netty = cell("netty", scenario);
        Cell limit = cell("plain", scenario);
        for (Map<Scenario, Cell> row : cells.values()) {
            Cell c = row.get(scenario);
            if (c == null) {
                continue;
            }
            if (!c.ok()) {
                md.append("| ").append(c.target().label()).append(" | FAILED: ").append(c.problem())
                        .append(" ||||||||||||| \n");
                continue;
            }
            LoadResult r = c.result();
            md.append(String.format(Locale.ROOT,
                    "| %s | %,.0f | %.1f | %.0f %% | %,.0f | %s | %s | %s | %.1f | %.1f | %.1f | %.3f | %.3f | %.3f |%n",
                    c.target().label(), r.messagesPerSecond(), r.megabytesPerSecond(), 100 * c.cpuFraction(),
                    c.perCpuSecond(), ratio(c.perCpuSecond(), netty, Cell::perCpuSecond),
                    ratio(c.perCpuSecond(), limit, Cell::perCpuSecond),
                    ratio(r.messagesPerSecond(), netty, x -> x.result().messagesPerSecond()),
                    c.micros(50), c.micros(99), c.micros(99.9), c.perMessage(0), c.perMessage(1), c.perMessage(2)));
        }
    }

    private void idleTable(StringBuilder md) {
        md.append("| server | connections | handshakes/s | × Netty | × limit | server CPU | handshakes per CPU-s | "
                + "heap B/conn | RSS B/conn |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        Cell netty = cell("netty", Scenario.S5);
        Cell limit = cell("plain", Scenario.S5);
        for (Map<Scenario, Cell> row : cells.values()) {
            Cell c = row.get(Scenario.S5);
            if (c == null) {
                continue;
            }
            if (!c.ok()) {
                md.append("| ").append(c.target().label()).append(" | FAILED: ").append(c.problem())
                        .append(" |||||||| \n");
                continue;
            }
            LoadResult r = c.result();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %s | %s | %.0f %% | %,.0f | %,.0f | %,.0f |%n",
                    c.target().label(), r.connectionsOpened(), r.handshakesPerSecond(),
                    ratio(r.handshakesPerSecond(), netty, x -> x.result().handshakesPerSecond()),
                    ratio(r.handshakesPerSecond(), limit, x -> x.result().handshakesPerSecond()),
                    100 * c.cpuFraction(), c.perCpuSecond(), c.heapBytesPerConnection(),
                    c.residentBytesPerConnection()));
        }
    }

    private List<String> targets() {
        List<String> lines = new java.util.ArrayList<>();
        Cell netty2 = cell("netty", Scenario.S2);
        Cell plain2 = cell("plain", Scenario.S2);
        Cell async2 = cell("async", Scenario.S2);
        lines.add(target("S2 async ≥ 1.5× Netty per server CPU-second", async2, netty2, Cell::perCpuSecond, 1.5, true));
        lines.add(target("S2 async ≥ 0.75× plain TCP echo per server CPU-second", async2, plain2, Cell::perCpuSecond,
                0.75, true));
        lines.add(target("S2 virtual threads ≥ 0.8× Netty per server CPU-second", cell("virtual", Scenario.S2), netty2,
                Cell::perCpuSecond, 0.8, true));
        lines.add(target("S2 platform threads (report only, vs Netty per CPU-s)", cell("threads", Scenario.S2), netty2,
                Cell::perCpuSecond, 0, true));
        Cell plain1 = cell("plain", Scenario.S1);
        for (String mode : List.of("async", "virtual", "threads")) {
            lines.add(target("S1 " + mode + " p50 within 10 % of the plain TCP echo", cell(mode, Scenario.S1), plain1,
                    c -> c.micros(50), 1.10, false));
        }
        Cell netty4 = cell("netty", Scenario.S4);
        for (String mode : List.of("async", "virtual", "threads")) {
            lines.add(target("S4 " + mode + " p99 no worse than Netty's", cell(mode, Scenario.S4), netty4,
                    c -> c.micros(99), 1.0, false));
        }
        Cell netty3 = cell("netty", Scenario.S3);
        for (String mode : List.of("async", "virtual", "threads")) {
            lines.add(target("S3 " + mode + " MB/s ≥ Netty's", cell(mode, Scenario.S3), netty3,
                    c -> c.result().megabytesPerSecond(), 1.0, true));
        }
        Cell netty5 = cell("netty", Scenario.S5);
        for (String mode : List.of("async", "virtual", "threads")) {
            Cell c = cell(mode, Scenario.S5);
            if (c != null && c.ok()) {
                double heap = c.heapBytesPerConnection();
                lines.add(String.format(Locale.ROOT, "S5 %s ≤ 1 KiB heap per idle connection: %,.0f B — %s "
                        + "(Netty: %s)", mode, heap, heap <= 1024 ? "**met**" : "**missed**",
                        netty5 != null && netty5.ok()
                                ? String.format(Locale.ROOT, "%,.0f B", netty5.heapBytesPerConnection()) : "n/a"));
            }
            lines.add(target("S5 " + mode + " handshakes/s ≥ Netty's", c, netty5,
                    x -> x.result().handshakesPerSecond(), 1.0, true));
        }
        return lines;
    }

    private void handshakeTable(StringBuilder md) {
        md.append("| server | handshakes/s | × Netty | server CPU | handshakes per CPU-s | × Netty per CPU |\n");
        md.append("|---|--:|--:|--:|--:|--:|\n");
        Cell netty = cell("netty", Scenario.S8);
        for (Map<Scenario, Cell> row : cells.values()) {
            Cell c = row.get(Scenario.S8);
            if (c == null) {
                continue;
            }
            if (!c.ok()) {
                md.append("| ").append(c.target().label()).append(" | FAILED: ").append(c.problem()).append(" ||||| \n");
                continue;
            }
            double rate = c.result().messagesPerSecond();
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.0f %% | %,.0f | %s |%n", c.target().label(),
                    rate, ratio(rate, netty, x -> x.result().messagesPerSecond()), 100 * c.cpuFraction(),
                    c.perCpuSecond(), ratio(c.perCpuSecond(), netty, Cell::perCpuSecond)));
        }
    }

    private void stormLine(StringBuilder md) {
        md.append("\nStorm handshakes answered per second during the measured window:");
        for (Map<Scenario, Cell> row : cells.values()) {
            Cell c = row.get(Scenario.S7);
            if (c != null && c.ok()) {
                md.append(String.format(Locale.ROOT, " %s %,.0f;", c.target().label(), c.stormHandshakesPerSecond()));
            }
        }
        md.append('\n');
    }

    private List<String> tlsTargets() {
        List<String> lines = new java.util.ArrayList<>();
        Cell netty5 = cell("netty", Scenario.S5);
        Cell async5 = cell("async", Scenario.S5);
        lines.add(target("S8 async TLS handshakes/s (server-bound storm) ≥ Netty's", cell("async", Scenario.S8),
                cell("netty", Scenario.S8), x -> x.result().messagesPerSecond(), 1.0, true));
        lines.add(target("S8 async TLS handshakes per server CPU-second ≥ Netty's", cell("async", Scenario.S8),
                cell("netty", Scenario.S8), Cell::perCpuSecond, 1.0, true));
        lines.add(target("S5 async full wss handshakes/s (TLS + upgrade, real client) vs Netty (report)", async5,
                netty5, x -> x.result().handshakesPerSecond(), 0, true));
        lines.add(target("S5 async full wss handshakes per server CPU-second vs Netty (report)", async5, netty5,
                Cell::perCpuSecond, 0, true));
        lines.add(target("S2 async over wss ≥ 1.3× Netty per server CPU-second", cell("async", Scenario.S2),
                cell("netty", Scenario.S2), Cell::perCpuSecond, 1.3, true));
        lines.add(target("S1 async p50 over wss within 1.3× its plain-ws p50", cell("async", Scenario.S1),
                cell("async-ws", Scenario.S1), c -> c.micros(50), 1.3, false));
        lines.add(target("S5 async heap per idle wss connection ≤ half of Netty's", async5, netty5,
                Cell::heapBytesPerConnection, 0.5, false));
        for (String id : List.of("async", "netty")) {
            lines.add(target("S7 " + id + " echo p99 during the storm ≤ 2× without (S6)", cell(id, Scenario.S7),
                    cell(id, Scenario.S6), c -> c.micros(99), 2.0, false));
        }
        return lines;
    }

    /** One target line; {@code bound} 0 means "report only". */
    private static String target(String name, Cell ours, Cell theirs, java.util.function.ToDoubleFunction<Cell> metric,
            double bound, boolean higherIsBetter) {
        if (ours == null || theirs == null || !ours.ok() || !theirs.ok()) {
            return name + ": not measured";
        }
        double ratio = metric.applyAsDouble(ours) / metric.applyAsDouble(theirs);
        String verdict = bound == 0 ? "reported"
                : (higherIsBetter ? ratio >= bound : ratio <= bound) ? "**met**" : "**missed**";
        return String.format(Locale.ROOT, "%s: %.3g× — %s", name, ratio, verdict);
    }

    private static String ratio(double value, Cell reference, java.util.function.ToDoubleFunction<Cell> metric) {
        if (reference == null || !reference.ok()) {
            return "–";
        }
        double base = metric.applyAsDouble(reference);
        return base <= 0 ? "–" : String.format(Locale.ROOT, "%.2f×", value / base);
    }

    private Cell cell(String id, Scenario scenario) {
        for (Map.Entry<Target, Map<Scenario, Cell>> entry : cells.entrySet()) {
            if (entry.getKey().id().equals(id)) {
                return entry.getValue().get(scenario);
            }
        }
        return null;
    }

    String csv() {
        StringBuilder csv = new StringBuilder("server,scenario,ok,messages,seconds,msg_per_s,mb_per_s,server_cpu_s,"
                + "per_cpu_s,p50_us,p99_us,p999_us,max_us,connections,handshakes_per_s,heap_b_per_conn,"
                + "rss_b_per_conn,reads_per_msg,writes_per_msg,wakeups_per_msg,problem\n");
        for (Map<Scenario, Cell> row : cells.values()) {
            for (Cell c : row.values()) {
                LoadResult r = c.result();
                if (r == null) {
                    csv.append(c.target().id()).append(',').append(c.scenario()).append(",false,,,,,,,,,,,,,,,,,,")
                            .append(c.problem()).append('\n');
                    continue;
                }
                csv.append(String.format(Locale.ROOT, "%s,%s,%b,%d,%.3f,%.1f,%.3f,%.3f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,"
                        + "%.1f,%.0f,%.0f,%.4f,%.4f,%.4f,%s%n", c.target().id(), c.scenario(), c.ok(), r.messages(),
                        r.seconds(),
                        r.messagesPerSecond(), r.megabytesPerSecond(), c.serverCpuSeconds(), c.perCpuSecond(),
                        c.micros(50), c.micros(99), c.micros(99.9), r.latency().max() / 1000.0,
                        r.connectionsOpened(), r.handshakesPerSecond(), c.heapBytesPerConnection(),
                        c.residentBytesPerConnection(), c.perMessage(0), c.perMessage(1), c.perMessage(2),
                        c.ok() ? "" : c.problem().replace(',', ';')));
            }
        }
        return csv.toString();
    }
}
