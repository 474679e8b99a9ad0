package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topic API and conflation, over real sockets. */
class TopicTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void subscribersAreCountedOnceAndClosedPeersLeaveEveryTopic() throws Exception {
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), 3, i -> false)) {
            Topic a = fixture.server.topic("a");
            Topic b = fixture.server.topic("b");
            assertSame(a, fixture.server.topic("a"));
            assertTrue(a.subscribe(fixture.peer(0)));
            assertFalse(a.subscribe(fixture.peer(0)), "already subscribed");
            assertTrue(a.subscribe(fixture.peer(1)));
            assertTrue(b.subscribe(fixture.peer(1)));
            assertTrue(b.subscribe(fixture.peer(2)));
            assertEquals(2, a.subscriberCount());
            assertTrue(b.unsubscribe(fixture.peer(2)));
            assertFalse(b.unsubscribe(fixture.peer(2)));
            assertEquals(1, b.subscriberCount());

            fixture.clients.abort(1); // the client drops TCP: its peer leaves both topics by itself
            assertTrue(Await.until(() -> a.subscriberCount() == 1 && b.subscriberCount() == 0, 30_000),
                    a + ", " + b);
            assertFalse(a.isSubscribed(fixture.peer(1)));
            fixture.peer(0).close();
            assertEquals(0, a.subscriberCount(), "close() leaves at once");
            assertFalse(a.subscribe(fixture.peer(0)), "a closed peer cannot subscribe");
        }
    }

    @Test
    void publishToPeersReachesExactlyThose() throws Exception {
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), 4, i -> false)) {
            ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
            fixture.clients.start((client, firstByte, payload) -> got.add(client));
            PublishResult result = fixture.server.publish(Frame.text("hi"), List.of(fixture.peer(1), fixture.peer(3)));
            assertEquals(2, result.queued(), result.toString());
            assertTrue(Await.until(() -> got.size() == 2, 10_000));
            assertEquals(List.of(1, 3), got.stream().sorted().toList());
            fixture.peer(3).close();
            result = fixture.server.publish(Frame.text("again"), List.of(fixture.peer(1), fixture.peer(3)));
            assertEquals(1, result.queued());
            assertEquals(1, result.closed());
        }
    }

    @Test
    void rejectsWhatCannotBePublished() throws Exception {
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), 1, i -> false)) {
            WsServer server = fixture.server;
            Topic topic = server.topic("t");
            List<WsPeer> one = List.of(fixture.peer(0));
            assertThrows(IllegalArgumentException.class, () -> topic.publish(Frame.ping(new byte[1])));
            assertThrows(IllegalArgumentException.class, () -> topic.publish(Frame.text("part", false)));
            assertThrows(IllegalArgumentException.class,
                    () -> server.publish(Frame.continuation(new byte[1], true), one));
            assertThrows(IllegalStateException.class, () -> topic.publish(Frame.text("x"), "key"));
            assertThrows(IllegalArgumentException.class, () -> server.conflatingTopic("t"));
            WsServer other = started.start(ServerOptions.defaults());
            assertThrows(IllegalArgumentException.class, () -> other.topic("t").subscribe(fixture.peer(0)));
            assertThrows(IllegalArgumentException.class, () -> other.publish(Frame.text("x"), one));
        }
    }

    @Test
    void conflationGivesASlowSubscriberTheLatestValuePerKey() throws Exception {
        int keys = 10;
        int versions = 400;
        try (FanoutFixture fixture = new FanoutFixture(started, ServerOptions.defaults(), 2, i -> i == 0)) {
            Topic quotes = fixture.server.conflatingTopic("quotes");
            assertTrue(quotes.isConflating());
            quotes.subscribe(fixture.peer(0)); // stalled: never reads until resumed
            quotes.subscribe(fixture.peer(1));
            AtomicIntegerArray received = new AtomicIntegerArray(2);
            Map<String, Integer> latest = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            fixture.clients.start((client, firstByte, payload) -> {
                ByteBuffer buffer = ByteBuffer.wrap(payload);
                int key = buffer.getInt();
                int version = buffer.getInt();
                Integer before = latest.put(client + "/" + key, version);
                if (before != null && before >= version) {
                    failures.add("client " + client + " key " + key + ": version " + version + " after " + before);
                }
                received.incrementAndGet(client);
            });
            int queued = 0;
            int replaced = 0;
            for (int v = 0; v < versions; v++) {
                for (int k = 0; k < keys; k++) {
                    // 16 KiB each, so the stalled client's socket buffers fill and its queue backs up
                    PublishResult result = quotes.publish(Frame.binary(FanoutMessages.tagged(k, v, 16 * 1024)), k);
                    assertEquals(2, result.queued() + result.replaced(), result.toString());
                    queued += result.queued();
                    replaced += result.replaced();
                }
            }
            assertTrue(replaced > 0, "older values were replaced for the subscriber that is behind");
            fixture.clients.resume(0);
            int expected = queued;
            assertTrue(Await.until(() -> received.get(0) + received.get(1) == expected, 60_000),
                    "every message queued and not replaced was received: " + received + " of " + expected);
            for (int c = 0; c < 2; c++) {
                for (int k = 0; k < keys; k++) {
                    assertEquals(versions - 1, latest.get(c + "/" + k), "client " + c + " has the latest of " + k);
                }
            }
            assertTrue(received.get(0) < keys * versions, "the stalled subscriber got less than the backlog");
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
            assertNull(fixture.clients.failure());
            assertTrue(Await.until(() -> fixture.server.stats().heldBytes() == 0, 30_000),
                    "nothing held: " + fixture.server.stats().heldBytes());
        }
    }
}
