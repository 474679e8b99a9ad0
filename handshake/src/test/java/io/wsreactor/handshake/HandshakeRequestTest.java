package io.wsreactor.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeRequestTest {
    static HandshakeRequest target(String target) {
        return HandshakeRequest.of("GET", target, "HTTP/1.1", List.of());
    }

    static HandshakeRequest headers(String... nameValues) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return HandshakeRequest.of("GET", "/", "HTTP/1.1", headers);
    }

    @Test
    void splitsPathAndQuery() {
        assertEquals("/chat", target("/chat?a=1&b=2").path());
        assertEquals("a=1&b=2", target("/chat?a=1&b=2").query());
        assertEquals("/chat", target("/chat").path());
        assertNull(target("/chat").query());
        assertEquals("", target("/chat?").query());
        assertEquals("b?c", target("/a?b?c").query());
    }

    @Test
    void takesThePathOfAnAbsoluteFormTarget() {
        assertEquals("/chat", target("http://example.com:80/chat?x=1").path());
        assertEquals("/", target("ws://example.com").path());
        assertEquals("/", target("ws://example.com?x=1").path());
        assertEquals("x=1", target("ws://example.com?x=1").query());
    }

    @Test
    void matchesTokensCaseInsensitivelyAndWhole() {
        HandshakeRequest request = headers("Connection", "keep-alive, Upgrade", "Upgrade", "WebSocket");
        assertTrue(request.hasToken("connection", "upgrade"));
        assertTrue(request.hasToken("CONNECTION", "Keep-Alive"));
        assertTrue(request.hasToken("Upgrade", "websocket"));
        assertFalse(request.hasToken("Connection", "keep"));
        assertFalse(request.hasToken("Connection", "alive, Upgrade"));
        assertFalse(request.hasToken("Missing", "x"));
        assertFalse(headers("Connection", "upgrader").hasToken("Connection", "upgrade"));
        assertFalse(headers("Connection", "xupgrade").hasToken("Connection", "upgrade"));
        assertFalse(headers("Connection", "").hasToken("Connection", "upgrade"));
    }

    @Test
    void matchesTokensAcrossRepeatedHeaders() {
        assertTrue(headers("Connection", "keep-alive", "connection", "upgrade").hasToken("Connection", "Upgrade"));
    }

    @Test
    void listsOfferedSubprotocolsInOrder() {
        HandshakeRequest request = headers("Sec-WebSocket-Protocol", "chat, superchat",
                "sec-websocket-protocol", " v2.json ,, ");
        assertEquals(List.of("chat", "superchat", "v2.json"), request.subprotocols());
        assertEquals(List.of(), headers().subprotocols());
    }

    @Test
    void returnsHeaderValuesCaseInsensitively() {
        HandshakeRequest request = headers("X-A", "1", "x-a", "2", "Y", "3");
        assertEquals("1", request.header("x-A"));
        assertEquals(List.of("1", "2"), request.headers("X-A"));
        assertEquals(List.of(), request.headers("Z"));
        assertNull(request.header("Z"));
    }

    @Test
    void ofTrimsValuesAndCopiesEntries() {
        Map.Entry<String, String> mutable = new AbstractMap.SimpleEntry<>("X", "  v \t");
        List<Map.Entry<String, String>> list = new ArrayList<>(List.of(mutable));
        HandshakeRequest request = HandshakeRequest.of("GET", "/", "HTTP/1.1", list);
        mutable.setValue("changed");
        list.clear();
        assertEquals("v", request.header("X"));
        assertThrows(UnsupportedOperationException.class, () -> request.headers().clear());
    }

    @Test
    void ofRefusesNulls() {
        assertThrows(NullPointerException.class, () -> HandshakeRequest.of(null, "/", "HTTP/1.1", List.of()));
        List<Map.Entry<String, String>> nullValue = new ArrayList<>();
        nullValue.add(new AbstractMap.SimpleEntry<>("X", null));
        assertThrows(NullPointerException.class, () -> HandshakeRequest.of("GET", "/", "HTTP/1.1", nullValue));
    }

    @Test
    void printsRequestLineAndHeadersForLogging() {
        assertEquals("GET / HTTP/1.1\nHost: a", headers("Host", "a").toString());
    }

    @Test
    void hasNoRemoteAddressUntilOneIsGiven() {
        HandshakeRequest request = HandshakeRequest.of("GET", "/", "HTTP/1.1", List.of());
        java.net.InetSocketAddress client = new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 40001);
        HandshakeRequest located = request.withRemoteAddress(client);
        assertNull(request.remoteAddress());
        assertEquals(client, located.remoteAddress());
        assertEquals(request.toString(), located.toString());
        assertNull(located.withRemoteAddress(null).remoteAddress());
    }
}
