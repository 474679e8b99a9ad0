package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;

/**
 * Who waits for a peer's next frame: blocked readers (their condition, how many park on it, and the
 * {@link WaitStrategy} by which they wait) and {@code readAsync} futures, served in the order they came
 * (docs/ARCHITECTURE.md, "Waiting: strategies and hand-offs").
 *
 * <p>{@link InboundQueue} extends it with the frames (one object per peer, as before); all of it is guarded by
 * {@link #lock}. The condition and the second and later futures are made on first need, so idle peers and peers read
 * with one future at a time carry neither.
 */
abstract class InboundReaders extends InboundLimits {
    /** Made by the first blocking reader (under the lock), so peers read with futures do not carry it. */
    private Condition notEmpty;
    /** Readers parked on {@link #notEmpty}; a spinning reader is not counted, so an offer pays no signal for it. */
    private int waitingReaders;
    /** How blocking reads wait (see {@link Waiting}); the peer may change it. */
    private volatile WaitStrategy waitStrategy;
    /** The first waiting readAsync; more than one waiting (rare) go to {@link #moreAsyncReaders}. */
    private CompletableFuture<Frame> asyncReader;
    private ArrayDeque<CompletableFuture<Frame>> moreAsyncReaders;

    InboundReaders(ServerOptions options, MemoryBudget budget) {
        super(options, budget);
        this.waitStrategy = options.waitStrategy();
    }

    /** Sets how blocking reads wait from the next read on. Any thread. */
    final void setWaitStrategy(WaitStrategy strategy) {
        waitStrategy = strategy;
    }

    /** How blocking reads wait. */
    final WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /**
     * Under the lock: parks the calling reader until a frame or the end is signalled, at most {@code nanos}.
     *
     * @return the nanoseconds left, as {@link Condition#awaitNanos}
     */
    final long awaitFrame(long nanos) throws InterruptedException {
        if (notEmpty == null) {
            notEmpty = lock.newCondition();
        }
        waitingReaders++;
        try {
            return notEmpty.awaitNanos(nanos);
        } finally {
            waitingReaders--;
        }
    }

    /** Under the lock: a frame was queued; wakes one parked reader, if any parks. */
    final void signalReader() {
        if (waitingReaders > 0) {
            notEmpty.signal();
        }
    }

    /** Under the lock: wakes every parked reader, to see the end of the stream. */
    final void signalAllReaders() {
        if (notEmpty != null) {
            notEmpty.signalAll();
        }
    }

    /** Wakes parked readers so they see a change made elsewhere (the connection closed). Any thread. */
    final void wakeReaders() {
        lock.lock();
        try {
            signalAllReaders();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: whether a {@code readAsync} future waits for the next frame. */
    final boolean hasAsyncReader() {
        return asyncReader != null;
    }

    /** Under the lock: a future for the next frame, served after those already waiting. */
    final CompletableFuture<Frame> addAsyncReader() {
        CompletableFuture<Frame> future = new CompletableFuture<>();
        if (asyncReader == null) {
            asyncReader = future;
        } else {
            if (moreAsyncReaders == null) {
                moreAsyncReaders = new ArrayDeque<>(2);
            }
            moreAsyncReaders.add(future);
        }
        return future;
    }

    /** Under the lock: removes the first waiting future, which is there. */
    final CompletableFuture<Frame> takeAsyncReader() {
        CompletableFuture<Frame> reader = asyncReader;
        asyncReader = moreAsyncReaders == null ? null : moreAsyncReaders.poll();
        return reader;
    }
}
