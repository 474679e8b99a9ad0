package io.wsreactor.jmh;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameEncoder;
import io.wsreactor.frame.Opcode;
import java.nio.ByteBuffer;
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
 * Encoding server frames (unmasked): the whole frame into a reused buffer (no allocation), the header alone (what
 * a gathering write of header + payload needs), and into a fresh array of exactly the frame's size (the one
 * allocation the array form implies).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameEncodeBenchmark {
    /** Payload length in bytes. */
    @Param({"32", "65536"})
    public int size;

    private Frame frame;
    private ByteBuffer heap;
    private ByteBuffer direct;

    /** Makes the frame and the reused buffers. */
    @Setup
    public void setUp() {
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 'x');
        frame = new Frame(Opcode.BINARY, true, payload);
        heap = ByteBuffer.allocate(size + 14);
        direct = ByteBuffer.allocateDirect(size + 14);
    }

    /** Header and payload into a reused heap buffer. */
    @Benchmark
    public int encodeIntoHeapBuffer() {
        heap.clear();
        FrameEncoder.encode(frame, heap);
        return heap.position();
    }

    /** Header and payload into a reused direct buffer (what a socket write needs). */
    @Benchmark
    public int encodeIntoDirectBuffer() {
        direct.clear();
        FrameEncoder.encode(frame, direct);
        return direct.position();
    }

    /** The header alone, for a gathering write with the payload array wrapped beside it. */
    @Benchmark
    public int writeHeaderOnly() {
        heap.clear();
        FrameEncoder.writeHeader(heap, frame.opcode(), frame.fin(), frame.length());
        return heap.position();
    }

    /** A new array holding the frame. */
    @Benchmark
    public byte[] encodeToNewArray() {
        return FrameEncoder.encode(frame);
    }
}
