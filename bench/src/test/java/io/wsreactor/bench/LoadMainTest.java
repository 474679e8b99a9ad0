package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadMainTest {
    private static LoadResult result(long... latenciesNanos) {
        LatencyHistogram latency = new LatencyHistogram();
        for (long nanos : latenciesNanos) {
            latency.record(nanos);
        }
        return new LoadResult(latenciesNanos.length, 32L * latenciesNanos.length, 2.0, latency, 10, 0.5,
                latenciesNanos.length, latenciesNanos.length, 3.0, null);
    }

    @Test
    void theTableShowsThroughputAndABarPerPercentileScaledToTheMaximum() {
        String table = LoadMain.table(result(10_000, 20_000, 40_000, 1_000_000), false);
        assertTrue(table.contains("| connections | opened in | handshakes/s | messages | msg/s | MB/s |"), table);
        assertTrue(table.contains("| 10 | 0.500 s | 20 | 4 | 2 | 0.00 |"), table);
        String maxLine = table.lines().filter(l -> l.trim().startsWith("max")).findFirst().orElseThrow();
        assertTrue(maxLine.endsWith("#".repeat(40)), "the maximum fills the bar: " + maxLine);
        assertEquals(5, table.lines().filter(l -> l.contains(" #")).count(), "p50, p90, p99, p99.9 and max");
    }

    @Test
    void idleRunsShowOnlyTheHandshakes() {
        String table = LoadMain.table(result(), true);
        assertTrue(table.contains("| 10 | 0.500 s | 20 |"), table);
        assertFalse(table.contains("msg/s"), table);
        assertFalse(table.contains("#"), table);
    }
}
