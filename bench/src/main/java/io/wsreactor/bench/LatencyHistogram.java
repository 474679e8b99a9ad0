package io.wsreactor.bench;

/**
 * A log-linear histogram of non-negative {@code long} values (latencies in nanoseconds), in the manner of
 * HdrHistogram: exact below 2,048, and above that in buckets 1/1,024 of their magnitude wide, so every recorded
 * value is reproduced within 0.1 %. Recording is one array increment, with no allocation.
 *
 * <p>Not thread-safe: each load-generator thread records into its own histogram; {@link #add} merges them.
 */
public final class LatencyHistogram {
    /** Values below this are counted exactly; above it each power of two is split into {@code HALF} buckets. */
    private static final int SUB_BUCKETS = 2048;
    private static final int HALF = SUB_BUCKETS / 2;
    private static final int SUB_BUCKET_BITS = 11;
    /** Values are clamped to about 2^45 ns (nearly ten hours), far beyond any bounded run. */
    private static final int MAX_SHIFT = 34;

    private final long[] counts = new long[SUB_BUCKETS + MAX_SHIFT * HALF];
    private long totalCount;
    private long maxValue;
    private long minValue = Long.MAX_VALUE;
    private double sum;

    /** Makes an empty histogram. */
    public LatencyHistogram() {
    }

    /**
     * Counts one value.
     *
     * @param value the value; negative values are counted as 0, huge ones are clamped to the largest bucket
     */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[indexOf(v)]++;
        totalCount++;
        sum += v;
        if (v > maxValue) {
            maxValue = v;
        }
        if (v < minValue) {
            minValue = v;
        }
    }

    /** Adds every count of {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        totalCount += other.totalCount;
        sum += other.sum;
        maxValue = Math.max(maxValue, other.maxValue);
        minValue = Math.min(minValue, other.minValue);
    }

    /** Forgets every value. */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        totalCount = 0;
        sum = 0;
        maxValue = 0;
        minValue = Long.MAX_VALUE;
    }

    /** How many values were recorded. */
    public long count() {
        return totalCount;
    }

    /** The largest recorded value, exactly; 0 when empty. */
    public long max() {
        return maxValue;
    }

    /** The smallest recorded value, exactly; 0 when empty. */
    public long min() {
        return totalCount == 0 ? 0 : minValue;
    }

    /** The mean of the recorded values; 0 when empty. */
    public double mean() {
        return totalCount == 0 ? 0 : sum / totalCount;
    }

    /**
     * The value below or at which {@code percentile} percent of the recorded values lie: the highest value of the
     * bucket holding the value of that rank (never more than the recorded maximum).
     *
     * @param percentile 0 to 100
     * @return the value, or 0 when the histogram is empty
     * @throws IllegalArgumentException if {@code percentile} is outside 0–100
     */
    public long percentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile " + percentile + " is not 0-100");
        }
        if (totalCount == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * totalCount));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestValueAt(i), maxValue);
            }
        }
        return maxValue;
    }

    static int indexOf(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int shift = (63 - Long.numberOfLeadingZeros(value)) - (SUB_BUCKET_BITS - 1);
        if (shift > MAX_SHIFT) {
            return SUB_BUCKETS + MAX_SHIFT * HALF - 1;
        }
        // value >> shift lies in [HALF, SUB_BUCKETS): each shift owns HALF buckets after the exact range.
        return SUB_BUCKETS + (shift - 1) * HALF + (int) ((value >> shift) - HALF);
    }

    static long highestValueAt(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / HALF + 1;
        long top = (index - SUB_BUCKETS) % HALF + HALF;
        return ((top + 1) << shift) - 1;
    }
}
