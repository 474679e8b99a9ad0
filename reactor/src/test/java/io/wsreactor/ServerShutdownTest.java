package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** server.shutdown(timeout) and server.stats(). */
class ServerShutdownTest {

    private static boolean reactorThreadAlive(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("wsreactor-" + port) && t.isAlive());
    }

    @Test
    void shutdownSends1001ToEveryPeerAbortsSilentOnesAndEndsTheThread() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        int port = server.localAddress().getPort();
        List<RawClient> clients = new ArrayList<>();
        List<WsPeer> peers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(RawClient.open(server.localAddress()));
            peers.add(server.accept(Duration.ofSeconds(10)));
        }
        try {
            var done = server.shutdown(Duration.ofMillis(500));
            for (int i = 0; i < clients.size(); i++) {
                RawClient.Received close = clients.get(i).readFrame();
                assertEquals(1001, close.closeCode());
                if (i % 2 == 0) {
                    clients.get(i).sendClose(1001, ""); // half answer, half stay silent
                }
            }
            done.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < clients.size(); i++) {
                assertTrue(clients.get(i).awaitEndOfStream());
                assertTrue(peers.get(i).isClosed());
                assertEquals(i % 2 == 0 ? 1001 : 1006, peers.get(i).closeStatus().code());
            }
            assertFalse(server.isListening());
            for (int i = 0; i < 1000 && reactorThreadAlive(port); i++) { // at most 10 s: the end is not timed
                Thread.sleep(10);
            }
            assertFalse(reactorThreadAlive(port), "no library thread left");
            ServerStats stats = server.stats();
            assertEquals(0, stats.openConnections());
            assertEquals(10L, stats.closesByCode().get(1001));
            assertEquals(10L, stats.closesByCode().get(1006));
            assertEquals(20L, stats.closesByInitiator().get(CloseInitiator.SERVER));
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void closeThenLastPeerClosingEndsTheThread() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        int port = server.localAddress().getPort();
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            client.sendText("keeps the client in use");
            server.close();
            assertTrue(reactorThreadAlive(port), "the reactor serves the open peer");
            peer.close();
            for (int i = 0; i < 1000 && reactorThreadAlive(port); i++) {
                Thread.sleep(10);
            }
            assertFalse(reactorThreadAlive(port));
        }
    }

    @Test
    void statsCountFramesBytesClosesAndProtocolErrors() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try {
            try (RawClient client = RawClient.open(server.localAddress())) {
                WsPeer peer = server.accept(Duration.ofSeconds(10));
                client.sendText("12345");
                peer.write(peer.read(Duration.ofSeconds(10)));
                assertEquals("12345", client.readFrame().text());
                client.sendClose(4000, "");
                assertNull(peer.read(Duration.ofSeconds(10)));
                client.readFrame();
                assertTrue(client.awaitEndOfStream());
            }
            try (RawClient client = RawClient.open(server.localAddress())) {
                WsPeer peer = server.accept(Duration.ofSeconds(10));
                client.write(RawClient.frameBytes(0x81, new byte[] {1}, false)); // unmasked
                assertNull(peer.read(Duration.ofSeconds(10)));
                assertEquals(1002, client.readUntilClose().closeCode());
            }
            ServerStats stats = null;
            for (int i = 0; i < 1000; i++) {
                stats = server.stats();
                if (stats.closesByCode().size() == 2) {
                    break;
                }
                Thread.sleep(10);
            }
            assertEquals(2, stats.handshakesAccepted());
            assertEquals(1, stats.framesIn());
            assertEquals(5, stats.bytesIn());
            assertTrue(stats.framesOut() >= 3, stats::toString); // echo + two close frames
            assertEquals(1L, stats.closesByCode().get(4000));
            assertEquals(1L, stats.closesByCode().get(1002));
            assertEquals(1L, stats.closesByInitiator().get(CloseInitiator.CLIENT));
            assertEquals(1L, stats.protocolErrors().get(1002));
        } finally {
            server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }
}
