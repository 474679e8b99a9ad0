package io.wsreactor.frame;

import static io.wsreactor.frame.ClientFrames.client;
import static io.wsreactor.frame.ClientFrames.concat;
import static io.wsreactor.frame.ClientFrames.hex;
import static io.wsreactor.frame.ClientFrames.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.ClientFrames.Buffers;
import io.wsreactor.frame.ClientFrames.Cuts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameDecoderTest {
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void decodesTheRfcMaskedHelloFrame() {
        RecordingSink sink = ClientFrames.decode(hex("0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58"));
        assertEquals(List.of(Frame.text("Hello")), sink.events);
    }

    @Test
    void decodesTheRfcFragmentedHelloAsTwoFramesWithTheirFin() {
        byte[] wire = concat(ClientFrames.mask(hex("0x01 0x03 0x48 0x65 0x6c"), 0x11223344),
                ClientFrames.mask(hex("0x80 0x02 0x6c 0x6f"), 0x55667788));
        RecordingSink sink = ClientFrames.decode(wire);
        assertEquals(List.of(Frame.text("Hel", false), Frame.continuation(bytes("lo"), true)), sink.events);
    }

    @Test
    void decodesTheRfcPingAndMaskedPong() {
        byte[] ping = ClientFrames.mask(hex("0x89 0x05 0x48 0x65 0x6c 0x6c 0x6f"), 0x0BADF00D);
        byte[] pong = hex("0x8a 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58");
        RecordingSink sink = ClientFrames.decode(concat(ping, pong));
        assertEquals(List.of(Frame.ping(HELLO), Frame.pong(HELLO)), sink.events);
    }

    @Test
    void decodesTheRfc256ByteBinaryFrameWithA16BitLength() {
        byte[] payload = randomBytes(256, 1);
        byte[] wire = ClientFrames.mask(concat(hex("0x82 0x7E 0x01 0x00"), payload), ClientFrames.ANY_MASK);
        assertEquals(List.of(Frame.binary(payload)), ClientFrames.decode(wire).events);
    }

    @Test
    void decodesTheRfc64KibBinaryFrameWithA64BitLength() {
        byte[] payload = randomBytes(65536, 2);
        byte[] wire = ClientFrames.mask(concat(hex("0x82 0x7F 0x00 0x00 0x00 0x00 0x00 0x01 0x00 0x00"), payload), ClientFrames.ANY_MASK);
        for (Buffers buffers : Buffers.values()) {
            assertEquals(List.of(Frame.binary(payload)), ClientFrames.decode(wire, Cuts.RANDOM, buffers, 7).events);
        }
    }

    @Test
    void acceptsNonMinimalLengthEncodings() {
        // RFC 6455 asks senders for the minimal encoding; like most servers we do not fail a client over it.
        byte[] wire = hex("81 fe 00 05 37 fa 21 3d 7f 9f 4d 51 58");
        assertEquals(List.of(Frame.text("Hello")), ClientFrames.decode(wire).events);
    }

    @Test
    void deliversControlFramesArrivingBetweenFragments() {
        byte[] wire = concat(client(Frame.text("Hel", false)), client(Frame.ping(HELLO)),
                client(Frame.continuation(bytes(""), false)), client(Frame.pong(new byte[0])),
                client(Frame.continuation(bytes("lo"), true)), client(Frame.binary(HELLO)));
        List<Object> expected = List.of(Frame.text("Hel", false), Frame.ping(HELLO),
                Frame.continuation(new byte[0], false), Frame.pong(new byte[0]),
                Frame.continuation(bytes("lo"), true), Frame.binary(HELLO));
        assertEquals(expected, ClientFrames.decode(wire).events);
    }

    @Test
    void decodesCloseWithCodeAndReason() {
        RecordingSink sink = ClientFrames.decode(client(Frame.close(CloseCode.GOING_AWAY, "bye κόσμε")));
        assertEquals(List.of(new RecordingSink.Closed(1001, "bye κόσμε")), sink.events);
    }

    @Test
    void decodesEmptyCloseAsNoStatus() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 100, 100);
        decoder.decode(ByteBuffer.wrap(raw(0x88, new byte[0])));
        assertEquals(List.of(new RecordingSink.Closed(CloseCode.NO_STATUS, "")), sink.events);
        assertTrue(decoder.isCloseReceived());
        assertFalse(decoder.isFailed());
    }

    @Test
    void acceptsEveryCloseCodeThatMayBeSent() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1010, 1014, 3000, 4000, 4999}) {
            RecordingSink sink = ClientFrames.decode(raw(0x88, new byte[] {(byte) (code >>> 8), (byte) code}));
            assertEquals(List.of(new RecordingSink.Closed(code, "")), sink.events);
        }
    }

    @Test
    void ignoresAndConsumesBytesAfterTheCloseFrame() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 100, 100);
        ByteBuffer in = ByteBuffer.wrap(concat(client(Frame.close(1000, "")), client(Frame.text("late")), hex("ff")));
        decoder.decode(in);
        assertEquals(in.limit(), in.position());
        decoder.decode(ByteBuffer.wrap(client(Frame.text("later"))));
        assertEquals(List.of(new RecordingSink.Closed(1000, "")), sink.events);
    }

    @Test
    void zeroLengthDataFramesShareOneEmptyArray() {
        RecordingSink sink = ClientFrames.decode(concat(client(Frame.binary(new byte[0])), client(Frame.text(""))));
        List<Frame> frames = sink.frames();
        assertEquals(List.of(Frame.binary(new byte[0]), Frame.text("")), frames);
        assertSame(frames.get(0).payload(), frames.get(1).payload());
    }

    @Test
    void allocatesALargeDeclaredPayloadOnlyAsItsBytesArrive() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 16 << 20, 16 << 20);
        byte[] payload = randomBytes(16 << 20, 3);
        byte[] wire = client(Frame.binary(payload));
        decoder.decode(ByteBuffer.wrap(wire, 0, 14 + 10));
        assertTrue(decoder.payloadCapacity() <= FrameDecoder.INITIAL_PAYLOAD_CAPACITY,
                "16 MiB declared, 10 bytes sent: " + decoder.payloadCapacity() + " bytes allocated");
        decoder.decode(ByteBuffer.wrap(wire, 24, 200_000));
        assertTrue(decoder.payloadCapacity() <= 2 * 200_010, "grows with the bytes that arrived");
        decoder.decode(ByteBuffer.wrap(wire, 200_024, wire.length - 200_024));
        assertEquals(List.of(Frame.binary(payload)), sink.events);
        assertEquals(0, decoder.payloadCapacity());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Buffers.class)
    void decodesAStreamOfFramesFedOneByteAtATime(Buffers buffers) {
        Stream stream = mixedStream(new Random(11), 40, 300);
        assertEquals(stream.expected, ClientFrames.decode(stream.wire, Cuts.ONE_BYTE_AT_A_TIME, buffers, 0).events);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Buffers.class)
    void decodesAStreamOfFramesFedAtRandomSplits(Buffers buffers) {
        for (long seed = 1; seed <= 20; seed++) {
            Stream stream = mixedStream(new Random(seed), 60, 3000);
            assertEquals(stream.expected, ClientFrames.decode(stream.wire, Cuts.RANDOM, buffers, seed).events,
                    "seed " + seed);
        }
    }

    @Test
    void roundTripsEncoderThroughMaskToDecoderOverRandomSizesUpTo70000() {
        for (long seed = 100; seed < 104; seed++) {
            Stream stream = mixedStream(new Random(seed), 40, 70_000);
            RecordingSink whole = ClientFrames.decode(stream.wire, Cuts.WHOLE, Buffers.HEAP, seed);
            assertEquals(stream.expected, whole.events, "seed " + seed);
            RecordingSink split = ClientFrames.decode(stream.wire, Cuts.RANDOM, Buffers.MIXED, seed);
            assertEquals(stream.expected, split.events, "seed " + seed);
        }
    }

    @Test
    void rejectsLimitsThatAreNotPositive() {
        RecordingSink sink = new RecordingSink();
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(sink, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(sink, 10, 0));
        assertThrows(NullPointerException.class, () -> new FrameDecoder(null, 10, 10));
    }

    /** The bytes of many client frames and the events they must produce. */
    private record Stream(byte[] wire, List<Object> expected) {
    }

    /**
     * Random messages of random size (0..maxSize), text and binary, some fragmented with control frames between
     * fragments, each frame masked with its own random key (zero included), ending with a close frame.
     */
    private static Stream mixedStream(Random random, int messages, int maxSize) {
        List<byte[]> wire = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (int m = 0; m < messages; m++) {
            boolean text = random.nextBoolean();
            byte[] message = text
                    ? Utf8ValidatorTest.randomText(random, random.nextInt(maxSize / 3 + 1)).getBytes(StandardCharsets.UTF_8)
                    : randomBytes(random.nextInt(maxSize + 1), random.nextLong());
            int fragments = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : 1;
            int start = 0;
            for (int f = 0; f < fragments; f++) {
                boolean fin = f == fragments - 1;
                // Cut anywhere, also inside a UTF-8 sequence: the validator carries its state across fragments.
                int end = fin ? message.length : start + random.nextInt(message.length - start + 1);
                byte[] piece = java.util.Arrays.copyOfRange(message, start, end);
                Opcode opcode = f > 0 ? Opcode.CONTINUATION : text ? Opcode.TEXT : Opcode.BINARY;
                Frame frame = new Frame(opcode, fin, piece);
                wire.add(client(frame, random.nextInt(8) == 0 ? 0 : random.nextInt()));
                expected.add(frame);
                start = end;
                if (random.nextInt(4) == 0) {
                    Frame control = random.nextBoolean()
                            ? Frame.ping(randomBytes(random.nextInt(126), random.nextLong()))
                            : Frame.pong(randomBytes(random.nextInt(126), random.nextLong()));
                    wire.add(client(control, random.nextInt()));
                    expected.add(control);
                }
            }
        }
        wire.add(client(Frame.close(CloseCode.NORMAL, "done"), random.nextInt()));
        expected.add(new RecordingSink.Closed(CloseCode.NORMAL, "done"));
        return new Stream(concat(wire.toArray(new byte[0][])), expected);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void payloadsAreUnmaskedCopiesAndTheInputIsLeftUnchanged() {
        byte[] wire = client(Frame.binary(HELLO));
        byte[] before = wire.clone();
        RecordingSink sink = ClientFrames.decode(wire);
        assertArrayEquals(before, wire);
        assertArrayEquals(HELLO, sink.frames().get(0).payload());
    }
}
