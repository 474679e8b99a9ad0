package io.wsreactor.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeResponseTest {
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void serializesTheUpgradeResponseExactly() {
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "\r\n", text(HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==").toBytes()));
    }

    @Test
    void serializesARejectionExactly() {
        assertEquals("HTTP/1.1 400 Bad Request\r\n"
                + "Connection: close\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 13\r\n"
                + "\r\n"
                + "missing Host\n", text(HandshakeResponse.reject(400, "missing Host").toBytes()));
    }

    @Test
    void serializesTheVersionRejectionExactly() {
        HandshakeRequest request = HandshakeRequest.of("GET", "/", "HTTP/1.1", List.of(
                Map.entry("Host", "h"), Map.entry("Upgrade", "websocket"), Map.entry("Connection", "Upgrade"),
                Map.entry("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), Map.entry("Sec-WebSocket-Version", "8")));
        assertEquals("HTTP/1.1 426 Upgrade Required\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 33\r\n"
                + "Connection: Upgrade, close\r\n"
                + "Upgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n"
                + "Sec-WebSocket-Version must be 13\n", text(Handshake.respond(request).toBytes()));
    }

    @Test
    void countsContentLengthInUtf8Bytes() {
        HandshakeResponse response = HandshakeResponse.reject(403, "caf\u00e9");
        assertEquals("6", response.header("Content-Length"));
        assertEquals("caf\u00e9\n", text(response.body()));
        assertEquals("Forbidden", response.reason());
    }

    @Test
    void keepsARejectionBodyOnOneLine() {
        HandshakeResponse response = HandshakeResponse.reject(400, "a\r\nSet-Cookie: x=1\nb");
        assertEquals("a  Set-Cookie: x=1 b\n", text(response.body()));
        assertNull(response.header("Set-Cookie"));
    }

    @Test
    void refusesHeaderInjectionThroughValues() {
        HandshakeResponse response = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==");
        for (String value : List.of("a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\0b", "a\u007fb", "a\u0100b")) {
            assertThrows(IllegalArgumentException.class, () -> response.withHeader("X-A", value), value);
        }
    }

    @Test
    void refusesHeaderInjectionThroughNames() {
        HandshakeResponse response = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==");
        for (String name : List.of("", "X-A\r\nSet-Cookie", "X A", "X:A", "X-\u00e9", "X\n")) {
            assertThrows(IllegalArgumentException.class, () -> response.withHeader(name, "v"), name);
        }
    }

    @Test
    void refusesInjectionThroughTheReasonPhrase() {
        HandshakeResponse response = HandshakeResponse.reject(400, "x");
        assertThrows(IllegalArgumentException.class, () -> response.withStatus(403, "No\r\nSet-Cookie: x=1"));
        assertThrows(IllegalArgumentException.class, () -> response.withStatus(99, "Low"));
        assertThrows(IllegalArgumentException.class, () -> response.withStatus(600, "High"));
    }

    @Test
    void refusesSettingContentLengthByHand() {
        HandshakeResponse response = HandshakeResponse.reject(400, "x");
        assertThrows(IllegalArgumentException.class, () -> response.withHeader("content-length", "1"));
    }

    @Test
    void appendsHeadersKeepingOrderAndImmutability() {
        HandshakeResponse original = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==");
        HandshakeResponse changed = original.withHeader("Sec-WebSocket-Protocol", "chat")
                .withHeader("Set-Cookie", "a=1").withHeader("Set-Cookie", "b=2");
        assertEquals(3, original.headers().size());
        assertEquals(6, changed.headers().size());
        assertEquals(Map.entry("Set-Cookie", "b=2"), changed.headers().get(5));
        assertEquals("a=1", changed.header("set-cookie"));
        assertTrue(text(changed.toBytes()).endsWith("Sec-WebSocket-Protocol: chat\r\nSet-Cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\n\r\n"));
        assertThrows(UnsupportedOperationException.class, () -> changed.headers().clear());
    }

    @Test
    void removesAllHeadersOfANameCaseInsensitively() {
        HandshakeResponse response = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==")
                .withHeader("X-A", "1").withHeader("x-a", "2").withoutHeader("X-a");
        assertNull(response.header("X-A"));
        assertEquals(3, response.headers().size());
        assertSame(response, response.withoutHeader("Absent"));
    }

    @Test
    void replacesTheResponseWithARejectionFromAHook() {
        HandshakeResponse upgrade = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==");
        HandshakeResponse forbidden = upgrade.withStatus(403, "Forbidden").withBody("origin not allowed");
        assertEquals(403, forbidden.status());
        assertFalse(forbidden.isUpgrade());
        assertEquals("origin not allowed", text(forbidden.body()));
        assertEquals("18", forbidden.header("Content-Length"));
        assertEquals("text/plain; charset=utf-8", forbidden.header("Content-Type"));
        assertTrue(text(forbidden.toBytes()).startsWith("HTTP/1.1 403 Forbidden\r\n"));
        assertTrue(text(forbidden.toBytes()).endsWith("\r\n\r\norigin not allowed"));
    }

    @Test
    void replacesAnExistingBody() {
        HandshakeResponse response = HandshakeResponse.reject(400, "first").withBody("second");
        assertEquals(1, response.headers().stream().filter(h -> h.getKey().equals("Content-Length")).count());
        assertEquals("6", response.header("Content-Length"));
        assertEquals("second", text(response.body()));
    }

    @Test
    void addsContentLengthToANonUpgradeResponseWithoutOne() {
        HandshakeResponse response = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==")
                .withStatus(503, "Service Unavailable");
        assertTrue(text(response.toBytes()).endsWith("Content-Length: 0\r\n\r\n"));
        HandshakeResponse stripped = HandshakeResponse.reject(400, "abc").withoutHeader("Content-Length");
        assertTrue(text(stripped.toBytes()).endsWith("Content-Length: 4\r\n\r\nabc\n"));
    }

    @Test
    void neverGivesA101ABody() {
        HandshakeResponse upgrade = HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ==");
        assertThrows(IllegalStateException.class, () -> upgrade.withBody("x"));
        HandshakeResponse turned = HandshakeResponse.reject(400, "x").withStatus(101, "Switching Protocols");
        assertEquals(0, turned.body().length);
        assertNull(turned.header("Content-Length"));
        assertFalse(text(turned.toBytes()).contains("Content-Length"));
    }

    @Test
    void rejectRefusesNonErrorStatuses() {
        assertThrows(IllegalArgumentException.class, () -> HandshakeResponse.reject(101, "x"));
        assertThrows(IllegalArgumentException.class, () -> HandshakeResponse.reject(600, "x"));
    }

    @Test
    void usesStandardReasonPhrases() {
        assertEquals("Method Not Allowed", HandshakeResponse.reject(405, "x").reason());
        assertEquals("Upgrade Required", HandshakeResponse.reject(426, "x").reason());
        assertEquals("Request Header Fields Too Large", HandshakeResponse.reject(431, "x").reason());
        assertEquals("Service Unavailable", HandshakeResponse.reject(503, "x").reason());
        assertEquals("Client Error", HandshakeResponse.reject(499, "x").reason());
    }

    @Test
    void returnsACopyOfTheBody() {
        HandshakeResponse response = HandshakeResponse.reject(400, "x");
        response.body()[0] = 'y';
        assertArrayEquals("x\n".getBytes(StandardCharsets.UTF_8), response.body());
    }

    @Test
    void namesStatusAndProblemInTheExceptionMessage() {
        HandshakeException e = new HandshakeException(HandshakeResponse.reject(431, "too many headers"));
        assertEquals("431 Request Header Fields Too Large: too many headers", e.getMessage());
        assertEquals(431, e.response().status());
    }
}
