package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server with several reactors ({@link ServerOptions#reactors()}): connections are spread over them, each peer
 * stays on its reactor, and accept, stats, close and shutdown work across all of them.
 */
class ReactorsTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();

    private static ServerOptions reactors(int n) {
        return ServerOptions.builder().reactors(n).build();
    }

    /** How many peers live on each reactor. */
    private static Map<Reactor, Integer> byReactor(List<WsPeer> peers) {
        Map<Reactor, Integer> counts = new IdentityHashMap<>();
        for (WsPeer peer : peers) {
            counts.merge(peer.connection.reactor, 1, Integer::sum);
        }
        return counts;
    }

    /** Waits (at most 10 s, a failure bound) until {@code condition} holds; returns whether it did. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Test
    void publishesFromSeveralThreadsReachSubscribersOnEveryReactorWholeAndInOrder() throws Exception {
        WsServer server = started.start(reactors(4));
        Topic topic = server.topic("ticks");
        List<RawClient> clients = new ArrayList<>();
        List<WsPeer> peers = new ArrayList<>();
        int publishers = 4;
        int perPublisher = 200;
        try {
            for (int i = 0; i < 12; i++) {
                clients.add(RawClient.open(server.localAddress()));
                WsPeer peer = server.accept(Duration.ofSeconds(10));
                peers.add(peer);
                assertTrue(topic.subscribe(peer));
            }
            assertEquals(4, byReactor(peers).size(), "subscribers on every reactor");
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int publisher = p;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        topic.publish(Frame.text(publisher + ":" + i));
                    }
                }));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (RawClient client : clients) {
                int[] next = new int[publishers];
                for (int n = 0; n < publishers * perPublisher; n++) {
                    String[] parts = client.readFrame().text().split(":");
                    int publisher = Integer.parseInt(parts[0]);
                    assertEquals(next[publisher]++, Integer.parseInt(parts[1]), "each publisher's order kept");
                }
            }
        } finally {
            for (RawClient client : clients) {
                client.abort();
            }
        }
    }

    @Test
    void spreadsPeersEvenlyOverEveryReactorAndCompletesTheirFuturesThere() throws Exception {
        WsServer server = started.start(reactors(4));
        List<RawClient> clients = new ArrayList<>();
        List<WsPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                clients.add(RawClient.open(server.localAddress()));
                peers.add(server.accept(Duration.ofSeconds(10)));
            }
            Map<Reactor, Integer> counts = byReactor(peers);
            assertEquals(4, counts.size(), "every reactor got connections: " + counts.values());
            assertTrue(counts.values().stream().allMatch(n -> n == 2), "in turn, two each: " + counts.values());
            for (int i = 0; i < peers.size(); i++) {
                WsPeer peer = peers.get(i);
                CompletableFuture<Thread> completedOn = peer.readAsync().thenApply(frame -> Thread.currentThread());
                clients.get(i).sendText("hello " + i);
                assertSame(peer.connection.reactor.thread, completedOn.get(10, TimeUnit.SECONDS),
                        "the read completed on the peer's own reactor");
                CompletableFuture<Thread> writtenOn = peer.writeAsync(Frame.text("back " + i))
                        .thenApply(ignored -> Thread.currentThread());
                assertEquals("back " + i, clients.get(i).readFrame().text());
                Thread writer = writtenOn.get(10, TimeUnit.SECONDS);
                assertTrue(writer == peer.connection.reactor.thread || writer == Thread.currentThread(),
                        "the write completed on the peer's reactor (or had already when the stage was added)");
            }
            ServerStats stats = server.stats();
            assertEquals(8, stats.openConnections(), "summed over the reactors: " + stats);
            assertEquals(8, stats.handshakesAccepted());
            assertEquals(8, stats.framesIn());
            assertEquals(8, stats.framesOut());
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void sixteenThreadsWritingToPeersOnFourReactorsKeepEveryFrameIntactAndInOrder() throws Exception {
        WsServer server = started.start(ServerOptions.builder().reactors(4).outboundHighWaterMark(64 * 1024).build());
        int threads = 16;
        int perThread = 300;
        List<RawClient> clients = new ArrayList<>();
        List<WsPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                clients.add(RawClient.open(server.localAddress()));
                peers.add(server.accept(Duration.ofSeconds(10)));
            }
            assertEquals(4, byReactor(peers).size());
            CountDownLatch start = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread writer = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            for (WsPeer peer : peers) { // every thread writes to peers on every reactor
                                String head = id + ":" + i + ":";
                                String text = head + head.repeat(i % 7 == 0 ? 40 : 1);
                                if (peer.write(Frame.text(text), Duration.ofSeconds(30)) != WriteResult.QUEUED) {
                                    throw new AssertionError("write refused");
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "writer-" + t);
                writers.add(writer);
                writer.start();
            }
            start.countDown();
            List<Thread> readers = new ArrayList<>();
            for (RawClient client : clients) {
                Thread reader = new Thread(() -> {
                    try {
                        Map<Integer, Integer> nextByThread = new HashMap<>();
                        for (int n = 0; n < threads * perThread; n++) {
                            String text = client.readFrame().text();
                            String[] parts = text.split(":", 3);
                            int id = Integer.parseInt(parts[0]);
                            int i = Integer.parseInt(parts[1]);
                            String head = id + ":" + i + ":";
                            assertEquals(head + head.repeat(i % 7 == 0 ? 40 : 1), text, "frame intact");
                            assertEquals(nextByThread.getOrDefault(id, 0), i, "thread " + id + " order kept");
                            nextByThread.put(id, i + 1);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                readers.add(reader);
                reader.start();
            }
            for (Thread thread : readers) {
                thread.join(120_000);
                assertTrue(!thread.isAlive(), "a client still reading after 2 minutes");
            }
            for (Thread writer : writers) {
                writer.join(30_000);
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertEquals((long) threads * perThread * peers.size(), server.stats().framesOut());
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void shutdownClosesThousandPeersOnFourReactorsWith1001AndEndsEveryReactor() throws Exception {
        shutdownClosesEveryPeerWith1001AndEndsEveryReactor(4, 1000);
    }

    /** More reactors than this machine's cores: the same guarantees, only more threads sharing them. */
    @Test
    void shutdownClosesPeersOnEightReactorsWith1001AndEndsEveryReactor() throws Exception {
        shutdownClosesEveryPeerWith1001AndEndsEveryReactor(8, 400);
    }

    private static void shutdownClosesEveryPeerWith1001AndEndsEveryReactor(int reactors, int count) throws Exception {
        WsServer server = TestServers.listening(ServerOptions.builder().reactors(reactors).backlog(2048).build());
        List<RawClient> clients = new ArrayList<>();
        List<WsPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                clients.add(RawClient.open(server.localAddress()));
            }
            for (int i = 0; i < count; i++) {
                peers.add(server.accept(Duration.ofSeconds(30)));
            }
            Map<Reactor, Integer> counts = byReactor(peers);
            assertEquals(reactors, counts.size());
            assertTrue(counts.values().stream().allMatch(n -> n == count / reactors),
                    "as many each: " + counts.values());
            List<Thread> reactorThreads = new ArrayList<>();
            counts.keySet().forEach(reactor -> reactorThreads.add(reactor.thread));

            CompletableFuture<Void> done = server.shutdown(Duration.ofSeconds(30));
            for (RawClient client : clients) {
                RawClient.Received close = client.readUntilClose(10);
                assertEquals(1001, close.closeCode());
                client.sendClose(1001, "");
                assertTrue(client.awaitEndOfStream(), "the server closed TCP after the close handshake");
            }
            done.get(60, TimeUnit.SECONDS);
            for (Thread thread : reactorThreads) {
                thread.join(10_000);
                assertTrue(!thread.isAlive(), thread.getName() + " ended");
            }
            ServerStats stats = server.stats();
            assertEquals(0, stats.openConnections(), stats.toString());
            assertEquals((long) count, stats.closesByCode().getOrDefault(1001, 0L), "every peer closed 1001: " + stats);
            assertNull(server.accept(Duration.ofSeconds(1)), "accept after shutdown gets null");
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
            server.shutdown(Duration.ofSeconds(1)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeStopsEveryReactorListeningWhileAcceptedPeersOnAllOfThemKeepWorking() throws Exception {
        WsServer server = started.start(reactors(3));
        List<RawClient> clients = new ArrayList<>();
        List<WsPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                clients.add(RawClient.open(server.localAddress()));
                if (i < 3) {
                    peers.add(server.accept(Duration.ofSeconds(10)));
                }
            }
            assertEquals(3, byReactor(peers).size(), "accepted peers on all three reactors");
            assertTrue(eventually(() -> server.stats().openConnections() == 6));
            server.close();
            for (int i = 3; i < 6; i++) { // handshaken, never accepted: on three reactors too
                assertEquals(1001, clients.get(i).readUntilClose(10).closeCode());
            }
            for (int i = 0; i < 3; i++) {
                clients.get(i).sendText("still " + i);
                Frame frame = peers.get(i).read(Duration.ofSeconds(10));
                assertEquals("still " + i, frame.text());
                assertEquals(WriteResult.QUEUED, peers.get(i).write(frame));
                assertEquals("still " + i, clients.get(i).readFrame().text());
            }
            assertNull(server.accept(Duration.ofSeconds(1)));
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(server.localAddress(), 2000);
                throw new AssertionError("the port still accepts connections after close()");
            } catch (java.net.ConnectException expected) {
                // the listening socket is closed
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void maxConnectionsCountsThePeersOfEveryReactor() throws Exception {
        WsServer server = started.start(ServerOptions.builder().reactors(4).maxConnections(6).build());
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                clients.add(RawClient.open(server.localAddress()));
            }
            for (int i = 0; i < 4; i++) { // whichever reactor it lands on, the seventh is one too many
                try (RawClient extra = RawClient.connect(server.localAddress())) {
                    extra.write(RawClient.upgradeRequest("/"));
                    String head = extra.readHttpHead();
                    assertTrue(head.startsWith("HTTP/1.1 503"), "beyond maxConnections: " + head);
                }
            }
            assertEquals(4L, server.stats().handshakesRejected().getOrDefault(503, 0L));
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void acceptAsyncTakesPeersOfEveryReactorInOneQueue() throws Exception {
        WsServer server = started.start(reactors(2));
        List<RawClient> clients = new ArrayList<>();
        try {
            List<CompletableFuture<WsPeer>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(server.acceptAsync());
            }
            for (int i = 0; i < 4; i++) {
                clients.add(RawClient.open(server.localAddress()));
            }
            List<WsPeer> peers = new ArrayList<>();
            for (CompletableFuture<WsPeer> future : waiting) {
                peers.add(future.get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, byReactor(peers).size());
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void rejectsReactorCountsOutOfRange() {
        for (int bad : new int[] {0, -1, ServerOptions.MAX_REACTORS + 1}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ServerOptions.builder().reactors(bad));
            assertTrue(e.getMessage().contains("reactors"), e.getMessage());
        }
        assertEquals(1, ServerOptions.defaults().reactors());
    }
}
