package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keepalive pings, the pong timeout and rtt(). */
class KeepaliveTest {
    private WsServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.listening(ServerOptions.builder()
                .pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofSeconds(1)) // generous: a busy machine may delay the client's pong
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void answeringClientStaysOpenAndRttIsMeasured() throws Exception {
        JdkClient client = JdkClient.connect(
                java.net.URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/"));
        WsPeer peer = server.accept(Duration.ofSeconds(10));
        for (int i = 0; i < 1000 && peer.rtt() == null; i++) {
            Thread.sleep(10);
        }
        assertNotNull(peer.rtt(), "the JDK client answered a keepalive ping");
        assertTrue(peer.rtt().toNanos() > 0);
        assertEquals("ping", client.next().kind());
        // More than two pong timeouts later (pings every 100 ms, each answered) the peer is still open.
        assertThrows(TimeoutException.class, () -> peer.read(Duration.ofMillis(2_500)));
        assertFalse(peer.isClosed());
    }

    @Test
    void silentClientIsDroppedWith1006AndReaderSeesEndOfStream() throws Exception {
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(0x9, client.readFrame().opcode(), "the server pings");
            // The raw client never answers.
            assertNull(peer.read(Duration.ofSeconds(10)));
            assertTrue(peer.isClosed());
            assertEquals(1006, peer.closeStatus().code());
            assertTrue(client.awaitEndOfStream());
        }
    }
}
