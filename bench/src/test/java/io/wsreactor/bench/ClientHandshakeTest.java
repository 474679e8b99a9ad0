package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClientHandshakeTest {
    private final ClientHandshake handshake = new ClientHandshake(new SplittableRandom(42));

    @Test
    void computesTheAcceptOfRfc6455Section4Example() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", handshake.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void keysAreSixteenRandomBytesInBase64() {
        String a = handshake.newKey();
        String b = handshake.newKey();
        assertEquals(16, Base64.getDecoder().decode(a).length);
        assertNotEquals(a, b);
    }

    @Test
    void acceptsACorrectResponse() {
        String response = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        assertNull(handshake.check(response, "dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void rejectsAWrongAccept() {
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n";
        assertTrue(handshake.check(response, "dGhlIHNhbXBsZSBub25jZQ==").contains("Sec-WebSocket-Accept"));
    }

    @Test
    void rejectsAStatusOtherThan101() {
        String response = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        assertTrue(handshake.check(response, "dGhlIHNhbXBsZSBub25jZQ==").contains("101"));
    }

    @Test
    void rejectsAMissingUpgradeHeader() {
        String response = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        assertTrue(handshake.check(response, "dGhlIHNhbXBsZSBub25jZQ==").contains("Upgrade"));
    }

    @Test
    void findsTheEndOfTheHeadOnlyAfterTheBlankLine() {
        byte[] head = "HTTP/1.1 101 OK\r\nA: b\r\n\r\nXY".getBytes(StandardCharsets.US_ASCII);
        assertEquals(head.length - 2, ClientHandshake.headEnd(head, head.length));
        assertEquals(-1, ClientHandshake.headEnd(head, head.length - 4));
    }

    @Test
    void requestCarriesTheKeyAndVersion13() {
        String request = new String(ClientHandshake.request("127.0.0.1:1", "/chat", "abc"), StandardCharsets.US_ASCII);
        assertTrue(request.startsWith("GET /chat HTTP/1.1\r\n"));
        assertTrue(request.contains("\r\nSec-WebSocket-Key: abc\r\n"));
        assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"));
        assertTrue(request.endsWith("\r\n\r\n"));
    }
}
