package io.wsreactor.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeParserTest {
    static final String RFC_REQUEST = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static HandshakeRequest parseWhole(String head) throws HandshakeException {
        return new HandshakeParser().parse(ByteBuffer.wrap(bytes(head)));
    }

    static HandshakeResponse rejection(String head) {
        return assertThrows(HandshakeException.class, () -> parseWhole(head)).response();
    }

    static String request(String headerLines) {
        return "GET / HTTP/1.1\r\nHost: a\r\n" + headerLines + "\r\n";
    }

    /** Feeds {@code data} in pieces ending at the given cut points; returns the request and checks it came last. */
    static HandshakeRequest feed(HandshakeParser parser, byte[] data, int[] cuts, boolean direct)
            throws HandshakeException {
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : data.length;
            ByteBuffer piece = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
            piece.put(data, from, to - from).flip();
            HandshakeRequest request = parser.parse(piece);
            if (request != null) {
                assertEquals(data.length, to, "request completed before the last byte");
                assertFalse(piece.hasRemaining());
                return request;
            }
            assertFalse(piece.hasRemaining(), "all bytes consumed while more are needed");
            from = to;
        }
        return null;
    }

    static void assertSameRequest(HandshakeRequest expected, HandshakeRequest actual) {
        assertNotNull(actual);
        assertEquals(expected.method(), actual.method());
        assertEquals(expected.target(), actual.target());
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.headers(), actual.headers());
    }

    @Test
    void parsesRfcExampleRequest() throws HandshakeException {
        HandshakeRequest request = parseWhole(RFC_REQUEST);
        assertEquals("GET", request.method());
        assertEquals("/chat?room=1", request.target());
        assertEquals("/chat", request.path());
        assertEquals("room=1", request.query());
        assertEquals("HTTP/1.1", request.version());
        assertEquals(7, request.headers().size());
        assertEquals(Map.entry("Host", "server.example.com"), request.headers().get(0));
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", request.header("sec-websocket-key"));
        assertEquals(List.of("chat", "superchat"), request.subprotocols());
    }

    @Test
    void returnsNullAndConsumesEverythingUntilTheBlankLine() throws HandshakeException {
        HandshakeParser parser = new HandshakeParser();
        ByteBuffer first = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r\n"));
        assertNull(parser.parse(first));
        assertFalse(first.hasRemaining());
        ByteBuffer second = ByteBuffer.wrap(bytes("\r"));
        assertNull(parser.parse(second));
        assertNotNull(parser.parse(ByteBuffer.wrap(bytes("\n"))));
    }

    @Test
    void leavesBytesAfterTheBlankLineInTheBuffer() throws HandshakeException {
        byte[] frame = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        byte[] head = bytes(RFC_REQUEST);
        ByteBuffer in = ByteBuffer.allocate(head.length + frame.length).put(head).put(frame).flip();
        assertNotNull(new HandshakeParser().parse(in));
        assertEquals(head.length, in.position());
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        assertEquals(ByteBuffer.wrap(frame), ByteBuffer.wrap(rest));
    }

    @Test
    void leavesBytesAfterTheBlankLineInADirectBufferWhenTheHeadWasSplit() throws HandshakeException {
        HandshakeParser parser = new HandshakeParser();
        assertNull(parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r"))));
        ByteBuffer in = ByteBuffer.allocateDirect(16).put(bytes("\n\r\nXYZ")).flip();
        assertNotNull(parser.parse(in));
        assertEquals(3, in.remaining());
        assertEquals('X', in.get());
    }

    @Test
    void givesTheSameRequestForTheHeadSplitAtEveryByte() throws HandshakeException {
        HandshakeRequest whole = parseWhole(RFC_REQUEST);
        byte[] data = bytes(RFC_REQUEST);
        for (boolean direct : new boolean[] {false, true}) {
            for (int cut = 1; cut < data.length; cut++) {
                assertSameRequest(whole, feed(new HandshakeParser(), data, new int[] {cut}, direct));
            }
        }
    }

    @Test
    void givesTheSameRequestFedOneByteAtATime() throws HandshakeException {
        HandshakeRequest whole = parseWhole(RFC_REQUEST);
        byte[] data = bytes(RFC_REQUEST);
        int[] cuts = new int[data.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertSameRequest(whole, feed(new HandshakeParser(), data, cuts, false));
        assertSameRequest(whole, feed(new HandshakeParser(), data, cuts, true));
    }

    @Test
    void givesTheSameRequestAtRandomSplits() throws HandshakeException {
        HandshakeRequest whole = parseWhole(RFC_REQUEST);
        byte[] data = bytes(RFC_REQUEST);
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int[] cuts = random.ints(random.nextInt(12), 1, data.length).sorted().distinct().toArray();
            assertSameRequest(whole, feed(new HandshakeParser(), data, cuts, random.nextBoolean()));
        }
    }

    @Test
    void readsAHeapBufferSliceWithAnArrayOffset() throws HandshakeException {
        byte[] head = bytes("JUNK" + RFC_REQUEST);
        ByteBuffer slice = ByteBuffer.wrap(head, 4, head.length - 4).slice();
        assertSameRequest(parseWhole(RFC_REQUEST), new HandshakeParser().parse(slice));
    }

    @Test
    void keepsRepeatedHeadersInOrder() throws HandshakeException {
        HandshakeRequest request = parseWhole(request("X-A: 1\r\nx-b: 2\r\nX-a: 3\r\n"));
        assertEquals(List.of("1", "3"), request.headers("x-a"));
        assertEquals("1", request.header("X-A"));
        assertEquals(List.of(Map.entry("Host", "a"), Map.entry("X-A", "1"), Map.entry("x-b", "2"),
                Map.entry("X-a", "3")), request.headers());
    }

    @Test
    void trimsSpacesAndTabsAroundValues() throws HandshakeException {
        HandshakeRequest request = parseWhole(request("X-A: \t v a l \t \r\nX-Empty:\r\nX-Blank:   \r\n"));
        assertEquals("v a l", request.header("X-A"));
        assertEquals("", request.header("X-Empty"));
        assertEquals("", request.header("X-Blank"));
    }

    @Test
    void decodesObsTextAsIso88591() throws HandshakeException {
        byte[] head = bytes(request("X-A: caf\u00e9\r\n"));
        assertEquals("caf\u00e9", new HandshakeParser().parse(ByteBuffer.wrap(head)).header("X-A"));
    }

    @Test
    void acceptsBareLineFeedLineEnds() throws HandshakeException {
        HandshakeRequest request = parseWhole("GET /x HTTP/1.1\nHost: a\nUpgrade: websocket\n\n");
        assertEquals("/x", request.target());
        assertEquals("websocket", request.header("Upgrade"));
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() throws HandshakeException {
        assertEquals("GET", parseWhole("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").method());
    }

    @Test
    void parsesARequestWithNoHeaders() throws HandshakeException {
        HandshakeRequest request = parseWhole("GET / HTTP/1.1\r\n\r\n");
        assertTrue(request.headers().isEmpty());
    }

    @Test
    void keepsHttp10AndOtherVersionsForValidationToJudge() throws HandshakeException {
        assertEquals("HTTP/1.0", parseWhole("GET / HTTP/1.0\r\n\r\n").version());
        assertEquals("HTTP/2.0", parseWhole("GET / HTTP/2.0\r\n\r\n").version());
    }

    @Test
    void rejectsObsoleteLineFoldingWith400() {
        HandshakeResponse response = rejection(request("X-A: one\r\n two\r\n"));
        assertEquals(400, response.status());
        assertTrue(new String(response.body(), StandardCharsets.UTF_8).contains("folding"));
        assertEquals(400, rejection(request("X-A: one\r\n\ttwo\r\n")).status());
    }

    @Test
    void rejectsWhitespaceBetweenRequestLineAndFirstHeaderWith400() {
        assertEquals(400, rejection("GET / HTTP/1.1\r\n Host: a\r\n\r\n").status());
    }

    @Test
    void rejectsNulInAHeaderValueWith400() {
        assertEquals(400, rejection(request("X-A: a\0b\r\n")).status());
    }

    @Test
    void rejectsBareCarriageReturnInAHeaderValueWith400() {
        assertEquals(400, rejection(request("X-A: a\rb\r\n")).status());
        assertEquals(400, rejection(request("X-A: a\r\r\n")).status());
    }

    @Test
    void rejectsOtherControlCharactersInAHeaderValueWith400() {
        assertEquals(400, rejection(request("X-A: a\u0001b\r\n")).status());
        assertEquals(400, rejection(request("X-A: a\u007fb\r\n")).status());
    }

    @Test
    void rejectsWhitespaceBeforeTheColonWith400() {
        assertEquals(400, rejection(request("Host : a\r\n")).status());
    }

    @Test
    void rejectsAHeaderLineWithoutColonWith400() {
        assertEquals(400, rejection(request("Host a\r\n")).status());
    }

    @Test
    void rejectsAnEmptyHeaderNameWith400() {
        assertEquals(400, rejection(request(": a\r\n")).status());
    }

    @Test
    void rejectsANonTokenHeaderNameWith400() {
        assertEquals(400, rejection(request("X(A): a\r\n")).status());
        assertEquals(400, rejection(request("X\u00e9: a\r\n")).status());
    }

    @Test
    void rejectsMalformedRequestLinesWith400() {
        for (String line : List.of("GET /", "GET / HTTP/1.1 extra", "GET  / HTTP/1.1", "GET / HTTP/1.1 ",
                " GET / HTTP/1.1", "GET / http/1.1", "GET / HTTP/1", "GET / HTTP/11.1", "GET / HTTP/1.x",
                "G(T / HTTP/1.1", "GET /\u00e9 HTTP/1.1", "GET /\u0001 HTTP/1.1", "GET\t/ HTTP/1.1",
                "GET", "/ HTTP/1.1", "GET\r/ HTTP/1.1")) {
            HandshakeResponse response = rejection(line + "\r\nHost: a\r\n\r\n");
            assertEquals(400, response.status(), line);
            assertEquals("close", response.header("Connection"));
        }
    }

    @Test
    void rejectsBytesThatCannotBeginARequestAtTheFirstSuchByte() {
        byte[][] starts = {
            {0x16, 0x03, 0x01, 0x02, 0x00}, // a TLS ClientHello record
            {(byte) 0x81, (byte) 0x85}, // a WebSocket frame
            {0x00}, {'G', 'E', 'T', '\t'}, {' '}, {'\r', '\n', '{'}};
        for (byte[] start : starts) {
            HandshakeParser parser = new HandshakeParser();
            HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parse(ByteBuffer.wrap(start)),
                    "no line end needed: " + java.util.Arrays.toString(start));
            assertEquals(400, e.response().status());
            assertTrue(e.getMessage().contains("not an HTTP request"), e.getMessage());
        }
    }

    @Test
    void checksTheMethodAcrossCallsWithoutRejectingATokenSplitAnywhere() throws HandshakeException {
        HandshakeParser parser = new HandshakeParser();
        assertNull(parser.parse(ByteBuffer.wrap(bytes("\r\nG"))));
        assertNull(parser.parse(ByteBuffer.wrap(bytes("ET"))));
        assertNull(parser.parse(ByteBuffer.wrap(bytes(" /a?b=(c) HTTP/1.1\r\n"))));
        assertEquals("/a?b=(c)", parser.parse(ByteBuffer.wrap(bytes("Host: a\r\n\r\n"))).target());
        HandshakeParser binary = new HandshakeParser();
        assertNull(binary.parse(ByteBuffer.wrap(bytes("GE"))));
        assertThrows(HandshakeException.class, () -> binary.parse(ByteBuffer.wrap(new byte[] {'T', 0x01})));
    }

    @Test
    void rejectionsCarryACompleteResponse() {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> parseWhole(request("X-A: one\r\n two\r\n")));
        assertEquals("close", e.response().header("Connection"));
        assertEquals("text/plain; charset=utf-8", e.response().header("Content-Type"));
        assertTrue(e.getMessage().startsWith("400 Bad Request: obsolete line folding"), e.getMessage());
    }

    @Test
    void refusesToParseAgainAfterARequestOrAFailure() throws HandshakeException {
        HandshakeParser done = new HandshakeParser();
        assertNotNull(done.parse(ByteBuffer.wrap(bytes(RFC_REQUEST))));
        assertThrows(IllegalStateException.class, () -> done.parse(ByteBuffer.wrap(bytes("x"))));
        HandshakeParser failed = new HandshakeParser();
        assertThrows(HandshakeException.class, () -> failed.parse(ByteBuffer.wrap(bytes("BAD\r\n"))));
        assertThrows(IllegalStateException.class, () -> failed.parse(ByteBuffer.wrap(bytes("x"))));
    }

    @Test
    void returnsNullForAnEmptyBuffer() throws HandshakeException {
        assertNull(new HandshakeParser().parse(ByteBuffer.allocate(0)));
    }

    @Test
    void rejectsRandomGarbageOrWaitsButNeverFailsOtherwise() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            byte[] data = bytes(RFC_REQUEST);
            for (int flips = random.nextInt(4) + 1; flips > 0; flips--) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            HandshakeParser parser = new HandshakeParser();
            try {
                HandshakeRequest request = parser.parse(ByteBuffer.wrap(data));
                if (request != null) {
                    Handshake.respond(request); // must not throw either
                }
            } catch (HandshakeException e) {
                int status = e.response().status();
                assertTrue(status == 400 || status == 431, "status " + status);
            }
        }
    }
}
