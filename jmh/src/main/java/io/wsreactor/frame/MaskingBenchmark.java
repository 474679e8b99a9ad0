package io.wsreactor.frame;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Unmasking in place: {@link Masking#unmask} (eight bytes at a time) beside the plain byte loop
 * ({@link Masking#unmaskBytewise}), for 16 B, 1 KiB and 64 KiB, at an aligned start and at an odd offset (which
 * also starts mid-key). In package {@code io.wsreactor.frame} to reach the package-private baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskingBenchmark {
    /** Payload length in bytes. */
    @Param({"16", "1024", "65536"})
    public int size;

    /** Where the payload starts in its array (odd: unaligned, and the key starts at byte {@code offset % 4}). */
    @Param({"0", "3"})
    public int offset;

    private byte[] data;
    private int mask;

    /** Fills the payload with random bytes. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        data = new byte[size + offset];
        random.nextBytes(data);
        mask = random.nextInt() | 1;
    }

    /** wsreactor's unmasking, a long at a time. */
    @Benchmark
    public int wordAtATime() {
        return Masking.unmask(data, offset, size, mask, offset & 3);
    }

    /** The plain byte-at-a-time loop. */
    @Benchmark
    public int byteLoop() {
        return Masking.unmaskBytewise(data, offset, size, mask, offset & 3);
    }
}
