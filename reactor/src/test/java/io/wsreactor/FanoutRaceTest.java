package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Subscriptions and closes racing with publishes: nothing lost or misordered for live peers, nothing leaked. */
class FanoutRaceTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void subscribeAndUnsubscribeRaceWithPublishAndClose() throws Exception {
        int peers = 64;
        int publishers = 4;
        int messages = 2000;
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), peers, i -> false)) {
            Topic topic = fixture.server.topic("race");
            AtomicIntegerArray[] last = new AtomicIntegerArray[publishers];
            for (int s = 0; s < publishers; s++) {
                last[s] = new AtomicIntegerArray(peers);
                for (int p = 0; p < peers; p++) {
                    last[s].set(p, -1);
                }
            }
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            fixture.clients.start((client, firstByte, payload) -> {
                int source = FanoutMessages.source(payload);
                int sequence = FanoutMessages.sequence(payload);
                if (source < publishers) { // a subscription may miss messages, never reorder them
                    if (sequence <= last[source].get(client)) {
                        failures.add("peer " + client + " got " + sequence + " after " + last[source].get(client));
                    }
                    last[source].set(client, sequence);
                }
            });
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < publishers; s++) {
                int source = s;
                threads.add(new Thread(run(go, failures, () -> {
                    for (int j = 0; j < messages; j++) {
                        PublishResult result = topic.publish(Frame.binary(FanoutMessages.tagged(source, j, 16)));
                        if (result.dropped() + result.refused() > 0) {
                            failures.add("publish " + j + ": " + result);
                        }
                    }
                })));
            }
            for (int c = 0; c < 2; c++) {
                Random random = new Random(c);
                threads.add(new Thread(run(go, failures, () -> {
                    for (int j = 0; j < 20_000; j++) {
                        WsPeer peer = fixture.peer(random.nextInt(peers));
                        if (random.nextBoolean()) {
                            topic.subscribe(peer);
                        } else {
                            topic.unsubscribe(peer);
                        }
                    }
                })));
            }
            threads.add(new Thread(run(go, failures, () -> {
                for (int p = 0; p < peers; p += 4) { // every fourth peer closes while the others race
                    fixture.peer(p).close();
                    Thread.sleep(5);
                }
            })));
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join(120_000);
                assertFalse(thread.isAlive(), "a racing thread finished");
            }
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures));

            // Closed peers left the topic, and the count agrees with who is subscribed.
            assertTrue(Await.until(() -> {
                int subscribed = 0;
                for (int p = 0; p < peers; p++) {
                    if (topic.isSubscribed(fixture.peer(p))) {
                        if (p % 4 == 0) {
                            return false;
                        }
                        subscribed++;
                    }
                }
                return subscribed == topic.subscriberCount();
            }, 30_000), "closed peers left, the count is right");
            for (int p = 0; p < peers; p += 4) {
                assertFalse(topic.subscribe(fixture.peer(p)), "a closed peer cannot subscribe");
            }
            // Every live peer subscribed now gets the next message.
            for (int p = 1; p < peers; p++) {
                if (p % 4 != 0) {
                    topic.subscribe(fixture.peer(p));
                }
            }
            assertEquals(peers - peers / 4, topic.subscriberCount());
            assertEquals(peers - peers / 4, topic.publish(Frame.binary(FanoutMessages.tagged(0, messages, 0))).queued());
            assertTrue(Await.until(() -> {
                for (int p = 1; p < peers; p++) {
                    if (p % 4 != 0 && last[0].get(p) != messages) {
                        return false;
                    }
                }
                return true;
            }, 30_000), "every live subscriber got the last message");
            assertTrue(Await.until(() -> fixture.server.stats().heldBytes() == 0, 30_000),
                    "nothing held: " + fixture.server.stats().heldBytes());
            assertNull(fixture.clients.failure());
        }
    }

    @Test
    void peersClosingMidPublishCostTheOthersNothing() throws Exception {
        int peers = 1000;
        int messages = 200;
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), peers, i -> false)) {
            Topic topic = fixture.server.topic("midway");
            for (int p = 0; p < peers; p++) {
                topic.subscribe(fixture.peer(p));
            }
            AtomicIntegerArray next = new AtomicIntegerArray(peers);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            fixture.clients.start((client, firstByte, payload) -> {
                int sequence = FanoutMessages.sequence(payload);
                if (sequence != next.get(client)) {
                    failures.add("peer " + client + " got " + sequence + " where " + next.get(client) + " was due");
                }
                next.set(client, sequence + 1);
            });
            Thread closer = new Thread(() -> {
                try {
                    for (int p = 0; p < peers; p += 2) { // half close: by the server, or the client drops TCP
                        if (p % 10 == 0) {
                            fixture.clients.abort(p);
                        } else {
                            fixture.peer(p).close();
                        }
                    }
                } catch (Exception e) {
                    failures.add("closer: " + e);
                }
            });
            closer.start();
            for (int j = 0; j < messages; j++) {
                PublishResult result = topic.publish(Frame.binary(FanoutMessages.tagged(0, j, 200)));
                if (result.dropped() + result.refused() > 0) {
                    failures.add("publish " + j + ": " + result);
                }
            }
            closer.join(60_000);
            assertTrue(Await.until(() -> {
                for (int p = 1; p < peers; p += 2) {
                    if (next.get(p) != messages) {
                        return false;
                    }
                }
                return true;
            }, 60_000), "every peer left open got every message");
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
            assertTrue(Await.until(() -> topic.subscriberCount() == peers / 2, 30_000),
                    "the closed ones left: " + topic.subscriberCount());
            assertTrue(Await.until(() -> fixture.server.stats().heldBytes() == 0, 30_000),
                    "what was queued for closed peers was given back: " + fixture.server.stats().heldBytes());
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable run(CountDownLatch go, ConcurrentLinkedQueue<String> failures, Body body) {
        return () -> {
            try {
                go.await();
                body.run();
            } catch (Throwable e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            }
        };
    }
}
