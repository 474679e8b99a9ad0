package io.wsreactor.jmh;

import io.wsreactor.frame.Masking;
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
 * Unmasking in place: {@link Masking#unmask} (eight bytes at a time) beside the plain byte loop written here, for
 * 16 B, 1 KiB and 64 KiB, at an aligned start and at an odd offset (which also starts mid-key).
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
        return byteLoop(data, offset, size, mask, offset & 3);
    }

    /** XOR one byte at a time, key byte 0 being the mask's high byte; returns the key offset after the last byte. */
    static int byteLoop(byte[] data, int offset, int length, int mask, int maskOffset) {
        for (int i = 0; i < length; i++) {
            data[offset + i] ^= (byte) (mask >>> (24 - 8 * ((maskOffset + i) & 3)));
        }
        return (maskOffset + length) & 3;
    }
}
