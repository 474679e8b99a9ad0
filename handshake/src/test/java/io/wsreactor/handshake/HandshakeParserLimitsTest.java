package io.wsreactor.handshake;

import static io.wsreactor.handshake.HandshakeParserTest.bytes;
import static io.wsreactor.handshake.HandshakeParserTest.rejection;
import static io.wsreactor.handshake.HandshakeParserTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The parser's limits: head size and header count (431), and the memory it keeps between calls. */
class HandshakeParserLimitsTest {
    @Test
    void acceptsExactlyMaxHeaders() throws HandshakeException {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 5; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        head.append("\r\n");
        byte[] data = bytes(head.toString());
        assertEquals(5, new HandshakeParser(8192, 5).parse(ByteBuffer.wrap(data)).headers().size());
    }

    @Test
    void rejectsOneHeaderMoreThanMaxHeadersWith431() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 6; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes(head.toString()));
        HandshakeException e = assertThrows(HandshakeException.class, () -> new HandshakeParser(8192, 5).parse(in));
        assertEquals(431, e.response().status());
        assertEquals("Request Header Fields Too Large", e.response().reason());
    }

    @Test
    void rejectsTheDefaultHeaderCountPlusOneWith431() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i <= HandshakeParser.DEFAULT_MAX_HEADERS; i++) {
            head.append("X: v\r\n");
        }
        assertEquals(431, rejection(head + "\r\n").status());
    }

    @Test
    void acceptsAHeadOfExactlyMaxBytes() throws HandshakeException {
        String head = request("X-Pad: " + "p".repeat(100) + "\r\n");
        byte[] data = bytes(head);
        assertNotNull(new HandshakeParser(data.length, 100).parse(ByteBuffer.wrap(data)));
    }

    @Test
    void rejectsAHeadOfOneByteMoreThanMaxBytesWith431() {
        byte[] data = bytes(request("X-Pad: " + "p".repeat(100) + "\r\n"));
        HandshakeParser parser = new HandshakeParser(data.length - 1, 100);
        HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parse(ByteBuffer.wrap(data)));
        assertEquals(431, e.response().status());
    }

    @Test
    void rejectsTheFirstByteBeyondMaxBytesWithoutWaitingForTheLineEnd() throws HandshakeException {
        HandshakeParser parser = new HandshakeParser(64, 100);
        ByteBuffer first = ByteBuffer.wrap(bytes("GET /" + "a".repeat(59)));
        assertNull(parser.parse(first));
        assertThrows(HandshakeException.class, () -> parser.parse(ByteBuffer.wrap(bytes("a"))));
    }

    @Test
    void rejectsAnOversizedBufferWithoutConsumingBeyondTheLimit() {
        HandshakeParser parser = new HandshakeParser(HandshakeParser.DEFAULT_MAX_BYTES, 100);
        ByteBuffer huge = ByteBuffer.allocateDirect(1 << 20);
        while (huge.hasRemaining()) {
            huge.put((byte) 'a');
        }
        huge.flip();
        HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parse(huge));
        assertEquals(431, e.response().status());
        assertTrue(huge.position() <= HandshakeParser.DEFAULT_MAX_BYTES);
    }

    @Test
    void retainsAtMostMaxBytesForALineSplitAcrossCalls() throws HandshakeException {
        HandshakeParser parser = new HandshakeParser(1000, 100);
        byte[] head = bytes("GET /" + "a".repeat(980));
        for (int i = 0; i < head.length; i++) {
            assertNull(parser.parse(ByteBuffer.wrap(head, i, 1)));
            assertTrue(parser.retainedBytes() <= 1000, "retained " + parser.retainedBytes());
        }
        assertNull(parser.parse(ByteBuffer.wrap(bytes(" HTTP/1.1\r"))));
        assertNotNull(parser.parse(ByteBuffer.wrap(bytes("\n\r\n"))));
        assertEquals(0, parser.retainedBytes());
    }

    @Test
    void retainsNothingWhenWholeLinesArriveInAHeapBuffer() throws HandshakeException {
        HandshakeParser parser = new HandshakeParser();
        assertNull(parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r\n"))));
        assertEquals(0, parser.retainedBytes());
    }

    @Test
    void countsManyHeaderLinesAgainstMaxBytes() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 99; i++) {
            head.append("X-Long: ").append("v".repeat(90)).append("\r\n");
        }
        assertEquals(431, rejection(head + "\r\n").status());
    }

    @Test
    void rejectsLimitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new HandshakeParser(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new HandshakeParser(8192, 0));
    }
}
