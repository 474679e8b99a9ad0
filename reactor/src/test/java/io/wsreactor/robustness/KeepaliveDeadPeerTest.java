package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keepalive: a client that stops answering pings is closed (its reader sees end of stream, 1006); one that answers stays. */
class KeepaliveDeadPeerTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    @Test
    void silentClientIsClosedWith1006WhileAnsweringClientStaysWithRtt() throws Exception {
        server = started.start(ServerOptions.builder()
                .pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofSeconds(1)) // generous: on a busy machine the answerer may start late
                .build());
        try (RawClient answering = RawClient.open(server.localAddress());
                RawClient silent = RawClient.open(server.localAddress())) {
            WsPeer alive = server.accept(Duration.ofSeconds(10));
            WsPeer dead = server.accept(Duration.ofSeconds(10));
            assertNotNull(alive);
            assertNotNull(dead);
            AtomicInteger pongsSent = new AtomicInteger();
            CompletableFuture<Void> answerer = CompletableFuture.runAsync(() -> answerPings(answering, pongsSent));

            // The application reads the silent peer: end of stream once the pong timeout passes.
            Frame frame = dead.read(Duration.ofSeconds(20));
            assertNull(frame, "end of stream");
            assertTrue(dead.isClosed(), "not a timeout: the peer is closed");
            assertEquals(1006, dead.closeStatus().code(), "abnormal closure");
            assertTrue(silent.awaitEndOfStream(), "the silent client's TCP is closed");

            assertTrue(Probes.eventually(() -> alive.rtt() != null, 10_000), "rtt measured");
            assertFalse(alive.rtt().isNegative(), "rtt " + alive.rtt());
            assertFalse(alive.isClosed(), "the answering client stays");
            assertTrue(pongsSent.get() > 0);
            assertTrue(server.stats().closesByCode().getOrDefault(1006, 0L) >= 1, "counted: " + server.stats());
            assertEquals(1, server.stats().openConnections());

            alive.shutdown(1000, "", Duration.ofSeconds(5));
            answerer.get(15, TimeUnit.SECONDS);
            assertEquals(1000, alive.closeStatus().code());
        }
    }

    /** Answers each ping with a pong of the same payload until the server's close, which it answers. */
    private static void answerPings(RawClient client, AtomicInteger pongs) {
        try {
            for (int i = 0; i < 10_000; i++) {
                RawClient.Received frame = client.readFrame();
                if (frame.opcode() == 0x9) {
                    client.sendFrame(0x8A, frame.payload());
                    pongs.incrementAndGet();
                } else if (frame.isClose()) {
                    client.sendClose(frame.closeCode(), "");
                    client.awaitEndOfStream();
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no ping within the socket timeout", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
