package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** listen, close and the timeouts of accept, read, write and shutdown. */
class LifecycleTest {

    @Test
    void listenOnUsedPortFailsWithAddressInMessage() throws Exception {
        WsServer first = TestServers.listening(ServerOptions.defaults());
        try {
            int port = first.localAddress().getPort();
            WsServer second = WsServer.create("127.0.0.1", port);
            IOException failure = assertThrows(IOException.class, second::listen);
            assertEquals("127.0.0.1:" + port + " already in use", failure.getMessage());
            assertFalse(second.isListening());
        } finally {
            first.close();
        }
    }

    @Test
    void portZeroGivesRealPortAndNoThreadBeforeListen() throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0);
        assertNull(server.localAddress());
        assertFalse(server.isListening());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("wsreactor-0")), "no thread before listen");
        server.listen();
        try {
            assertTrue(server.isListening());
            assertNotEquals(0, server.localAddress().getPort());
        } finally {
            server.close();
        }
    }

    @Test
    void closeStopsListeningButLeavesPeersWorking() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            server.close();
            assertFalse(server.isListening());
            assertThrows(ConnectException.class, () -> RawClient.connect(server.localAddress()).close());
            assertNull(server.accept(Duration.ofSeconds(1)), "accept after close returns null");
            client.sendText("still here");
            assertEquals(Frame.text("still here"), peer.read(Duration.ofSeconds(10)));
            assertEquals(WriteResult.QUEUED, peer.write(Frame.text("me too")));
            assertEquals("me too", client.readFrame().text());
            peer.shutdown(1000, "bye", Duration.ofSeconds(5));
            assertEquals(1000, client.readFrame().closeCode());
            client.sendClose(1000, "");
            assertTrue(client.awaitEndOfStream());
        }
    }

    @Test
    void waitingAcceptReturnsNullWhenServerCloses() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        CompletableFuture<WsPeer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<WsPeer> async = server.acceptAsync();
        Thread.sleep(100);
        server.close();
        assertNull(blocked.get(10, TimeUnit.SECONDS));
        assertNull(async.get(10, TimeUnit.SECONDS));
    }

    @Test
    void acceptTimesOutWithTimeoutException() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try {
            assertThrows(TimeoutException.class, () -> server.accept(Duration.ofMillis(100)));
            assertTrue(server.isListening());
        } finally {
            server.close();
        }
    }

    @Test
    void readTimeoutIsToldApartFromEndOfStream() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            client.sendFrame(0x89, new byte[0]);
            assertThrows(TimeoutException.class, () -> peer.read(Duration.ofMillis(100)));
            assertFalse(peer.isClosed(), "a timeout is not end of stream");
            client.sendClose(1000, "");
            assertNull(peer.read(Duration.ofSeconds(10)), "end of stream is null");
        } finally {
            server.close();
        }
    }

    @Test
    void peerNotAcceptedInTimeIsClosedWith1013() throws Exception {
        WsServer server = TestServers.listening(
                ServerOptions.builder().acceptTimeout(Duration.ofMillis(200)).build());
        try (RawClient client = RawClient.open(server.localAddress())) {
            assertEquals(1013, client.readFrame().closeCode());
            client.sendClose(1013, "");
            assertTrue(client.awaitEndOfStream());
            assertThrows(TimeoutException.class, () -> server.accept(Duration.ofMillis(50)),
                    "the peer left the accept queue");
        } finally {
            server.close();
        }
    }

    @Test
    void shutdownWithoutClientAnswerEndsWith1006AtTimeout() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            CloseStatus status = peer.shutdown(1000, "bye", Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
            assertEquals(1006, status.code(), "the client never answered");
            assertTrue(peer.isClosed());
            assertEquals(1000, client.readFrame().closeCode());
            assertTrue(client.awaitEndOfStream());
        } finally {
            server.close();
        }
    }

    @Test
    void closeEndsWaitingReadAndRefusesWrites() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            CompletableFuture<Frame> reading = peer.readAsync();
            peer.close();
            assertNull(reading.get(10, TimeUnit.SECONDS));
            assertTrue(peer.isClosed());
            assertEquals(WriteResult.CLOSED, peer.write(Frame.text("x")));
            assertTrue(peer.writeAsync(Frame.text("x")).handle((v, t) -> t != null).get(10, TimeUnit.SECONDS));
            assertNull(peer.read(Duration.ofSeconds(10)));
            assertTrue(client.awaitEndOfStream());
            assertEquals(1006, peer.closeStatus().code());
        } finally {
            server.close();
        }
    }

    @Test
    void shutdownRefusesInvalidCodeAndLongReason() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            client.sendFrame(0x89, new byte[0]);
            assertThrows(IllegalArgumentException.class, () -> peer.shutdown(1005, "", Duration.ofSeconds(1)));
            assertThrows(IllegalArgumentException.class,
                    () -> peer.shutdown(1000, "x".repeat(124), Duration.ofSeconds(1)));
            assertFalse(peer.isClosed());
        } finally {
            server.close();
        }
    }

    @Test
    void readerThreadInterruptedThrowsAndLosesNoFrame() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    peer.read();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            reader.start();
            // interrupt the read while it waits, not before it began (that would test the interrupt flag only)
            for (int i = 0; i < 1000 && !waiting(reader); i++) {
                Thread.sleep(10);
            }
            assertTrue(waiting(reader), "the reader waits for a frame");
            reader.interrupt();
            assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof InterruptedException);
            client.sendText("after interrupt");
            assertEquals(Frame.text("after interrupt"), peer.read(Duration.ofSeconds(10)));
        } finally {
            server.close();
        }
    }

    @Test
    void futureStageThatThrowsOnTheReactorLeavesTheServerWorking() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try (RawClient first = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            CompletableFuture<Void> stage = peer.readAsync().thenAccept(frame -> {
                throw new IllegalStateException("stage failure (expected by the test)");
            });
            first.sendText("trigger");
            assertTrue(stage.handle((v, t) -> t != null).get(10, TimeUnit.SECONDS));
            try (RawClient second = RawClient.open(server.localAddress())) {
                WsPeer other = server.accept(Duration.ofSeconds(10));
                second.sendText("still served");
                assertEquals(Frame.text("still served"), other.read(Duration.ofSeconds(10)));
                assertEquals(WriteResult.QUEUED, peer.write(Frame.text("first peer too")));
                assertEquals("first peer too", first.readFrame().text());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void optionsRejectBadValuesWithTheirName() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().backlog(0));
        assertTrue(failure.getMessage().contains("backlog"));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().outboundHighWaterMark(100).outboundHardLimit(10).build());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().closeTimeout(Duration.ZERO));
        ServerOptions options = ServerOptions.builder().backlog(5).build();
        assertEquals(5, options.toBuilder().build().backlog());
        assertNotNull(ServerOptions.defaults().toString());
    }

    private static boolean waiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
