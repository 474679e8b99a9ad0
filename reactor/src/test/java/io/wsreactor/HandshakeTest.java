package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;
import io.wsreactor.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each handshake rejection with its status, the hook's paths and the capacity limits, over raw sockets. */
class HandshakeTest {
    private WsServer server;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    private String respond(String request) throws Exception {
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = client.readHttpResponse();
            if (!response.startsWith("HTTP/1.1 101")) {
                assertTrue(client.awaitEndOfStream(), "the server closes after a rejection");
            }
            return response;
        }
    }

    private void startDefault() throws Exception {
        server = started.start(ServerOptions.builder().maxHandshakeBytes(1024).build());
    }

    @Test
    void aPingSentWithTheUpgradeIsAnsweredAfterThe101() throws Exception {
        startDefault();
        try (RawClient client = RawClient.connect(server.localAddress())) {
            byte[] request = RawClient.upgradeRequest("/");
            byte[] ping = RawClient.frameBytes(0x89, new byte[] {7}, true);
            byte[] both = new byte[request.length + ping.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(ping, 0, both, request.length, ping.length);
            client.write(both); // one write: the ping is decoded in the same step as the upgrade
            assertTrue(client.readHttpHead().startsWith("HTTP/1.1 101"), "the response comes before any frame");
            RawClient.Received pong = client.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals(7, pong.payload()[0]);
        }
    }

    @Test
    void rejectsPostWith405() throws Exception {
        startDefault();
        assertTrue(respond(RawClient.upgradeRequestText("/").replace("GET", "POST")).startsWith("HTTP/1.1 405"));
    }

    @Test
    void rejectsMissingUpgradeWith426() throws Exception {
        startDefault();
        assertTrue(respond(RawClient.upgradeRequestText("/").replace("Upgrade: websocket\r\n", ""))
                .startsWith("HTTP/1.1 426"));
    }

    @Test
    void rejectsMissingKeyWith400() throws Exception {
        startDefault();
        String request = RawClient.upgradeRequestText("/").replaceAll("Sec-WebSocket-Key: [^\r]*\r\n", "");
        assertTrue(respond(request).startsWith("HTTP/1.1 400"));
    }

    @Test
    void rejectsWrongVersionWith426() throws Exception {
        startDefault();
        String response = respond(RawClient.upgradeRequestText("/").replace("Version: 13", "Version: 8"));
        assertTrue(response.startsWith("HTTP/1.1 426"));
        assertTrue(response.contains("Sec-WebSocket-Version: 13"));
    }

    @Test
    void rejectsGarbageWith400() throws Exception {
        startDefault();
        assertTrue(respond("HELLO\r\n\r\n").startsWith("HTTP/1.1 400"));
    }

    @Test
    void answersATlsClientHelloOnThePlainPortWith400WithoutWaitingForTheTimeout() throws Exception {
        // A handshake timeout far beyond the client's read timeout: only an answer to the first bytes passes.
        server = started.start(ServerOptions.builder().handshakeTimeout(Duration.ofMinutes(10)).build());
        byte[] clientHelloStart = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.write(clientHelloStart);
            assertTrue(client.readHttpResponse().startsWith("HTTP/1.1 400"));
            assertTrue(client.awaitEndOfStream(), "the server closes after the rejection");
        }
        assertEquals(1L, server.stats().handshakesRejected().getOrDefault(400, 0L));
    }

    @Test
    void rejectsOversizedRequestWith431() throws Exception {
        startDefault();
        String big = RawClient.upgradeRequestText("/")
                .replace("\r\n\r\n", "\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
        assertTrue(respond(big).startsWith("HTTP/1.1 431"));
    }

    @Test
    void hookSeesRequestAndCanAddHeaders() throws Exception {
        startDefault();
        server.setProxyHandshake((request, response) -> response.withHeader("X-Seen", request.path()));
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.write(RawClient.upgradeRequest("/chat?room=1"));
            String response = client.readHttpResponse();
            assertTrue(response.startsWith("HTTP/1.1 101"));
            assertTrue(response.contains("X-Seen: /chat"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals("room=1", peer.request().query());
        }
    }

    @Test
    void thePeerKeepsTheRequestLessTheHandshakesOwnHeadersWhichTheHookStillSees() throws Exception {
        startDefault();
        AtomicReference<String> keySeenByHook = new AtomicReference<>();
        server.setProxyHandshake((request, response) -> {
            keySeenByHook.set(request.header("Sec-WebSocket-Key"));
            return response;
        });
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.write(RawClient.upgradeRequestText("/room")
                    .replace("\r\n\r\n", "\r\nCookie: id=7\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(client.readHttpResponse().startsWith("HTTP/1.1 101"));
            HandshakeRequest request = server.accept(Duration.ofSeconds(10)).request();
            assertNotNull(keySeenByHook.get(), "the hook saw the whole request");
            assertEquals("/room", request.path());
            assertEquals("id=7", request.header("Cookie"));
            assertEquals(List.of("chat"), request.subprotocols());
            assertNotNull(request.header("Host"));
            for (String answered : List.of("Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version")) {
                assertNull(request.header(answered), answered + " was answered by the 101 and is not kept");
            }
        }
    }

    @Test
    void hookRejectsWithItsOwnStatus() throws Exception {
        startDefault();
        server.setProxyHandshake((request, response) -> HandshakeResponse.reject(403, "go away"));
        assertTrue(respond(RawClient.upgradeRequestText("/")).startsWith("HTTP/1.1 403"));
        assertEquals(1L, server.stats().handshakesRejected().get(403));
    }

    @Test
    void hookThatThrowsGives500AndServerGoesOn() throws Exception {
        startDefault();
        server.setProxyHandshake((request, response) -> {
            throw new IllegalStateException("hook failure (expected by the test)");
        });
        assertTrue(respond(RawClient.upgradeRequestText("/")).startsWith("HTTP/1.1 500"));
        server.setProxyHandshake(null);
        assertTrue(respond(RawClient.upgradeRequestText("/")).startsWith("HTTP/1.1 101"));
    }

    @Test
    void hookThatReturnsNullGives500() throws Exception {
        startDefault();
        server.setProxyHandshake((request, response) -> null);
        assertTrue(respond(RawClient.upgradeRequestText("/")).startsWith("HTTP/1.1 500"));
    }

    @Test
    void asyncHookCompletedFromAnotherThreadAccepts() throws Exception {
        startDefault();
        server.setProxyHandshakeAsync((request, response) -> CompletableFuture.supplyAsync(
                () -> response.withHeader("X-Async", "yes")));
        try (RawClient client = RawClient.connect(server.localAddress())) {
            byte[] request = RawClient.upgradeRequest("/");
            byte[] frame = RawClient.frameBytes(0x81, "with the request".getBytes(StandardCharsets.UTF_8), true);
            byte[] both = new byte[request.length + frame.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(frame, 0, both, request.length, frame.length);
            client.write(both);
            String response = client.readHttpResponse();
            assertTrue(response.startsWith("HTTP/1.1 101"));
            assertTrue(response.contains("X-Async: yes"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(Frame.text("with the request"), peer.read(Duration.ofSeconds(10)));
        }
    }

    @Test
    void asyncHookThatNeverAnswersGives503AtHandshakeTimeout() throws Exception {
        server = started.start(ServerOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build());
        server.setProxyHandshakeAsync((request, response) -> new CompletableFuture<>());
        assertTrue(respond(RawClient.upgradeRequestText("/")).startsWith("HTTP/1.1 503"));
    }

    @Test
    void asyncHookFailureGives500() throws Exception {
        startDefault();
        server.setProxyHandshakeAsync((request, response) -> CompletableFuture.failedFuture(
                new IllegalStateException("async hook failure (expected by the test)")));
        assertTrue(respond(RawClient.upgradeRequestText("/")).startsWith("HTTP/1.1 500"));
    }

    @Test
    @SuppressWarnings("try") // the clients are there to hold the accept queue's two places
    void acceptQueueFullForTheWholeHandshakeTimeoutGives503WithRetryAfter() throws Exception {
        server = started.start(ServerOptions.builder().backlog(2)
                .handshakeTimeout(Duration.ofMillis(300)).build());
        try (RawClient first = RawClient.open(server.localAddress());
                RawClient second = RawClient.open(server.localAddress())) {
            String response = respond(RawClient.upgradeRequestText("/"));
            assertTrue(response.startsWith("HTTP/1.1 503"), response);
            assertTrue(response.contains("Retry-After:"), response);
            assertEquals(1L, server.stats().handshakesRejected().getOrDefault(503, 0L));
        }
    }

    @Test
    @SuppressWarnings("try") // first and second are there to hold the accept queue's two places
    void upgradeFindingTheAcceptQueueFullWaitsForRoomAndKeepsItsFirstFrame() throws Exception {
        server = started.start(ServerOptions.builder().backlog(2)
                .handshakeTimeout(Duration.ofMinutes(1)).build());
        try (RawClient first = RawClient.open(server.localAddress());
                RawClient second = RawClient.open(server.localAddress());
                RawClient third = RawClient.connect(server.localAddress())) {
            java.io.ByteArrayOutputStream upgradeAndFrame = new java.io.ByteArrayOutputStream();
            upgradeAndFrame.writeBytes(RawClient.upgradeRequest("/"));
            upgradeAndFrame.writeBytes(RawClient.frameBytes(0x81, "sent with the upgrade".getBytes(), true));
            third.write(upgradeAndFrame.toByteArray());
            third.setTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, third::readHttpResponse,
                    "no answer while the accept queue is full");
            third.setTimeout(30_000);
            assertNotNull(server.accept(Duration.ofSeconds(10)), "room is made");
            assertTrue(third.readHttpResponse().startsWith("HTTP/1.1 101"), "the waiting upgrade goes on");
            assertNotNull(server.accept(Duration.ofSeconds(10)));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(Frame.text("sent with the upgrade"), peer.read(Duration.ofSeconds(10)));
        }
        assertTrue(server.stats().handshakesRejected().isEmpty(), server.stats().toString());
    }

    @Test
    void maxConnectionsGives503() throws Exception {
        server = started.start(ServerOptions.builder().maxConnections(1).build());
        try (RawClient first = RawClient.open(server.localAddress())) {
            first.sendText("connected");
            assertNotNull(server.accept(Duration.ofSeconds(10)));
            String response = respond(RawClient.upgradeRequestText("/"));
            assertTrue(response.startsWith("HTTP/1.1 503"), response);
            assertEquals(1L, server.stats().openConnections());
        }
    }

    @Test
    void slowHandshakeIsClosedAtHandshakeTimeout() throws Exception {
        server = started.start(ServerOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build());
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(client.awaitEndOfStream(), "the server drops an unfinished handshake");
        }
        assertThrows(TimeoutException.class, () -> server.accept(Duration.ofMillis(10)));
    }
}
