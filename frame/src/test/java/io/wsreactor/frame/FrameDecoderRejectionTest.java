package io.wsreactor.frame;

import static io.wsreactor.frame.ClientFrames.client;
import static io.wsreactor.frame.ClientFrames.concat;
import static io.wsreactor.frame.ClientFrames.hex;
import static io.wsreactor.frame.ClientFrames.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a client can break RFC 6455 framing, each with the close code the connection is failed with. */
class FrameDecoderRejectionTest {
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void rejectsUnmaskedClientFrameWith1002() {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, hex("81 05 48 65 6c 6c 6f"));
    }

    @Test
    void rejectsTheRfcUnmaskedExamplesWith1002() {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, hex("0x01 0x03 0x48 0x65 0x6c"));
        assertFailsWith(CloseCode.PROTOCOL_ERROR, hex("0x89 0x05 0x48 0x65 0x6c 0x6c 0x6f"));
        assertFailsWith(CloseCode.PROTOCOL_ERROR, concat(hex("0x82 0x7E 0x01 0x00"), new byte[256]));
        assertFailsWith(CloseCode.PROTOCOL_ERROR, concat(hex("0x82 0x7F 0x00 0x00 0x00 0x00 0x00 0x01 0x00 0x00"), new byte[65536]));
    }

    @ParameterizedTest(name = "RSV bit 0x{0}")
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void rejectsRsvBitsWith1002(int rsv) {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, raw(0x81 | rsv, HELLO));
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void rejectsReservedOpcodesWith1002(int opcode) {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, raw(0x80 | opcode, HELLO));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Opcode.class, names = {"PING", "PONG", "CLOSE"})
    void rejectsControlFramePayloadOver125With1002(Opcode opcode) {
        byte[] payload = new byte[126];
        payload[0] = 0x03;
        payload[1] = (byte) 0xE8;
        assertFailsWith(CloseCode.PROTOCOL_ERROR, raw(0x80 | opcode.code(), payload));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Opcode.class, names = {"PING", "PONG", "CLOSE"})
    void rejectsFragmentedControlFrameWith1002(Opcode opcode) {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, raw(opcode.code(), hex("03e8")));
    }

    @Test
    void rejects64BitLengthWithTopBitSetWith1002() {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, hex("82 ff 80 00 00 00 00 00 00 01 37 fa 21 3d"));
    }

    @Test
    void rejectsContinuationWithNoMessageStartedWith1002() {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, client(Frame.continuation(HELLO, true)));
    }

    @Test
    void rejectsContinuationAfterAFinishedMessageWith1002() {
        assertFailsWith(CloseCode.PROTOCOL_ERROR,
                client(Frame.text("Hel", false)), client(Frame.continuation(HELLO, true)),
                client(Frame.continuation(HELLO, true)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Opcode.class, names = {"TEXT", "BINARY"})
    void rejectsNewDataFrameInsideAnUnfinishedMessageWith1002(Opcode opcode) {
        assertFailsWith(CloseCode.PROTOCOL_ERROR,
                client(Frame.binary(HELLO, false)), client(new Frame(opcode, true, HELLO)));
    }

    @Test
    void rejectsFramePayloadOverTheLimitWith1009AtTheHeader() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1000, 1 << 20);
        decoder.decode(ByteBuffer.wrap(hex("82 fe 03 e9 37 fa 21 3d"))); // header only: 1001 bytes declared
        assertFailure(sink, decoder, CloseCode.MESSAGE_TOO_BIG);
    }

    @Test
    void acceptsFramePayloadExactlyAtTheLimit() {
        RecordingSink sink = new RecordingSink();
        new FrameDecoder(sink, 1000, 1000).decode(ByteBuffer.wrap(client(Frame.binary(new byte[1000]))));
        assertEquals(List.of(Frame.binary(new byte[1000])), sink.events);
    }

    @Test
    void rejectsMessageOverTheLimitWith1009AtTheHeaderOfTheFragmentThatExceedsIt() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1000, 1500);
        byte[] thirdHeader = java.util.Arrays.copyOf(client(Frame.continuation(new byte[501], true)), 8);
        decoder.decode(ByteBuffer.wrap(concat(
                client(Frame.binary(new byte[500], false)),
                client(Frame.ping(HELLO)),
                client(Frame.continuation(new byte[500], false)),
                thirdHeader)));
        assertEquals(4, sink.events.size(), "two fragments and a ping delivered first");
        assertFailure(sink, decoder, CloseCode.MESSAGE_TOO_BIG);
    }

    @Test
    void countsEachMessageSizeFromZero() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1000, 1000);
        for (int i = 0; i < 5; i++) {
            decoder.decode(ByteBuffer.wrap(client(Frame.binary(new byte[600], false))));
            decoder.decode(ByteBuffer.wrap(client(Frame.continuation(new byte[400], true))));
        }
        assertFalse(decoder.isFailed());
        assertEquals(10, sink.events.size());
    }

    @Test
    void rejectsInvalidUtf8With1007AtTheFirstInvalidByteBeforeTheFrameIsComplete() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1 << 20, 1 << 20);
        byte[] payload = new byte[100];
        java.util.Arrays.fill(payload, (byte) 'a');
        payload[10] = (byte) 0xC0;
        byte[] wire = client(Frame.binary(payload)); // same bytes as a TEXT frame but for the opcode
        wire[0] = (byte) 0x81;
        decoder.decode(ByteBuffer.wrap(wire, 0, 6 + 10)); // header and the ten good bytes
        assertFalse(decoder.isFailed());
        decoder.decode(ByteBuffer.wrap(wire, 16, 1)); // the bad byte, ninety bytes before the frame ends
        assertFailure(sink, decoder, CloseCode.INVALID_PAYLOAD);
    }

    @Test
    void rejectsInvalidUtf8SplitAcrossFragmentsWith1007BeforeTheSecondFragmentIsComplete() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1 << 20, 1 << 20);
        decoder.decode(ByteBuffer.wrap(raw(0x01, hex("41 42 ed")))); // TEXT, not final, ends with lead byte ED
        decoder.decode(ByteBuffer.wrap(client(Frame.ping(HELLO))));
        assertEquals(2, sink.events.size(), "first fragment and the ping are delivered");
        byte[] second = raw(0x80, hex("a0 80 41 42 43")); // ED A0 80 is a surrogate
        decoder.decode(ByteBuffer.wrap(second, 0, 7)); // header and A0 only
        assertFailure(sink, decoder, CloseCode.INVALID_PAYLOAD);
    }

    @Test
    void rejectsInvalidUtf8SplitAcrossReadsWith1007() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1 << 20, 1 << 20);
        byte[] wire = raw(0x81, hex("41 f4 90 80 80 41")); // F4 90: above U+10FFFF
        decoder.decode(ByteBuffer.wrap(wire, 0, 8));
        assertFalse(decoder.isFailed());
        decoder.decode(ByteBuffer.wrap(wire, 8, 1));
        assertFailure(sink, decoder, CloseCode.INVALID_PAYLOAD);
    }

    @Test
    void rejectsFinalTextFrameEndingInsideASequenceWith1007() {
        assertFailsWith(CloseCode.INVALID_PAYLOAD, raw(0x01, hex("41 e2 82")), raw(0x80, hex("ac 41 e2")));
    }

    @Test
    void acceptsTextWhoseSequencesAreSplitAcrossFragments() {
        RecordingSink sink = ClientFrames.decode(concat(raw(0x01, hex("41 e2 82")), raw(0x80, hex("ac 41"))));
        assertEquals(2, sink.events.size());
        assertEquals(-1, sink.errorCode());
    }

    @Test
    void acceptsInvalidUtf8InBinaryAndPingPayloads() {
        RecordingSink sink = ClientFrames.decode(concat(raw(0x82, hex("c0 80")), raw(0x89, hex("ff"))));
        assertEquals(-1, sink.errorCode());
        assertEquals(2, sink.events.size());
    }

    @Test
    void rejectsOneByteClosePayloadWith1002() {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, raw(0x88, hex("03")));
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void rejectsCloseCodesThatMayNotBeSentWith1002(int code) {
        assertFailsWith(CloseCode.PROTOCOL_ERROR, raw(0x88, new byte[] {(byte) (code >>> 8), (byte) code}));
    }

    @Test
    void rejectsCloseReasonThatIsNotUtf8With1007() {
        assertFailsWith(CloseCode.INVALID_PAYLOAD, raw(0x88, hex("03 e8 41 ed a0 80")));
        assertFailsWith(CloseCode.INVALID_PAYLOAD, raw(0x88, hex("03 e8 41 e2 82"))); // truncated
    }

    @Test
    void reportsOnlyTheFirstErrorAndIgnoresEverythingAfterIt() {
        RecordingSink sink = new RecordingSink();
        FrameDecoder decoder = new FrameDecoder(sink, 1 << 20, 1 << 20);
        ByteBuffer first = ByteBuffer.wrap(concat(client(Frame.text("ok")), hex("81 05 48 65 6c 6c 6f"),
                client(Frame.text("after"))));
        decoder.decode(first);
        assertEquals(first.limit(), first.position(), "bytes after the error are consumed");
        decoder.decode(ByteBuffer.wrap(concat(raw(0xF1, HELLO), client(Frame.text("later")))));
        assertEquals(List.of(Frame.text("ok"), new RecordingSink.Failed(CloseCode.PROTOCOL_ERROR)), sink.events);
        assertEquals(1, sink.errorCount);
        assertFalse(sink.deliveredAfterError);
    }

    /** Feeds the frames whole, one byte at a time and at random cuts: each time the last event is the failure. */
    private static void assertFailsWith(int closeCode, byte[]... frames) {
        byte[] wire = concat(frames);
        for (ClientFrames.Cuts cuts : ClientFrames.Cuts.values()) {
            RecordingSink sink = new RecordingSink();
            FrameDecoder decoder = new FrameDecoder(sink, 1 << 20, 1 << 20);
            ClientFrames.feed(decoder, wire, cuts, ClientFrames.Buffers.MIXED, 42);
            assertFailure(sink, decoder, closeCode);
        }
    }

    private static void assertFailure(RecordingSink sink, FrameDecoder decoder, int closeCode) {
        assertTrue(decoder.isFailed(), "decoder failed");
        assertEquals(1, sink.errorCount, "one error reported");
        assertEquals(closeCode, sink.errorCode(), () -> "close code; reason: " + sink.errorReason);
        assertEquals(new RecordingSink.Failed(closeCode), sink.events.get(sink.events.size() - 1));
        assertFalse(sink.deliveredAfterError);
        assertTrue(sink.errorReason != null && !sink.errorReason.isEmpty()
                && sink.errorReason.getBytes(StandardCharsets.UTF_8).length <= 123, "a short reason");
    }
}
