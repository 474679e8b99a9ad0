package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Opcode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lock-free MPSC queue: one consumer, any number of producers, each producer's order kept, nothing lost. */
class OutboundQueueTest {
    private final OutboundQueue queue = new OutboundQueue();

    @Test
    void anEmptyQueuePollsNull() {
        assertNull(queue.poll());
    }

    @Test
    void oneProducersEntriesComeOutInOrder() {
        OutboundEntry[] entries = new OutboundEntry[5];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = entry(0, i);
            queue.offer(entries[i]);
        }
        for (OutboundEntry expected : entries) {
            assertSame(expected, queue.poll());
        }
        assertNull(queue.poll());
    }

    @Test
    void theQueueIsReusableAfterRunningEmptyAgainAndAgain() {
        for (int round = 0; round < 100; round++) {
            OutboundEntry a = entry(0, round);
            OutboundEntry b = entry(1, round);
            queue.offer(a);
            assertSame(a, queue.poll());
            assertNull(queue.poll(), "empty after its only entry");
            queue.offer(a = entry(0, round));
            queue.offer(b);
            assertSame(a, queue.poll());
            assertSame(b, queue.poll());
            assertNull(queue.poll());
        }
    }

    @Test
    void offersBetweenPollsAreNotLost() {
        queue.offer(entry(0, 0));
        queue.offer(entry(0, 1));
        assertEquals(0, sequence(queue.poll()));
        queue.offer(entry(0, 2)); // linked behind the entry the consumer holds
        assertEquals(1, sequence(queue.poll()));
        assertEquals(2, sequence(queue.poll()));
        assertNull(queue.poll());
    }

    @Test
    void manyProducersRacingAConsumerLoseNothingAndEachKeepsItsOrder() throws Exception {
        int producers = 8;
        int perProducer = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(entry(producer, i));
                }
            }, "producer-" + p);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        int[] next = new int[producers];
        int total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (total < producers * perProducer) {
            int arrived = total;
            assertTrue(System.nanoTime() - deadline < 0, () -> "only " + arrived + " entries arrived in time");
            OutboundEntry entry = queue.poll();
            if (entry == null) {
                Thread.onSpinWait(); // a producer may be between its swap and its link
                continue;
            }
            int producer = producer(entry);
            assertEquals(next[producer], sequence(entry), "producer " + producer + " keeps its order");
            next[producer]++;
            total++;
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertNull(queue.poll(), "nothing beyond what was offered");
        assertArrayEquals(filled(producers, perProducer), next);
    }

    private static OutboundEntry entry(int producer, int sequence) {
        byte[] payload = ByteBuffer.allocate(8).putInt(producer).putInt(sequence).array();
        return OutboundEntry.frame(Kind.DATA, Opcode.BINARY, true, payload, null);
    }

    private static int producer(OutboundEntry entry) {
        return ByteBuffer.wrap(entry.payload()).getInt(0);
    }

    private static int sequence(OutboundEntry entry) {
        return ByteBuffer.wrap(entry.payload()).getInt(4);
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
