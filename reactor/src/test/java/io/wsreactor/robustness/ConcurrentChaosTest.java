package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.SlowConsumerException;
import io.wsreactor.SlowConsumerPolicy;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Application threads doing random things to the same peers at once (blocking and async reads and writes, policy
 * changes, shutdown, close) while their clients send, ping, close and drop at random. No call may throw anything
 * its Javadoc does not name, every future must complete, the reactor must live on, and every connection must end.
 */
class ConcurrentChaosTest {
    private static final int CONNECTIONS = 100;
    private static final int OPS_PER_THREAD = 300;

    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    private final java.util.Queue<Pending> futures = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A future the test waits for, with what made it. */
    private record Pending(String what, WsPeer peer, CompletableFuture<?> future) {
    }

    @Test
    void randomConcurrentCallsOnPeersWhileClientsMisbehaveLeaveNothingHanging() throws Exception {
        server = started.start(ServerOptions.builder()
                .outboundHighWaterMark(32 * 1024)
                .outboundHardLimit(256 * 1024)
                .closeTimeout(Duration.ofMillis(300))
                .build());
        ExecutorService appThreads = Executors.newFixedThreadPool(12);
        ExecutorService clientThreads = Executors.newFixedThreadPool(12);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            RawClient client = RawClient.open(server.localAddress(), c % 3 == 0 ? 4096 : 0);
            client.setTimeout(2_000);
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            long seed = 9_000 + c;
            work.add(clientThreads.submit(() -> misbehave(client, new Random(seed))));
            for (int t = 0; t < 3; t++) {
                long threadSeed = seed * 7 + t;
                work.add(appThreads.submit(() -> poke(peer, new Random(threadSeed))));
            }
        }
        for (Future<?> future : work) {
            future.get(120, TimeUnit.SECONDS);
        }
        appThreads.shutdown();
        clientThreads.shutdown();
        assertTrue(appThreads.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(clientThreads.awaitTermination(30, TimeUnit.SECONDS));

        assertTrue(unexpected.isEmpty(), unexpected.size() + " unexpected exceptions, first: "
                + (unexpected.isEmpty() ? "" : stackOf(unexpected.get(0))));
        assertTrue(Probes.eventually(() -> futures.stream().allMatch(p -> p.future().isDone()), 20_000),
                "every future completes; not done: " + describe(futures.stream().filter(p -> !p.future().isDone())
                        .toList()));
        for (Pending pending : futures) {
            try {
                pending.future().get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                assertTrue(cause instanceof ClosedChannelException || cause instanceof SlowConsumerException
                        || cause instanceof IOException, "documented failure: " + cause);
            }
        }
        assertTrue(Probes.eventually(() -> server.stats().openConnections() == 0, 20_000),
                "every connection ended: " + server.stats());
        assertEquals(1, Probes.threadsNamed("wsreactor-" + server.localAddress().getPort()), "reactor alive");
        AsyncEchoApp.start(server);
        try (RawClient client = RawClient.open(server.localAddress())) {
            client.sendText("after the chaos");
            assertEquals("after the chaos", client.readFrame().text());
        }
    }

    /** One application thread's random calls on a peer; ends by closing it (gracefully or not). */
    private Void poke(WsPeer peer, Random random) {
        try {
            for (int i = 0; i < OPS_PER_THREAD; i++) {
                switch (random.nextInt(20)) {
                    case 0, 1, 2, 3 -> peer.write(Frame.text("w" + i), Duration.ofMillis(random.nextInt(20)));
                    case 4, 5, 6 -> futures.add(new Pending("writeAsync", peer, peer.writeAsync(Frame.binary(new byte[random.nextInt(20_000)]))));
                    case 7, 8, 9 -> readOrTimeOut(() -> peer.read(Duration.ofMillis(random.nextInt(20))));
                    case 10, 11 -> futures.add(new Pending("readAsync", peer, peer.readAsync()));
                    case 12 -> readOrTimeOut(() -> peer.readMessage(Duration.ofMillis(5)));
                    case 13 -> peer.setSlowConsumerPolicy(SlowConsumerPolicy.values()[random.nextInt(4)]);
                    case 14 -> futures.add(new Pending("writeAsync(ping)", peer, peer.writeAsync(Frame.ping(new byte[random.nextInt(126)]))));
                    case 15 -> {
                        peer.isClosed();
                        peer.closeStatus();
                        peer.rtt();
                        peer.request();
                    }
                    case 16 -> {
                        if (random.nextInt(30) == 0) {
                            futures.add(new Pending("shutdown", peer, peer.shutdown(1000, "bye", Duration.ofMillis(random.nextInt(200)))));
                        }
                    }
                    case 17 -> {
                        if (random.nextInt(60) == 0) {
                            peer.close();
                        }
                    }
                    default -> Thread.onSpinWait();
                }
            }
            if (random.nextBoolean()) {
                futures.add(new Pending("final shutdown", peer, peer.shutdown(1001, "done", Duration.ofMillis(200))));
            } else {
                peer.close();
            }
        } catch (InterruptedException e) {
            unexpected.add(e);
        } catch (RuntimeException | Error e) {
            unexpected.add(e);
        }
        return null;
    }

    private interface TimedRead {
        Frame read() throws InterruptedException, TimeoutException;
    }

    /** A timed read in the chaos: a timeout is one of the outcomes being exercised. */
    private static void readOrTimeOut(TimedRead read) throws InterruptedException {
        try {
            read.read();
        } catch (TimeoutException expected) {
            // nothing came in time: fine
        }
    }

    /** A client's random behaviour: send, ping, read, sometimes close or drop; IO errors are its own business. */
    private Void misbehave(RawClient client, Random random) {
        try {
            for (int i = 0; i < 200; i++) {
                switch (random.nextInt(10)) {
                    case 0, 1, 2 -> client.sendText("c" + i);
                    case 3 -> client.sendPing(new byte[] {(byte) i});
                    case 4, 5, 6, 7 -> {
                        RawClient.Received frame = client.readFrame();
                        if (frame.isClose()) {
                            client.sendClose(frame.closeCode() == 1005 ? 1000 : frame.closeCode(), "");
                            client.awaitEndOfStream();
                            return null;
                        }
                    }
                    case 8 -> {
                        if (random.nextInt(20) == 0) {
                            client.sendClose(1000, "");
                        }
                    }
                    default -> {
                        if (random.nextInt(40) == 0) {
                            client.abort();
                            return null;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the server closed, or our own abort
        } finally {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        return null;
    }

    private static String describe(List<Pending> pending) {
        StringBuilder text = new StringBuilder(pending.size() + " futures");
        pending.stream().limit(10).forEach(p -> text.append("; ").append(p.what()).append(" on a peer closed=")
                .append(p.peer().isClosed()).append(" status=").append(p.peer().closeStatus()));
        return text.toString();
    }

    private static String stackOf(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
