package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link WaitStrategy} over real sockets: blocking echoes and accepts work, timeouts and interrupts are honoured,
 * a peer may override the server's strategy, and the end of the stream reaches a spinning reader.
 */
class WaitStrategyTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int MESSAGES = 200;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void aBlockingEchoAnswersEveryMessageInOrder(WaitStrategy strategy) throws Exception {
        WsServer server = started.start(ServerOptions.builder().waitStrategy(strategy).build());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(BOUND);
            assertEquals(strategy, peer.waitStrategy(), "the server's strategy");
            EchoMode.THREAD.serve(peer);
            for (int i = 0; i < MESSAGES; i++) {
                client.sendText("message " + i);
                assertArrayEquals(("message " + i).getBytes(StandardCharsets.UTF_8), client.readFrame().payload());
            }
            assertEquals(1000, client.closeCleanly());
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void acceptTimesOutThenSixteenRacingAcceptorsEachGetOnePeer(WaitStrategy strategy) throws Exception {
        WsServer server = started.start(ServerOptions.builder().waitStrategy(strategy).build());
        assertThrows(TimeoutException.class, () -> server.accept(Duration.ofMillis(30)));
        List<CompletableFuture<WsPeer>> accepted = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            CompletableFuture<WsPeer> peer = new CompletableFuture<>();
            accepted.add(peer);
            Thread acceptor = new Thread(() -> {
                try {
                    peer.complete(server.accept(BOUND));
                } catch (Throwable t) {
                    peer.completeExceptionally(t);
                }
            }, "acceptor-" + i);
            acceptor.setDaemon(true);
            acceptor.start();
        }
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                clients.add(RawClient.open(server.localAddress()));
            }
            Set<WsPeer> peers = new HashSet<>();
            for (CompletableFuture<WsPeer> peer : accepted) {
                peers.add(peer.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            }
            assertEquals(16, peers.size(), "sixteen distinct peers");
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void aWaitingAcceptEndsOnInterruptAndReturnsNullWhenTheServerCloses(WaitStrategy strategy) throws Exception {
        WsServer server = started.start(ServerOptions.builder().waitStrategy(strategy).build());
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Object> interrupted = new CompletableFuture<>();
        Thread acceptor = acceptInThread(server, waiting, interrupted);
        waiting.await();
        acceptor.interrupt();
        assertTrue(interrupted.get(BOUND.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException);

        CountDownLatch waitingAgain = new CountDownLatch(1);
        CompletableFuture<Object> ended = new CompletableFuture<>();
        acceptInThread(server, waitingAgain, ended);
        waitingAgain.await();
        server.close();
        assertEquals("null", ended.get(BOUND.toSeconds(), TimeUnit.SECONDS), "a closed server ends the wait");
    }

    /** Accepts on a new thread; {@code outcome} gets the peer, "null", or what was thrown. */
    private static Thread acceptInThread(WsServer server, CountDownLatch waiting, CompletableFuture<Object> outcome) {
        Thread thread = new Thread(() -> {
            waiting.countDown();
            try {
                WsPeer peer = server.accept();
                outcome.complete(peer == null ? "null" : peer);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "acceptor");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void aPeerOverridesTheServersStrategyAndItsSpinningReadHonoursTimeoutInterruptAndEnd() throws Exception {
        WsServer server = started.start(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(BOUND);
            assertEquals(WaitStrategy.PARK, peer.waitStrategy());
            peer.setWaitStrategy(WaitStrategy.SPIN);
            assertEquals(WaitStrategy.SPIN, peer.waitStrategy());
            assertThrows(TimeoutException.class, () -> peer.read(Duration.ofMillis(30)));

            CountDownLatch reading = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                reading.countDown();
                try {
                    peer.read();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "spinning-reader");
            reader.setDaemon(true);
            reader.start();
            reading.await();
            reader.interrupt();
            assertTrue(outcome.get(BOUND.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException);

            client.sendText("kept");
            assertEquals("kept", peer.read(BOUND).text(), "no frame lost to the interrupt");
            CompletableFuture<Frame> end = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.read(BOUND);
                } catch (InterruptedException | TimeoutException e) {
                    throw new AssertionError(e);
                }
            });
            client.sendClose(1000, "bye");
            assertNull(end.get(BOUND.toSeconds(), TimeUnit.SECONDS), "end of stream reaches a spinning reader");
        }
    }
}
