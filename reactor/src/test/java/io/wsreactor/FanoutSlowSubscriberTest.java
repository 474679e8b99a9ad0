package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1 % of a topic's subscribers never read: each meets its own slow-consumer policy (DROP, CLOSE, FAIL) with what it
 * is owed bounded by that policy, while every other subscriber receives every message, in order and byte for byte.
 */
class FanoutSlowSubscriberTest {
    private static final int SUBSCRIBERS = 300;
    private static final int MESSAGES = 1000;
    private static final int SIZE = 1024;
    private static final int DROPPING = 0;
    private static final int CLOSING = 100;
    private static final int FAILING = 200;
    private static final long HIGH_WATER = 32 * 1024;
    private static final long HARD_LIMIT = 128 * 1024;
    /** Loopback socket buffers take a few MiB: this much in large messages fills them for the stalled clients. */
    private static final int FILL_MESSAGES = 128;
    private static final int FILL_SIZE = 64 * 1024;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    private static boolean stalled(int i) {
        return i == DROPPING || i == CLOSING || i == FAILING;
    }


    /** The feed's messages (source 0) and the large ones that first fill the stalled clients' socket buffers (1). */
    private static byte[] message(int source, int k) {
        int size = source == 0 ? SIZE : FILL_SIZE;
        byte[] payload = FanoutMessages.tagged(source, k, size - 8);
        for (int j = 8; j < size; j++) {
            payload[j] = (byte) (k + j + source);
        }
        return payload;
    }

    private static byte[] message(int k) {
        return message(0, k);
    }

    @Test
    void stalledSubscribersMeetTheirPolicyWhileTheOthersGetEveryMessage() throws Exception {
        ServerOptions options = ServerOptions.builder().outboundHighWaterMark(HIGH_WATER)
                .outboundHardLimit(HARD_LIMIT).slowConsumerPolicy(SlowConsumerPolicy.DROP)
                .closeTimeout(Duration.ofSeconds(1)).build();
        try (FanoutFixture fixture = new FanoutFixture(started, options, SUBSCRIBERS,
                FanoutSlowSubscriberTest::stalled)) {
            Topic topic = fixture.server.topic("quotes");
            for (int i = 0; i < SUBSCRIBERS; i++) {
                assertTrue(topic.subscribe(fixture.peer(i)));
            }
            fixture.peer(CLOSING).setSlowConsumerPolicy(SlowConsumerPolicy.CLOSE);
            fixture.peer(FAILING).setSlowConsumerPolicy(SlowConsumerPolicy.FAIL);

            AtomicIntegerArray next = new AtomicIntegerArray(SUBSCRIBERS);
            AtomicIntegerArray nextFill = new AtomicIntegerArray(SUBSCRIBERS);
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            fixture.clients.start((client, firstByte, payload) -> {
                if (firstByte == 0x88) {
                    return; // the close frame to the CLOSE subscriber, if it ever reads it
                }
                int k = FanoutMessages.sequence(payload);
                if (FanoutMessages.source(payload) == 1) {
                    if (!stalled(client) || k < nextFill.get(client)
                            || !java.util.Arrays.equals(message(1, k), payload)) {
                        wrong.add("client " + client + ": fill message " + k);
                    }
                    nextFill.set(client, k + 1);
                    return;
                }
                int expected = next.get(client);
                // Healthy subscribers get every message; stalled ones whole messages, in order, with gaps.
                boolean inOrder = stalled(client) ? k >= expected : k == expected;
                if (firstByte != 0x82 || !inOrder || !java.util.Arrays.equals(message(k), payload)) {
                    wrong.add("client " + client + ": message " + k + " where " + expected + " was due");
                }
                next.set(client, k + 1);
            });

            // First the stalled subscribers alone (publish to a collection of peers) until the policy meets them.
            java.util.List<WsPeer> stalledPeers = java.util.List.of(fixture.peer(DROPPING), fixture.peer(CLOSING),
                    fixture.peer(FAILING));
            int dropped = 0;
            int refused = 0;
            long mostOwedByDropping = 0;
            long mostOwedByFailing = 0;
            long mostOwedByClosing = 0;
            for (int k = 0; k < FILL_MESSAGES; k++) {
                PublishResult result = fixture.server.publish(Frame.binary(message(1, k)), stalledPeers);
                assertEquals(3, result.recipients(), result.toString());
                mostOwedByDropping = Math.max(mostOwedByDropping, fixture.peer(DROPPING).queuedBytes());
                mostOwedByFailing = Math.max(mostOwedByFailing, fixture.peer(FAILING).queuedBytes());
                mostOwedByClosing = Math.max(mostOwedByClosing, fixture.peer(CLOSING).queuedBytes());
                dropped += result.dropped();
                refused += result.refused();
            }
            assertTrue(dropped > 0 && refused > 0, "the policies met the stalled subscribers: dropped " + dropped
                    + ", refused " + refused);
            for (int k = 0; k < MESSAGES; k++) {
                PublishResult result = topic.publish(Frame.binary(message(k)));
                dropped += result.dropped();
                refused += result.refused();
                mostOwedByDropping = Math.max(mostOwedByDropping, fixture.peer(DROPPING).queuedBytes());
                mostOwedByFailing = Math.max(mostOwedByFailing, fixture.peer(FAILING).queuedBytes());
                mostOwedByClosing = Math.max(mostOwedByClosing, fixture.peer(CLOSING).queuedBytes());
                if (k % 16 == 15) {
                    // The feed's own pace: the healthy subscribers are read by one thread on a loaded machine.
                    assertTrue(Await.until(() -> healthyOwe(fixture) < HIGH_WATER / 2, 60_000),
                            "healthy subscribers keep up");
                }
            }

            assertTrue(Await.until(() -> {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    if (!stalled(i) && next.get(i) != MESSAGES) {
                        return false;
                    }
                }
                return true;
            }, 60_000), "every healthy subscriber got every message");
            assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
            assertNull(fixture.clients.failure());

            long cost = MemoryBudget.cost(FILL_SIZE + 10); // the largest message and its header
            assertTrue(mostOwedByDropping <= HIGH_WATER + cost, "DROP bounds what is owed: " + mostOwedByDropping);
            assertTrue(mostOwedByFailing <= HIGH_WATER + cost, "FAIL bounds what is owed: " + mostOwedByFailing);
            assertTrue(mostOwedByClosing <= HARD_LIMIT + cost, "CLOSE bounds what is owed: " + mostOwedByClosing);
            assertTrue(Await.until(() -> fixture.peer(CLOSING).closeStatus() != null, 30_000), "CLOSE closed it");
            assertEquals(1008, fixture.peer(CLOSING).closeStatus().code());
            assertTrue(Await.until(() -> topic.subscriberCount() == SUBSCRIBERS - 1, 30_000),
                    "the closed subscriber left the topic");
            Map<SlowConsumerPolicy, Long> events = fixture.server.stats().slowConsumerEvents();
            assertTrue(events.getOrDefault(SlowConsumerPolicy.DROP, 0L) > 0, events.toString());
            assertTrue(events.getOrDefault(SlowConsumerPolicy.FAIL, 0L) > 0, events.toString());
            assertTrue(events.getOrDefault(SlowConsumerPolicy.CLOSE, 0L) > 0, events.toString());

            // The stalled ones read again: they get whole messages in order, the last one among them, and once
            // everything is written the server holds nothing for anyone.
            fixture.clients.resume(DROPPING);
            fixture.clients.resume(FAILING);
            assertTrue(Await.until(() -> fixture.peer(DROPPING).queuedBytes() == 0
                    && fixture.peer(FAILING).queuedBytes() == 0, 60_000), "the resumed subscribers caught up");
            assertEquals(SUBSCRIBERS - 1, topic.publish(Frame.binary(message(MESSAGES))).queued());
            assertTrue(Await.until(() -> {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    if (i != CLOSING && next.get(i) != MESSAGES + 1) {
                        return false;
                    }
                }
                return true;
            }, 60_000), "every open subscriber got the last message");
            assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
            assertTrue(Await.until(() -> fixture.server.stats().heldBytes() == 0, 30_000),
                    "nothing held once written: " + fixture.server.stats().heldBytes());
        }
    }

    private static long healthyOwe(FanoutFixture fixture) {
        long most = 0;
        for (int i = 0; i < SUBSCRIBERS; i++) {
            if (!stalled(i)) {
                most = Math.max(most, fixture.peer(i).queuedBytes());
            }
        }
        return most;
    }
}
