package io.wsreactor.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * One run of one scenario against one server for the {@link Runner}: the load (and in S7/S8 the handshake storm),
 * with the server's CPU time, work counters and, in S5, live heap sampled around the measured window.
 */
final class CellRun {
    private CellRun() {
    }

    /**
     * Runs {@code scenario} against {@code server}, over {@code wss://} when {@code tls} is not null.
     *
     * @return the cell; a failure is a cell with its reason, never an exception
     */
    static Cell run(ServerProcess server, Target target, Scenario scenario, Duration warmup,
            Duration measure, int idleConnections, ClientTls tls) throws InterruptedException {
        if (scenario == Scenario.S8) {
            return handshakes(server, target, warmup, measure, tls);
        }
        LoadConfig config = scenario.config(server.port, warmup, measure, idleConnections).withRaw(target.raw())
                .withTls(tls);
        long[] stormAnswered = new long[2];
        long[] stormWindow = new long[2];
        long[] cpu = new long[2];
        long[][] work = new long[2][];
        long[] memory = new long[4];
        HandshakeStorm storm;
        try {
            storm = scenario != Scenario.S7 ? null : new HandshakeStorm(server.port, tls,
                    Scenario.STORM_HANDSHAKES, warmup.plus(measure).plusSeconds(30));
        } catch (IOException e) {
            return new Cell(target, scenario, null, -1, -1, -1, "handshake storm failed: " + e);
        }
        if (scenario == Scenario.S5) {
            memory[0] = server.liveHeapBytes();
            memory[1] = server.residentBytes();
        }
        LoadListener listener = new LoadListener() {
            @Override
            public void measurementStarted() {
                cpu[0] = server.cpuNanos();
                work[0] = server.workCounters();
                stormWindow[0] = System.nanoTime();
                stormAnswered[0] = storm == null ? 0 : storm.answered();
            }

            @Override
            public void measurementEnded() {
                cpu[1] = server.cpuNanos();
                work[1] = server.workCounters();
                stormWindow[1] = System.nanoTime();
                stormAnswered[1] = storm == null ? 0 : storm.answered();
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
            if (storm != null) {
                Thread.sleep(500); // the storm is in full swing before the load starts
            }
            result = new LoadGenerator(config, listener).run();
        } catch (IOException e) {
            return new Cell(target, scenario, null, -1, -1, -1, "load generator failed: " + e);
        } finally {
            if (storm != null) {
                storm.close();
            }
        }
        double stormRate = -1;
        if (storm != null) {
            long answered = stormAnswered[1] - stormAnswered[0];
            stormRate = answered / Math.max(1e-9, (stormWindow[1] - stormWindow[0]) / 1e9);
            if (answered == 0) {
                return new Cell(target, scenario, result, -1, -1, -1, "the storm's handshakes got no answer"
                        + (storm.problem() != null ? ": " + storm.problem() : ""));
            }
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
        return new Cell(target, scenario, result, cpuSeconds, heap, resident, null, workDelta, stormRate);
    }

    /**
     * S8: the storm alone against the server; its "messages" are the handshakes answered in the measured window, so
     * the tables' msg/s and per CPU-s columns read as handshakes.
     */
    private static Cell handshakes(ServerProcess server, Target target, Duration warmup, Duration measure,
            ClientTls tls) throws InterruptedException {
        try (HandshakeStorm storm = new HandshakeStorm(server.port, tls, Scenario.HANDSHAKE_CONCURRENCY,
                warmup.plus(measure).plusSeconds(30))) {
            Thread.sleep(warmup.toMillis());
            long cpuStart = server.cpuNanos();
            long answeredStart = storm.answered();
            long start = System.nanoTime();
            Thread.sleep(measure.toMillis());
            long cpuEnd = server.cpuNanos();
            long answered = storm.answered() - answeredStart;
            double seconds = (System.nanoTime() - start) / 1e9;
            String failure = answered == 0 ? "no handshake answered"
                    + (storm.problem() != null ? ": " + storm.problem() : "") : null;
            LoadResult result = new LoadResult(answered, 0, seconds, new LatencyHistogram(), 0, 0, answered, answered,
                    seconds, failure);
            double cpuSeconds = cpuStart < 0 || cpuEnd < 0 ? -1 : (cpuEnd - cpuStart) / 1e9;
            return new Cell(target, Scenario.S8, result, cpuSeconds, -1, -1, null, null,
                    answered / seconds);
        } catch (IOException e) {
            return new Cell(target, Scenario.S8, null, -1, -1, -1, "handshake storm failed: " + e);
        }
    }
}
