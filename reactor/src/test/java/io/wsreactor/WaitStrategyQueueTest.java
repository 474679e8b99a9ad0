package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link WaitStrategy} on the peer's queues with threads racing and no socket: the inbound queue (read) and the
 * write gate (write at the high-water mark) honour timeouts and interrupts, and lose no wake-up with 16 threads.
 * Timeouts here are failure bounds only; a lost wake-up shows as a reader still waiting when the bound passes.
 */
class WaitStrategyQueueTest {
    private static final int THREADS = 16;
    /** Round trips per pair: bounded, and small enough for 32 spinning threads on two loaded cores. */
    private static final int ROUNDS = 300;
    private static final long BOUND_SECONDS = 60;

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void aReadTimesOutAfterItsTimeoutWhenNothingComes(WaitStrategy strategy) {
        InboundQueue queue = queue(strategy);
        long timeout = TimeUnit.MILLISECONDS.toNanos(30);
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> queue.poll(timeout));
        assertTrue(System.nanoTime() - start >= timeout, "waited the whole timeout");
        assertThrows(TimeoutException.class, () -> queue.poll(0), "a zero timeout only takes what is queued");
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void anInterruptEndsAWaitingReadAndLosesNoFrame(WaitStrategy strategy) throws Exception {
        InboundQueue queue = queue(strategy);
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            reading.countDown();
            try {
                queue.poll(Long.MAX_VALUE);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();
        reading.await();
        reader.interrupt();
        assertTrue(outcome.get(BOUND_SECONDS, TimeUnit.SECONDS) instanceof InterruptedException);
        Frame frame = Frame.text("after");
        queue.offer(frame);
        assertSame(frame, queue.poll(0), "the frame offered after the interrupt is still there");
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void sixteenPairsPlayingPingPongLoseNoWakeUp(WaitStrategy strategy) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int pair = 0; pair < THREADS; pair++) {
            InboundQueue there = queue(strategy);
            InboundQueue back = queue(strategy);
            threads.add(daemon("echo-" + pair, () -> {
                for (Frame frame; (frame = there.poll(TimeUnit.SECONDS.toNanos(BOUND_SECONDS))) != null; ) {
                    back.offer(frame);
                }
                back.end();
                return 0;
            }, new CompletableFuture<>()));
            CompletableFuture<Integer> rounds = new CompletableFuture<>();
            results.add(rounds);
            threads.add(daemon("driver-" + pair, () -> {
                int done = 0;
                for (int i = 0; i < ROUNDS; i++) {
                    there.offer(numbered(i));
                    Frame echo = back.poll(TimeUnit.SECONDS.toNanos(BOUND_SECONDS)); // a lost wake-up times out
                    assertEquals(i, number(echo));
                    done++;
                }
                there.end();
                assertNull(back.poll(TimeUnit.SECONDS.toNanos(BOUND_SECONDS)), "the echo thread ended the stream");
                return done;
            }, rounds));
        }
        threads.forEach(Thread::start);
        for (CompletableFuture<Integer> rounds : results) {
            assertEquals(ROUNDS, rounds.get(2 * BOUND_SECONDS, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void sixteenReadersRacingOnOneQueueTakeEachFrameOnceAndAllSeeTheEnd(WaitStrategy strategy) throws Exception {
        InboundQueue queue = queue(strategy);
        int frames = THREADS * ROUNDS;
        AtomicIntegerArray taken = new AtomicIntegerArray(frames);
        List<CompletableFuture<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < THREADS; r++) {
            CompletableFuture<Integer> count = new CompletableFuture<>();
            readers.add(count);
            daemon("reader-" + r, () -> {
                int n = 0;
                for (Frame frame; (frame = queue.poll(TimeUnit.SECONDS.toNanos(BOUND_SECONDS))) != null; ) {
                    taken.incrementAndGet(number(frame));
                    n++;
                }
                return n;
            }, count).start();
        }
        for (int i = 0; i < frames; i++) {
            queue.offer(numbered(i));
            if (i % 64 == 0) {
                Thread.yield(); // let readers drain, so they race for frames one by one rather than for a full queue
            }
        }
        queue.end();
        int total = 0;
        for (CompletableFuture<Integer> count : readers) {
            total += count.get(2 * BOUND_SECONDS, TimeUnit.SECONDS); // every reader saw the end
        }
        assertEquals(frames, total);
        for (int i = 0; i < frames; i++) {
            assertEquals(1, taken.get(i), "frame " + i + " taken once");
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void aBatchReadWaitsForTheFirstFrameThenTakesWhatIsQueuedUpToItsMaximum(WaitStrategy strategy)
            throws Exception {
        InboundQueue queue = queue(strategy);
        List<Frame> into = new ArrayList<>(List.of(Frame.text("kept")));
        CompletableFuture<Integer> first = new CompletableFuture<>();
        daemon("batch-reader", () -> queue.pollBatch(into, 4, TimeUnit.SECONDS.toNanos(BOUND_SECONDS)), first)
                .start();
        queue.offer(numbered(0));
        int added = first.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertTrue(added >= 1 && added <= 4, "added " + added);
        for (int i = 1; i < 7; i++) {
            queue.offer(numbered(i));
        }
        int more = queue.pollBatch(into, 4, 0);
        assertEquals(Math.min(4, 7 - added), more, "up to the maximum of what is queued, without waiting");
        while (into.size() < 8) {
            queue.pollBatch(into, 4, 0);
        }
        assertEquals("kept", into.get(0).text(), "added after what the list held");
        for (int i = 0; i < 7; i++) {
            assertEquals(i, number(into.get(i + 1)), "wire order");
        }
        assertThrows(TimeoutException.class, () -> queue.pollBatch(into, 4, TimeUnit.MILLISECONDS.toNanos(20)));
        queue.end();
        assertEquals(-1, queue.pollBatch(into, 4, 0), "end of stream");
        assertEquals(8, into.size(), "nothing added by the timeout or the end");
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void sixteenWritersAtTheHighWaterMarkAllGetThroughAsTheReactorDrains(WaitStrategy strategy) throws Exception {
        StatsRecorder stats = new StatsRecorder();
        Outbound outbound = new Outbound(() -> { }, stats, new MemoryBudget(Long.MAX_VALUE));
        ServerOptions options = ServerOptions.builder().outboundHighWaterMark(1000).outboundHardLimit(1 << 20).build();
        PeerWriter writer = new PeerWriter(outbound, options, stats, WriterOwner.waitingBy(strategy));
        List<CompletableFuture<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            CompletableFuture<Integer> queued = new CompletableFuture<>();
            writers.add(queued);
            daemon("writer-" + w, () -> {
                int n = 0;
                for (int i = 0; i < ROUNDS / 10; i++) {
                    WriteResult result = writer.offer(Frame.binary(new byte[400]), TimeUnit.SECONDS.toNanos(
                            BOUND_SECONDS), null);
                    assertEquals(WriteResult.QUEUED, result); // a lost wake-up shows as TIMED_OUT
                    n++;
                }
                return n;
            }, queued).start();
        }
        int expected = THREADS * (ROUNDS / 10);
        int written = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2 * BOUND_SECONDS);
        while (written < expected && System.nanoTime() - deadline < 0) { // plays the reactor, one frame at a time
            OutboundEntry entry = outbound.next();
            if (entry == null) {
                Thread.yield();
                continue;
            }
            outbound.onWritten(entry);
            written++;
        }
        assertEquals(expected, written);
        for (CompletableFuture<Integer> queued : writers) {
            assertEquals(ROUNDS / 10, queued.get(BOUND_SECONDS, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void aWriteAtTheMarkTimesOutAndAnInterruptEndsIt(WaitStrategy strategy) throws Exception {
        StatsRecorder stats = new StatsRecorder();
        Outbound outbound = new Outbound(() -> { }, stats, new MemoryBudget(Long.MAX_VALUE));
        ServerOptions options = ServerOptions.builder().outboundHighWaterMark(1000).build();
        PeerWriter writer = new PeerWriter(outbound, options, stats, WriterOwner.waitingBy(strategy));
        while (outbound.queuedBytes() < 1000) {
            assertEquals(WriteResult.QUEUED, writer.offer(Frame.binary(new byte[400]), 0, null));
        }
        long queued = outbound.queuedBytes();
        long timeout = TimeUnit.MILLISECONDS.toNanos(30);
        long start = System.nanoTime();
        assertEquals(WriteResult.TIMED_OUT, writer.offer(Frame.binary(new byte[400]), timeout, null));
        assertTrue(System.nanoTime() - start >= timeout, "waited the whole timeout");
        CountDownLatch writing = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread blocked = new Thread(() -> {
            writing.countDown();
            try {
                writer.offer(Frame.binary(new byte[400]), Long.MAX_VALUE, null);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "blocked-writer");
        blocked.setDaemon(true);
        blocked.start();
        writing.await();
        blocked.interrupt();
        assertTrue(outcome.get(BOUND_SECONDS, TimeUnit.SECONDS) instanceof InterruptedException);
        assertEquals(queued, outbound.queuedBytes(), "nothing queued by the timed-out or interrupted writes");
    }

    @FunctionalInterface
    private interface Body {
        int run() throws Exception;
    }

    /** A daemon thread completing {@code result} with what {@code body} returns, or with its failure. */
    private static Thread daemon(String name, Body body, CompletableFuture<Integer> result) {
        Thread thread = new Thread(() -> {
            try {
                result.complete(body.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static InboundQueue queue(WaitStrategy strategy) {
        ServerOptions options = ServerOptions.builder().inboundQueueFrames(1 << 20).inboundQueueBytes(1L << 30)
                .waitStrategy(strategy).build();
        return new InboundQueue(new InboundQueue.Owner() {
            @Override
            public void resumeReading() {
            }

            @Override
            public void endObserved() {
            }

            @Override
            public boolean isReactorThread() {
                return false;
            }
        }, options, new MemoryBudget(Long.MAX_VALUE));
    }

    private static Frame numbered(int i) {
        return Frame.binary(ByteBuffer.allocate(4).putInt(i).array());
    }

    private static int number(Frame frame) {
        return ByteBuffer.wrap(frame.payload()).getInt();
    }
}
