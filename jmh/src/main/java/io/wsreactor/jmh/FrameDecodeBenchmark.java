package io.wsreactor.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameDecoder;
import io.wsreactor.frame.FrameSink;
import io.wsreactor.frame.Masking;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding masked client frames, as the reactor does after each read: a buffer holding {@value #FRAMES} frames is
 * fed to one {@link FrameDecoder}, and the score is per frame. {@code small}: 32 B text frames (frames/s; UTF-8
 * checked); {@code large}: 64 KiB binary frames (MB/s = 65,536 × ops/s). Beside it, Netty 4.2's
 * {@link WebSocket08FrameDecoder} plus its {@link Utf8FrameValidator} in an {@link EmbeddedChannel}, on the same
 * bytes. Bytes per op (gc.alloc.rate.norm) is per frame: the payload array and the {@code Frame} are the floor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameDecodeBenchmark {
    static final int FRAMES = 64;

    /** small: 32 B text frames; large: 64 KiB binary frames. */
    @Param({"small", "large"})
    public String frames;

    /** Whether the bytes arrive in a heap or a direct buffer. */
    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuffer wire;
    private byte[] wireBytes;
    private FrameDecoder decoder;
    private EmbeddedChannel netty;

    /** Builds the frames and the decoders; the sink hands every frame to the blackhole. */
    @Setup
    public void setUp(Blackhole blackhole) {
        boolean small = frames.equals("small");
        int size = small ? 32 : 64 * 1024;
        SplittableRandom random = new SplittableRandom(3);
        int headerLength = small ? 2 : 10; // 32 B: length in the second byte; 64 KiB: an 8-byte length
        int frameLength = headerLength + 4 + size;
        wireBytes = new byte[frameLength * FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            int at = i * frameLength;
            int mask = random.nextInt();
            wireBytes[at] = (byte) (0x80 | (small ? 0x1 : 0x2)); // FIN, text or binary
            if (size <= 125) {
                wireBytes[at + 1] = (byte) (0x80 | size);
            } else {
                wireBytes[at + 1] = (byte) (0x80 | 127);
                for (int b = 0; b < 8; b++) {
                    wireBytes[at + 2 + b] = (byte) ((long) size >>> (56 - 8 * b));
                }
            }
            int payloadAt = at + headerLength + 4;
            for (int b = 0; b < 4; b++) {
                wireBytes[at + headerLength + b] = (byte) (mask >>> (24 - 8 * b));
            }
            for (int b = 0; b < size; b++) { // ASCII letters: valid UTF-8 for the text frames
                wireBytes[payloadAt + b] = (byte) ('a' + random.nextInt(26));
            }
            Masking.unmask(wireBytes, payloadAt, size, mask, 0); // XOR: unmasking masks
        }
        wire = buffer.equals("heap") ? ByteBuffer.allocate(wireBytes.length) : ByteBuffer.allocateDirect(wireBytes.length);
        wire.put(wireBytes).flip();
        decoder = new FrameDecoder(new BlackholeSink(blackhole), 1 << 20, 1 << 20);
        netty = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()), new Utf8FrameValidator());
    }

    /** Closes the Netty channel. */
    @TearDown(Level.Trial)
    public void tearDown() {
        netty.finishAndReleaseAll();
    }

    /** wsreactor's decoder; the score is per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public boolean wsreactorDecoder() {
        wire.position(0);
        decoder.decode(wire);
        return decoder.isFailed();
    }

    /** Netty's decoder and UTF-8 validator in a pipeline, reading and releasing each frame; per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void nettyDecoder(Blackhole blackhole) {
        ByteBuf in = buffer.equals("heap") ? Unpooled.wrappedBuffer(wireBytes)
                : Unpooled.wrappedBuffer(wire.duplicate().position(0));
        netty.writeInbound(in);
        Object frame;
        while ((frame = netty.readInbound()) != null) {
            blackhole.consume(frame);
            ReferenceCountUtil.release(frame);
        }
    }

    /** Hands each decoded frame to the blackhole, as the reactor hands it to the peer's queue. */
    private static final class BlackholeSink implements FrameSink {
        private final Blackhole blackhole;

        BlackholeSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onData(Frame frame) {
            blackhole.consume(frame);
        }

        @Override
        public void onPing(byte[] payload) {
            blackhole.consume(payload);
        }

        @Override
        public void onPong(byte[] payload) {
            blackhole.consume(payload);
        }

        @Override
        public void onClose(int code, String reason) {
            throw new IllegalStateException("no close frame was sent");
        }

        @Override
        public void onProtocolError(int closeCode, String reason) {
            throw new IllegalStateException("decoder failed: " + closeCode + " " + reason);
        }
    }
}
