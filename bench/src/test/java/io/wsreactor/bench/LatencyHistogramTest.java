package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesOfSmallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int v = 1; v <= 1000; v++) {
            histogram.record(v);
        }
        assertEquals(500, histogram.percentile(50));
        assertEquals(990, histogram.percentile(99));
        assertEquals(1000, histogram.percentile(100));
        assertEquals(1, histogram.percentile(0));
        assertEquals(1000, histogram.count());
        assertEquals(500.5, histogram.mean(), 1e-9);
    }

    @Test
    void largeValuesAreReproducedWithinOneThousandth() {
        LatencyHistogram histogram = new LatencyHistogram();
        long[] values = {2_048, 12_345, 999_999, 123_456_789, 3_000_000_000L, 7_777_777_777_777L};
        for (long value : values) {
            histogram.reset();
            histogram.record(value);
            histogram.record(value / 2);
            long p100 = histogram.percentile(100);
            long p50 = histogram.percentile(50);
            assertEquals(value, p100, "the maximum is exact");
            assertTrue(Math.abs(p50 - value / 2) <= value / 2 / 1000 + 1, "p50 " + p50 + " for " + value / 2);
        }
    }

    @Test
    void percentileRanksCountFromTheBottom() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            histogram.record(10_000);
        }
        for (int i = 0; i < 10; i++) {
            histogram.record(5_000_000);
        }
        assertTrue(Math.abs(histogram.percentile(99) - 10_000) <= 10, "p99 is in the bulk");
        assertTrue(Math.abs(histogram.percentile(99.9) - 5_000_000) <= 5_000, "p99.9 is in the tail");
    }

    @Test
    void addMergesCountsAndExtremes() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(100);
        b.record(300);
        b.record(200);
        a.add(b);
        assertEquals(3, a.count());
        assertEquals(100, a.min());
        assertEquals(300, a.max());
        assertEquals(200, a.percentile(50));
    }

    @Test
    void emptyHistogramAnswersZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals(0, histogram.percentile(99));
        assertEquals(0, histogram.min());
        assertEquals(0, histogram.mean());
    }

    @Test
    void bucketIndexAndHighestValueAgree() {
        for (long v = 0; v < 10_000_000; v = v * 3 / 2 + 1) {
            int index = LatencyHistogram.indexOf(v);
            assertTrue(LatencyHistogram.highestValueAt(index) >= v, "bucket top covers " + v);
            assertTrue(index == 0 || LatencyHistogram.highestValueAt(index - 1) < v, "previous bucket ends below " + v);
        }
    }
}
