package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The slow-consumer policies at the high-water mark and the hard limit, and writes after close, with the reactor
 * played by the test: it drains the {@link Outbound} by hand. No socket.
 */
class PeerWriterPolicyTest {
    private static final long MARK = 1000;
    private static final long LIMIT = 3000;
    /** A 400-byte payload: 404 bytes with its header, counted with the per-entry overhead. */
    private static final int PAYLOAD = 400;
    private static final long FRAME_BYTES = MemoryBudget.cost(PAYLOAD + 4);
    private static final long WAIT_MILLIS = 10_000;

    private final StatsRecorder stats = new StatsRecorder();
    private final Outbound outbound = new Outbound(() -> { }, stats, new MemoryBudget(Long.MAX_VALUE));
    private final List<String> closeRequests = new CopyOnWriteArrayList<>();
    private volatile boolean onReactorThread;

    @ParameterizedTest
    @EnumSource(SlowConsumerPolicy.class)
    void belowTheMarkEveryPolicyQueues(SlowConsumerPolicy policy) throws Exception {
        PeerWriter writer = writer(policy);
        assertEquals(WriteResult.QUEUED, write(writer, 0));
        assertEquals(WriteResult.QUEUED, writeAsync(writer));
        assertEquals(2 * FRAME_BYTES, outbound.queuedBytes());
        assertTrue(slowConsumerEvents().isEmpty());
    }

    @Test
    void blockTimesOutAtTheMarkAndQueuesNothing() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        long queued = outbound.queuedBytes();
        assertEquals(WriteResult.TIMED_OUT, write(writer, TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(WriteResult.TIMED_OUT, write(writer, 0), "a zero timeout does not wait");
        assertEquals(queued, outbound.queuedBytes());
        assertEquals(2L, slowConsumerEvents().get(SlowConsumerPolicy.BLOCK));
    }

    @Test
    void blockWaitsUntilTheReactorDrainsBelowTheMark() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        AtomicReference<WriteResult> result = new AtomicReference<>();
        Thread waiting = start(() -> result.set(write(writer, Long.MAX_VALUE)));
        awaitParked(waiting);
        assertNull(result.get(), "still waiting at the mark");
        long present = outbound.queuedBytes() / FRAME_BYTES;
        for (long i = 0; i < present; i++) { // only the frames queued so far: the waiter's comes after them
            outbound.onWritten(outbound.next());
        }
        waiting.join(WAIT_MILLIS);
        assertEquals(WriteResult.QUEUED, result.get());
        assertEquals(FRAME_BYTES, outbound.queuedBytes(), "queued once the queue drained");
    }

    @Test
    void blockOnTheReactorThreadIsRefusedRatherThanWaiting() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        onReactorThread = true;
        assertEquals(WriteResult.REFUSED, write(writer, Long.MAX_VALUE));
    }

    @Test
    void blockWriteAsyncQueuesPastTheMarkUpToTheHardLimitThenRefuses() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.BLOCK);
        int queued = 0;
        WriteResult result;
        while ((result = writeAsync(writer)) == WriteResult.QUEUED && queued < 100) {
            queued++;
        }
        assertEquals(WriteResult.REFUSED, result);
        assertEquals(6, queued, "six frames of 468 counted bytes fit under the 3000-byte hard limit with the next");
        assertTrue(outbound.queuedBytes() <= LIMIT);
    }

    @Test
    void failRefusesAtTheMarkAtOnceEvenWithALongTimeout() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.FAIL);
        long queued = outbound.queuedBytes();
        assertEquals(WriteResult.REFUSED, write(writer, Long.MAX_VALUE));
        assertEquals(WriteResult.REFUSED, writeAsync(writer));
        assertEquals(queued, outbound.queuedBytes());
        assertEquals(2L, slowConsumerEvents().get(SlowConsumerPolicy.FAIL));
        assertTrue(closeRequests.isEmpty(), "FAIL never closes the peer");
    }

    @Test
    void dropDiscardsWholeMessagesAtTheMarkAndCountsThem() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.DROP);
        long queued = outbound.queuedBytes();
        assertEquals(WriteResult.DROPPED, write(writer, Long.MAX_VALUE));
        assertEquals(WriteResult.DROPPED, writeAsync(writer));
        assertEquals(queued, outbound.queuedBytes());
        assertEquals(2L, slowConsumerEvents().get(SlowConsumerPolicy.DROP));
    }

    @Test
    void dropFinishesAMessageBegunBelowTheMark() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.DROP);
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.binary(new byte[PAYLOAD], false), 0, null));
        for (int i = 0; i < 5; i++) { // well past the mark
            assertEquals(WriteResult.QUEUED, writer.offer(Frame.continuation(new byte[PAYLOAD], false), 0, null));
        }
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.continuation(new byte[1], true), 0, null));
        assertEquals(WriteResult.DROPPED, write(writer, 0), "the next message is dropped");
    }

    @Test
    void dropDiscardsEveryFragmentOfAMessageDroppedAtItsStart() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.DROP);
        assertEquals(WriteResult.DROPPED, writer.offer(Frame.text("start", false), 0, null));
        drain(); // below the mark again: the message was dropped at its start, so it stays dropped
        assertEquals(WriteResult.DROPPED, writer.offer(Frame.continuation(new byte[1], false), 0, null));
        assertEquals(WriteResult.DROPPED, writer.offer(Frame.continuation(new byte[1], true), 0, null));
        assertEquals(WriteResult.QUEUED, write(writer, 0), "the next message is queued");
        assertEquals(1L, slowConsumerEvents().get(SlowConsumerPolicy.DROP), "one drop per message");
    }

    @Test
    void closeQueuesUpToTheHardLimitThenRefusesAndAsksOnceForTheClose() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.CLOSE);
        WriteResult result;
        int queued = 0;
        while ((result = write(writer, Long.MAX_VALUE)) == WriteResult.QUEUED && queued < 100) {
            queued++;
        }
        assertEquals(WriteResult.REFUSED, result);
        assertEquals(6, queued, "queued past the mark, up to the hard limit");
        assertEquals(1, closeRequests.size());
        assertTrue(closeRequests.get(0).contains("3000"), closeRequests.get(0));
        assertEquals(WriteResult.CLOSED, write(writer, Long.MAX_VALUE), "later writes find the fence");
        assertEquals(WriteResult.CLOSED, writeAsync(writer));
        assertEquals(1, closeRequests.size(), "the close is asked for once");
    }

    @Test
    void closeQueuesAFrameThatReachesTheHardLimitExactly() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.CLOSE, 100, 2 * FRAME_BYTES + PAYLOAD);
        assertEquals(WriteResult.QUEUED, write(writer, 0));
        assertEquals(WriteResult.QUEUED, write(writer, 0));
        assertEquals(WriteResult.QUEUED, write(writer, 0), "queued bytes plus the payload equal the hard limit");
        assertEquals(WriteResult.REFUSED, write(writer, 0));
    }

    @Test
    void writesAfterTheFenceAreClosedAndQueueNothing() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.BLOCK);
        assertTrue(writer.fence(), "the first caller sets the fence");
        assertFalse(writer.fence(), "later callers find it set");
        assertEquals(WriteResult.CLOSED, write(writer, 0));
        assertEquals(WriteResult.CLOSED, writeAsync(writer));
        assertEquals(WriteResult.CLOSED, writer.offer(Frame.ping(new byte[1]), 0, null));
        assertEquals(0, outbound.queuedBytes());
        assertNull(outbound.next());
    }

    @Test
    void writesAfterTheConnectionClosedAreClosed() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.DROP);
        writer.onClosed();
        assertEquals(WriteResult.CLOSED, write(writer, 0));
        assertEquals(WriteResult.CLOSED, writeAsync(writer));
    }

    @Test
    void aWriterWaitingAtTheMarkReturnsClosedWhenTheConnectionCloses() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        AtomicReference<WriteResult> result = new AtomicReference<>();
        Thread waiting = start(() -> result.set(write(writer, Long.MAX_VALUE)));
        awaitParked(waiting);
        writer.onClosed();
        waiting.join(WAIT_MILLIS);
        assertEquals(WriteResult.CLOSED, result.get());
    }

    @Test
    void aWriterWaitingAtTheMarkReturnsClosedWhenACloseIsQueued() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        AtomicReference<WriteResult> result = new AtomicReference<>();
        Thread waiting = start(() -> result.set(write(writer, Long.MAX_VALUE)));
        awaitParked(waiting);
        writer.fence();
        waiting.join(WAIT_MILLIS);
        assertEquals(WriteResult.CLOSED, result.get());
    }

    @Test
    void anInterruptedWaitingWriterThrowsAndQueuesNothing() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        long queued = outbound.queuedBytes();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                writer.offer(Frame.binary(new byte[PAYLOAD]), Long.MAX_VALUE, null);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waiting.start();
        awaitParked(waiting);
        waiting.interrupt();
        waiting.join(WAIT_MILLIS);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertEquals(queued, outbound.queuedBytes());
    }

    @Test
    void controlFramesFromTheApplicationBypassThePolicy() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.FAIL);
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.ping(new byte[4]), 0, null));
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.pong(new byte[4]), 0, null));
    }

    @Test
    void framesTheRfcForbidsAreRefusedBeforeAnyPolicy() {
        PeerWriter writer = writer(SlowConsumerPolicy.BLOCK);
        assertThrows(IllegalArgumentException.class, () -> writer.offer(Frame.close(1000, ""), 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> writer.offer(Frame.ping(new byte[Frame.MAX_CONTROL_PAYLOAD + 1]), 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> writer.offer(new Frame(Opcode.PONG, false, new byte[1]), 0, null));
        assertThrows(NullPointerException.class, () -> writer.offer(null, 0, null));
        assertEquals(0, outbound.queuedBytes());
    }

    @Test
    void aPolicyChangeTakesEffectForTheNextWrite() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        assertEquals(WriteResult.TIMED_OUT, write(writer, 0));
        writer.policy = SlowConsumerPolicy.FAIL;
        assertEquals(WriteResult.REFUSED, write(writer, 0));
        writer.policy = SlowConsumerPolicy.DROP;
        assertEquals(WriteResult.DROPPED, write(writer, 0));
    }

    @Test
    void theWrittenFuturePassesThroughToTheQueuedEntry() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.BLOCK);
        CompletableFuture<Void> future = new CompletableFuture<>();
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.text("x"), 0, future));
        OutboundEntry entry = outbound.next();
        assertSame(future, entry.future());
        outbound.onWritten(entry);
        assertTrue(future.isDone());
    }

    // ---- helpers ----

    private Map<SlowConsumerPolicy, Long> slowConsumerEvents() {
        return stats.snapshot(new MemoryBudget(Long.MAX_VALUE)).slowConsumerEvents();
    }

    @Test
    void whenWritableCompletesAtOnceBelowTheMarkAndAfterTheDrainAtIt() throws Exception {
        PeerWriter writer = writer(SlowConsumerPolicy.BLOCK);
        assertTrue(writer.isWritable());
        assertTrue(writer.whenWritable().isDone(), "below the mark: at once");
        writer = filled(SlowConsumerPolicy.BLOCK);
        assertFalse(writer.isWritable());
        CompletableFuture<Void> first = writer.whenWritable();
        CompletableFuture<Void> second = writer.whenWritable();
        assertFalse(first.isDone() || second.isDone(), "at the mark: waits");
        outbound.onWritten(outbound.next()); // one frame written: below the mark again
        assertTrue(first.isDone() && second.isDone());
        assertTrue(writer.isWritable());
    }

    @Test
    void whenWritableCompletesWhenThePeerCloses() throws Exception {
        PeerWriter writer = filled(SlowConsumerPolicy.BLOCK);
        CompletableFuture<Void> waiting = writer.whenWritable();
        assertFalse(waiting.isDone());
        writer.onClosed();
        assertTrue(waiting.isDone(), "a closing peer releases its waiters");
        assertTrue(writer.whenWritable().isDone());
        assertEquals(WriteResult.CLOSED, writeAsync(writer), "the write after it tells the close");
    }

    @Test
    void aBudgetPressingOnThePeerMakesItUnwritable() throws Exception {
        MemoryBudget budget = new MemoryBudget(4 * FRAME_BYTES);
        Outbound pressed = new Outbound(() -> { }, stats, budget);
        budget.peerOpened();
        budget.peerOpened(); // two peers: this one's share is a quarter of the budget
        PeerWriter writer = new PeerWriter(pressed, ServerOptions.builder().outboundHighWaterMark(MARK)
                .outboundHardLimit(LIMIT).slowConsumerPolicy(SlowConsumerPolicy.FAIL).build(), stats,
                new WriterOwner(() -> false, closeRequests::add));
        budget.add(2 * FRAME_BYTES); // what the other peer holds
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.binary(new byte[PAYLOAD]), 0, null));
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.binary(new byte[PAYLOAD]), 0, null));
        assertFalse(writer.isWritable(), "below its own mark, but over its share of a pressed budget");
        assertEquals(WriteResult.REFUSED, writer.offer(Frame.binary(new byte[PAYLOAD]), 0, null));
    }

    private PeerWriter writer(SlowConsumerPolicy policy) {
        return writer(policy, MARK, LIMIT);
    }

    private PeerWriter writer(SlowConsumerPolicy policy, long mark, long limit) {
        ServerOptions options = ServerOptions.builder()
                .outboundHighWaterMark(mark)
                .outboundHardLimit(limit)
                .slowConsumerPolicy(policy)
                .build();
        return new PeerWriter(outbound, options, stats, new WriterOwner(() -> onReactorThread, closeRequests::add));
    }

    /** A writer whose queue is at the high-water mark. */
    private PeerWriter filled(SlowConsumerPolicy policy) throws InterruptedException {
        PeerWriter writer = writer(policy);
        while (outbound.queuedBytes() < MARK) {
            assertEquals(WriteResult.QUEUED, write(writer, 0));
        }
        return writer;
    }

    private static WriteResult write(PeerWriter writer, long waitNanos) throws InterruptedException {
        return writer.offer(Frame.binary(new byte[PAYLOAD]), waitNanos, null);
    }

    private static WriteResult writeAsync(PeerWriter writer) throws InterruptedException {
        return writer.offer(Frame.binary(new byte[PAYLOAD]), 0, new CompletableFuture<>());
    }

    /** Plays the reactor: everything queued is written. */
    private void drain() {
        for (OutboundEntry entry; (entry = outbound.next()) != null; ) {
            outbound.onWritten(entry);
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "test-writer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits (bounded) until the thread parks: a writer waiting at the mark. */
    static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(thread.isAlive(), "the writer ended instead of waiting");
            assertTrue(System.nanoTime() - deadline < 0, "the writer never waited");
            Thread.sleep(1);
        }
    }
}
