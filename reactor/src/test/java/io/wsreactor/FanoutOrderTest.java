package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per peer, published messages and direct writes keep the order their calls made on one thread, with 16 threads
 * publishing to overlapping topics at once; a published message never lands inside a fragmented message.
 */
class FanoutOrderTest {
    private static final int PEERS = 32;
    private static final int THREADS = 16;
    private static final int TOPICS = 4;
    private static final int MESSAGES = 300;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    /** Peer {@code p} subscribes to topic {@code t} when bit {@code t} of {@code p + 1} is set: overlapping sets. */
    private static boolean subscribed(int peer, int topic) {
        return ((peer + 1) >> topic & 1) == 1;
    }

    /** Thread {@code t}'s message {@code j}: a direct write to one peer every fifth, else a publish to a topic. */
    private static boolean direct(int j) {
        return j % 5 == 0;
    }

    private static int topicOf(int thread, int j) {
        return (thread + j) % TOPICS;
    }

    private static int directPeer(int thread, int j) {
        return (thread * 7 + j) % PEERS;
    }

    @Test
    void publishesAndWritesFromSixteenThreadsKeepPerPeerOrder() throws Exception {
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), PEERS, i -> false)) {
            Topic[] topics = new Topic[TOPICS];
            for (int t = 0; t < TOPICS; t++) {
                topics[t] = fixture.server.topic("topic-" + t);
                for (int p = 0; p < PEERS; p++) {
                    if (subscribed(p, t)) {
                        topics[t].subscribe(fixture.peer(p));
                    }
                }
            }
            // What each peer must receive from each thread, in this order.
            List<List<List<Integer>>> expected = new ArrayList<>();
            List<List<List<Integer>>> received = new ArrayList<>();
            for (int p = 0; p < PEERS; p++) {
                expected.add(new ArrayList<>());
                received.add(new ArrayList<>());
                for (int t = 0; t < THREADS; t++) {
                    List<Integer> due = new ArrayList<>();
                    for (int j = 0; j < MESSAGES; j++) {
                        if (direct(j) ? directPeer(t, j) == p : subscribed(p, topicOf(t, j))) {
                            due.add(j);
                        }
                    }
                    expected.get(p).add(due);
                    received.get(p).add(Collections.synchronizedList(new ArrayList<>()));
                }
            }
            fixture.clients.start((client, firstByte, payload) -> received.get(client)
                    .get(FanoutMessages.source(payload)).add(FanoutMessages.sequence(payload)));

            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    try {
                        go.await();
                        for (int j = 0; j < MESSAGES; j++) {
                            Frame frame = Frame.binary(FanoutMessages.tagged(thread, j, j % 3 * 100));
                            if (direct(j)) {
                                fixture.peer(directPeer(thread, j)).writeAsync(frame);
                            } else {
                                PublishResult result = topics[topicOf(thread, j)].publish(frame);
                                if (result.queued() != result.recipients()) {
                                    failures.add("thread " + thread + " message " + j + ": " + result);
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add("thread " + thread + ": " + e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
            assertTrue(Await.until(() -> {
                for (int p = 0; p < PEERS; p++) {
                    for (int t = 0; t < THREADS; t++) {
                        if (received.get(p).get(t).size() < expected.get(p).get(t).size()) {
                            return false;
                        }
                    }
                }
                return true;
            }, 60_000), "every peer got what was due");
            assertNull(fixture.clients.failure());
            for (int p = 0; p < PEERS; p++) {
                for (int t = 0; t < THREADS; t++) {
                    assertEquals(expected.get(p).get(t), received.get(p).get(t), "peer " + p + " from thread " + t);
                }
            }
        }
    }

    @Test
    void aPublishWaitsForTheFragmentedMessageBeingWritten() throws Exception {
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), 2, i -> false)) {
            Topic topic = fixture.server.topic("news");
            topic.subscribe(fixture.peer(0));
            topic.subscribe(fixture.peer(1));
            List<String> frames = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(5);
            fixture.clients.start((client, firstByte, payload) -> {
                frames.add(client + ":" + Integer.toHexString(firstByte) + ":" + new String(payload));
                all.countDown();
            });
            WsPeer writing = fixture.peer(0);
            assertEquals(WriteResult.QUEUED, writing.write(Frame.text("first ", false)));
            PublishResult result = topic.publish(Frame.text("published"));
            assertEquals(2, result.queued(), result.toString());
            assertTrue(Await.until(() -> frames.contains("1:81:published") && frames.contains("0:1:first "), 10_000),
                    "the other peer has it now, and peer 0 the first fragment: " + frames);
            assertTrue(!frames.contains("0:81:published"), "peer 0 has nothing of it before the message ends");
            assertEquals(WriteResult.QUEUED, writing.write(Frame.continuation("part, ".getBytes(), false)));
            assertEquals(WriteResult.QUEUED, writing.write(Frame.continuation("last".getBytes(), true)));
            assertTrue(all.await(10, TimeUnit.SECONDS), frames.toString());
            List<String> toWriting = frames.stream().filter(f -> f.startsWith("0:")).toList();
            assertEquals(List.of("0:1:first ", "0:0:part, ", "0:80:last", "0:81:published"), toWriting);
        }
    }
}
