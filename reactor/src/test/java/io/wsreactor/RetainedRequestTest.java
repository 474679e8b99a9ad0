package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wsreactor.handshake.HandshakeParser;
import io.wsreactor.handshake.HandshakeRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetainedRequestTest {
    private static final String REQUEST = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: example.com:8080\r\n"
            + "UPGRADE: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "sec-websocket-version: 13\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Cookie: a=1\r\n"
            + "Cookie: b=2\r\n"
            + "\r\n";

    private static byte[] compact(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] padded = new byte[bytes.length + 7]; // the handler's buffer is larger than the head
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        return RetainedRequest.compact(padded, bytes.length);
    }

    @Test
    void theHandshakesOwnHeadersAreLeftOutWhateverTheirCaseAndTheRestIsKeptAsReceived() {
        assertEquals("GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: example.com:8080\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Cookie: a=1\r\n"
                + "Cookie: b=2\r\n"
                + "\r\n", new String(compact(REQUEST), StandardCharsets.ISO_8859_1));
    }

    @Test
    void theRetainedBytesParseToTheSameTargetHeadersAndSubprotocols() throws Exception {
        HandshakeRequest request = new HandshakeParser().parse(ByteBuffer.wrap(compact(REQUEST)));
        assertEquals("/chat", request.path());
        assertEquals("room=1", request.query());
        assertEquals("example.com:8080", request.header("host"));
        assertEquals(List.of("a=1", "b=2"), request.headers("Cookie"));
        assertEquals(List.of("chat", "superchat"), request.subprotocols());
        assertNull(request.header("Sec-WebSocket-Key"));
        assertNull(request.header("Upgrade"));
    }

    @Test
    void bareLineFeedsAreKeptAsLineEnds() {
        String head = "GET / HTTP/1.1\nHost: h\nUpgrade: websocket\nX-Trace: 7\n\n";
        assertEquals("GET / HTTP/1.1\nHost: h\nX-Trace: 7\n\n", new String(compact(head), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aHeaderNamedLikeAHandshakeHeaderButLongerIsKept() {
        String head = "GET / HTTP/1.1\r\nHost: h\r\nUpgrade-Insecure-Requests: 1\r\nConnectionX: y\r\n\r\n";
        assertEquals(head, new String(compact(head), StandardCharsets.ISO_8859_1));
    }
}
