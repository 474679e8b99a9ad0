package io.wsreactor.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** A valid upgrade request's headers; tests change one thing each. */
    static List<Map.Entry<String, String>> validHeaders() {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", "server.example.com"));
        headers.add(Map.entry("Upgrade", "websocket"));
        headers.add(Map.entry("Connection", "Upgrade"));
        headers.add(Map.entry("Sec-WebSocket-Key", KEY));
        headers.add(Map.entry("Sec-WebSocket-Version", "13"));
        return headers;
    }

    static List<Map.Entry<String, String>> with(String name, String value) {
        List<Map.Entry<String, String>> headers = without(name);
        headers.add(Map.entry(name, value));
        return headers;
    }

    static List<Map.Entry<String, String>> without(String name) {
        List<Map.Entry<String, String>> headers = validHeaders();
        headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
        return headers;
    }

    static HandshakeResponse respond(List<Map.Entry<String, String>> headers) {
        return Handshake.respond(HandshakeRequest.of("GET", "/chat", "HTTP/1.1", headers));
    }

    static boolean closesConnection(HandshakeResponse response) {
        String connection = response.header("Connection");
        return connection != null && HttpSyntax.listContains(connection, "close");
    }

    static String body(HandshakeResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static void assertRejected(int status, String bodyPart, HandshakeResponse response) {
        assertEquals(status, response.status(), response.toString());
        assertFalse(response.isUpgrade());
        assertTrue(closesConnection(response), "Connection: close");
        assertTrue(body(response).contains(bodyPart), body(response));
        assertNull(response.header("Sec-WebSocket-Accept"));
    }

    @Test
    void computesTheRfc6455Section13AcceptKey() {
        assertEquals(ACCEPT, Handshake.acceptKey(KEY));
    }

    @Test
    void acceptsAValidRequestWith101() {
        HandshakeResponse response = respond(validHeaders());
        assertEquals(101, response.status());
        assertTrue(response.isUpgrade());
        assertEquals("Switching Protocols", response.reason());
        assertEquals("websocket", response.header("Upgrade"));
        assertEquals("Upgrade", response.header("Connection"));
        assertEquals(ACCEPT, response.header("Sec-WebSocket-Accept"));
        assertEquals(0, response.body().length);
    }

    @Test
    void acceptsTheRfcRequestParsedFromBytes() throws HandshakeException {
        HandshakeResponse response = Handshake.respond(HandshakeParserTest.parseWhole(HandshakeParserTest.RFC_REQUEST));
        assertEquals(101, response.status());
        assertEquals(ACCEPT, response.header("Sec-WebSocket-Accept"));
    }

    @Test
    void rejectsANonGetMethodWith405AndAllowGet() {
        for (String method : List.of("POST", "HEAD", "get", "CONNECT")) {
            HandshakeResponse response = Handshake.respond(
                    HandshakeRequest.of(method, "/chat", "HTTP/1.1", validHeaders()));
            assertRejected(405, "GET", response);
            assertEquals("Method Not Allowed", response.reason());
            assertEquals("GET", response.header("Allow"));
        }
    }

    @Test
    void rejectsHttp10With400() {
        assertRejected(400, "HTTP/1.1", Handshake.respond(
                HandshakeRequest.of("GET", "/", "HTTP/1.0", validHeaders())));
        assertRejected(400, "HTTP/1.1", Handshake.respond(
                HandshakeRequest.of("GET", "/", "HTTP/0.9", validHeaders())));
    }

    @Test
    void rejectsAnUnparsableVersionWith400() {
        for (String version : List.of("", "HTTP/1", "HTTP/1.1 ", "http/1.1", "HTTP/1.x", "HTTP/11.1", "FOO")) {
            assertRejected(400, "version", Handshake.respond(
                    HandshakeRequest.of("GET", "/", version, validHeaders())));
        }
    }

    @Test
    void acceptsLaterHttp1MinorVersions() {
        assertEquals(101, Handshake.respond(HandshakeRequest.of("GET", "/", "HTTP/1.2", validHeaders())).status());
    }

    @Test
    void rejectsHttpMajorVersionAbove1With505() {
        assertRejected(505, "HTTP/1.1", Handshake.respond(
                HandshakeRequest.of("GET", "/", "HTTP/2.0", validHeaders())));
    }

    @Test
    void rejectsAMissingHostWith400() {
        assertRejected(400, "Host", respond(without("Host")));
    }

    @Test
    void rejectsAnEmptyOrRepeatedHostWith400() {
        assertRejected(400, "Host", respond(with("Host", "")));
        List<Map.Entry<String, String>> twoHosts = validHeaders();
        twoHosts.add(Map.entry("host", "other.example.com"));
        assertRejected(400, "Host", respond(twoHosts));
    }

    @Test
    void rejectsAMissingUpgradeWith426AndUpgradeWebsocket() {
        HandshakeResponse response = respond(without("Upgrade"));
        assertRejected(426, "Upgrade", response);
        assertEquals("Upgrade Required", response.reason());
        assertEquals("websocket", response.header("Upgrade"));
        assertEquals("Upgrade, close", response.header("Connection"));
    }

    @Test
    void rejectsAnUpgradeToAnotherProtocolWith426() {
        assertRejected(426, "Upgrade", respond(with("Upgrade", "h2c")));
        assertRejected(426, "Upgrade", respond(with("Upgrade", "websockets")));
        assertRejected(426, "Upgrade", respond(with("Upgrade", "my-websocket")));
    }

    @Test
    void matchesUpgradeCaseInsensitivelyAsAToken() {
        assertEquals(101, respond(with("Upgrade", "WebSocket")).status());
        assertEquals(101, respond(with("Upgrade", "h2c, WEBSOCKET")).status());
    }

    @Test
    void rejectsAMissingConnectionUpgradeWith400() {
        assertRejected(400, "Connection", respond(without("Connection")));
        assertRejected(400, "Connection", respond(with("Connection", "keep-alive")));
    }

    @Test
    void rejectsConnectionUpgraderBecauseTokensAreNotSubstrings() {
        assertRejected(400, "Connection", respond(with("Connection", "upgrader")));
        assertRejected(400, "Connection", respond(with("Connection", "keep-alive-upgrade")));
        assertRejected(400, "Connection", respond(with("Connection", "up grade")));
    }

    @Test
    void findsUpgradeInAConnectionTokenList() {
        assertEquals(101, respond(with("Connection", "keep-alive, Upgrade")).status());
        assertEquals(101, respond(with("Connection", "keep-alive,upgrade")).status());
        assertEquals(101, respond(with("Connection", " ,UPGRADE\t,")).status());
        List<Map.Entry<String, String>> split = without("Connection");
        split.add(Map.entry("Connection", "keep-alive"));
        split.add(Map.entry("connection", "upgrade"));
        assertEquals(101, respond(split).status());
    }

    @Test
    void rejectsAMissingKeyWith400() {
        assertRejected(400, "Sec-WebSocket-Key", respond(without("Sec-WebSocket-Key")));
    }

    @Test
    void rejectsAKeyThatIsNotBase64Of16BytesWith400() {
        List<String> bad = List.of("", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=",
                "dGhlIHNhbXBsZSBub25jZQ===", "dGhlIHNhbXBsZSBub25j*Q==", "dGhlIHNhbXBsZSBub25jZQ=A",
                Base64.getEncoder().encodeToString(new byte[15]), Base64.getEncoder().encodeToString(new byte[17]),
                "dGhlIHNhbXBsZSBub25jZSE=", "dGhl IHNhbXBsZSBub25jZQ==");
        for (String key : bad) {
            assertRejected(400, "Sec-WebSocket-Key", respond(with("Sec-WebSocket-Key", key)));
        }
    }

    @Test
    void acceptsAnyRandom16ByteKey() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            HandshakeResponse response = respond(with("Sec-WebSocket-Key", key));
            assertEquals(101, response.status(), key);
            assertEquals(Handshake.acceptKey(key), response.header("Sec-WebSocket-Accept"));
        }
    }

    @Test
    void rejectsARepeatedKeyWith400() {
        List<Map.Entry<String, String>> headers = validHeaders();
        headers.add(Map.entry("Sec-WebSocket-Key", KEY));
        assertRejected(400, "Sec-WebSocket-Key", respond(headers));
    }

    @Test
    void rejectsAVersionOtherThan13With426AndSecWebSocketVersion13() {
        for (String version : List.of("8", "12", "14", "13, 8", "", "thirteen")) {
            HandshakeResponse response = respond(with("Sec-WebSocket-Version", version));
            assertRejected(426, "Sec-WebSocket-Version", response);
            assertEquals("13", response.header("Sec-WebSocket-Version"));
            assertEquals("websocket", response.header("Upgrade"));
        }
    }

    @Test
    void rejectsAMissingVersionWith426() {
        HandshakeResponse response = respond(without("Sec-WebSocket-Version"));
        assertRejected(426, "Sec-WebSocket-Version", response);
        assertEquals("13", response.header("Sec-WebSocket-Version"));
    }

    @Test
    void rejectsARequestBodyWith400() {
        assertRejected(400, "body", respond(with("Content-Length", "5")));
        assertRejected(400, "body", respond(with("Transfer-Encoding", "chunked")));
        assertEquals(101, respond(with("Content-Length", "0")).status());
    }

    @Test
    void neverAcceptsOfferedExtensions() {
        HandshakeResponse response = respond(with("Sec-WebSocket-Extensions",
                "permessage-deflate; client_max_window_bits"));
        assertEquals(101, response.status());
        assertNull(response.header("Sec-WebSocket-Extensions"));
    }

    @Test
    void choosesNoSubprotocol() {
        HandshakeResponse response = respond(with("Sec-WebSocket-Protocol", "chat, superchat"));
        assertEquals(101, response.status());
        assertNull(response.header("Sec-WebSocket-Protocol"));
    }

    @Test
    void checksTheMethodBeforeAnythingElse() {
        HandshakeResponse response = Handshake.respond(HandshakeRequest.of("POST", "/", "HTTP/1.0", List.of()));
        assertEquals(405, response.status());
    }

    @Test
    void neverThrowsOnRandomRequests() {
        String[] names = {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
            "Content-Length", "Transfer-Encoding", "X"};
        String[] values = {"", "websocket", "Upgrade", KEY, "13", "0", ",", " , ", "\u00ff", "a,b", "=="};
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int h = random.nextInt(8); h > 0; h--) {
                headers.add(Map.entry(names[random.nextInt(names.length)], values[random.nextInt(values.length)]));
            }
            String version = random.nextBoolean() ? "HTTP/1.1" : "HTTP/" + random.nextInt(3) + "." + random.nextInt(3);
            HandshakeResponse response = Handshake.respond(HandshakeRequest.of(
                    random.nextInt(5) == 0 ? "PUT" : "GET", "/", version, headers));
            assertTrue(response.isUpgrade() || closesConnection(response), response.toString());
            response.toBytes();
        }
    }

    @Test
    void rejectsANullRequestWithNullPointerException() {
        assertThrows(NullPointerException.class, () -> Handshake.respond(null));
    }
}
