package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The idle timeout over raw sockets: silence closes with 1001, any byte is life, an abandoned peer is released. */
class IdleTimeoutTest {
    private WsServer server;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    private void start(Duration idleTimeout) throws Exception {
        server = started.start(ServerOptions.builder().idleTimeout(idleTimeout)
                .inboundQueueFrames(4).closeTimeout(Duration.ofSeconds(1)).build());
    }

    @Test
    void silentClientIsClosedWith1001ThroughTheCloseHandshake() throws Exception {
        start(Duration.ofMillis(300));
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            RawClient.Received close = client.readUntilClose();
            assertEquals(1001, close.closeCode());
            client.sendClose(1001, "");
            assertTrue(client.awaitEndOfStream(), "TCP closed after the handshake");
            assertNull(peer.read(Duration.ofSeconds(10)));
            assertEquals(1001, peer.closeStatus().code(), "the client's answer is the status, set before the end");
            peer.shutdown(1000, "", Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS); // waits for TCP to close
        }
        assertEquals(1L, server.stats().closesByInitiator().getOrDefault(CloseInitiator.SERVER, 0L));
    }

    @Test
    void anyByteFromTheClientCountsAsLife() throws Exception {
        start(Duration.ofMillis(1500));
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            // Three idle timeouts' worth of pongs, one every 50 ms: the peer stays open throughout.
            for (int i = 0; i < 90; i++) {
                client.sendFrame(0x8A, new byte[0]);
                Thread.sleep(50);
            }
            assertFalse(peer.isClosed(), "a client sending pongs is not idle");
            client.sendText("still here");
            assertEquals(Frame.text("still here"), peer.read(Duration.ofSeconds(10)));
            // Then silence: closed with 1001.
            assertEquals(1001, client.readUntilClose().closeCode());
        }
    }

    @Test
    @SuppressWarnings("try") // the client closes mid-test; the resource only guards against a failure before that
    void peerWhoseApplicationStoppedReadingIsReleased() throws Exception {
        start(Duration.ofMillis(500));
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            // The application reads nothing: four frames fill the queue, reading pauses, the rest wait in TCP.
            for (int i = 0; i < 20; i++) {
                client.sendText("frame " + i);
            }
            RawClient.Received close = client.readUntilClose();
            assertEquals(1001, close.closeCode());
            client.close(); // the client leaves without answering: the close timeout ends it
            assertEquals(1006, peer.shutdown(1000, "", Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS).code());
            assertTrue(peer.isClosed());
            assertEquals(0, server.stats().openConnections());
        }
    }

    @Test
    void offByDefault() {
        assertEquals(Duration.ZERO, ServerOptions.builder().build().idleTimeout());
    }
}
