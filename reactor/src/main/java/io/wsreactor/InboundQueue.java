package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;

/**
 * A peer's received data frames waiting for {@code read()}, bounded in bytes and in frames.
 *
 * <p>The reactor thread offers frames; user threads take them with blocking reads or futures. When the queue is
 * full the reactor stops reading the socket; when a reader has taken it down to half, the reader asks the
 * {@link Owner} to read again (the counting and the pause are {@link InboundLimits}', which it extends). After
 * {@link #end} readers get the frames still queued, then null; the first reader to see that end tells the owner,
 * which may then send the close frame it owes.
 */
final class InboundQueue extends InboundLimits {
    /** What the queue tells the connection it belongs to. */
    interface Owner {
        /** A reader took the queue below half its limits: read the socket again. Any thread. */
        void resumeReading();

        /** A reader saw the end of the stream. Any thread. */
        void endObserved();

        /** Whether the calling thread is the reactor's, where a blocking read must not wait. */
        boolean isReactorThread();
    }

    /** Made by the first blocking reader (under the lock), so peers read with futures do not carry it. */
    private Condition notEmpty;
    private final Owner owner;
    private ArrayDeque<Frame> frames;
    /** The first waiting readAsync; more than one waiting (rare) go to {@link #moreAsyncReaders}. */
    private CompletableFuture<Frame> asyncReader;
    private ArrayDeque<CompletableFuture<Frame>> moreAsyncReaders;
    private int waitingReaders;
    /** The number of queued frames, for spinning readers to watch without the lock; written under it. */
    private volatile int queuedFrames;
    /** How blocking reads wait (see {@link Waiting}); the peer may change it. */
    private volatile WaitStrategy waitStrategy;
    private volatile boolean ended;
    /** Set when a reader takes the last queued frame: a reply to it may be written in place ({@link InPlaceWriter}). */
    private volatile boolean replyDue;
    private volatile boolean endObserved;

    InboundQueue(Owner owner, ServerOptions options, MemoryBudget budget) {
        super(options, budget);
        this.owner = owner;
        this.waitStrategy = options.waitStrategy();
    }

    /** Sets how blocking reads wait from the next read on. Any thread. */
    void setWaitStrategy(WaitStrategy strategy) {
        waitStrategy = strategy;
    }

    /** How blocking reads wait. */
    WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /**
     * Adds a frame, or hands it to a waiting {@code readAsync} (whose stages then run here, on the reactor thread).
     * Reactor thread only.
     *
     * @return true when the queue is now full and the socket should not be read until a reader resumes it
     */
    boolean offer(Frame frame) {
        CompletableFuture<Frame> reader = null;
        boolean full = false;
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            if (asyncReader != null) {
                reader = takeAsyncReader();
            } else {
                if (frames == null) {
                    frames = new ArrayDeque<>(8);
                }
                frames.add(frame);
                queuedFrames = frames.size();
                full = countIn(frame, frames.size());
                if (waitingReaders > 0) {
                    notEmpty.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (reader != null) {
            reader.complete(frame);
        }
        return full;
    }

    /**
     * Marks the end of the stream: no frame follows. Reactor thread only.
     *
     * @return true when a reader already saw the end (a waiting {@code readAsync} completed with null)
     */
    boolean end() {
        ArrayDeque<CompletableFuture<Frame>> readers = new ArrayDeque<>(2);
        lock.lock();
        try {
            if (ended) {
                return endObserved;
            }
            ended = true;
            if (frames == null || frames.isEmpty()) {
                while (asyncReader != null) {
                    readers.add(takeAsyncReader());
                }
                if (!readers.isEmpty()) {
                    endObserved = true;
                }
                if (notEmpty != null) {
                    notEmpty.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        readers.forEach(reader -> reader.complete(null));
        return !readers.isEmpty();
    }

    /** Removes the first waiting readAsync (the lock is held). */
    private CompletableFuture<Frame> takeAsyncReader() {
        CompletableFuture<Frame> reader = asyncReader;
        asyncReader = moreAsyncReaders == null ? null : moreAsyncReaders.poll();
        return reader;
    }

    /** Whether a reader has seen the end of the stream. Any thread. */
    boolean isEndObserved() {
        return endObserved;
    }

    /** Whether {@link #end} was called and every queued frame has been read. Any thread. */
    boolean isDrainedAndEnded() {
        lock.lock();
        try {
            return ended && (frames == null || frames.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next frame, waiting at most {@code nanos}.
     *
     * @return the frame, or null at end of stream
     * @throws TimeoutException when neither a frame nor the end came within {@code nanos}
     * @throws InterruptedException if the thread is interrupted while waiting (no frame is lost)
     */
    Frame poll(long nanos) throws InterruptedException, TimeoutException {
        return poll(nanos, null, 0);
    }

    /**
     * Waits as {@link #poll(long)} for a frame, then adds it to {@code into} with up to {@code max - 1} more already
     * queued, all under one lock: a reader that fell behind drains its backlog in one hand-off.
     *
     * @return the number of frames added, at least 1; -1 at end of stream (nothing added)
     * @throws TimeoutException when neither a frame nor the end came within {@code nanos}
     * @throws InterruptedException if the thread is interrupted while waiting (no frame is lost)
     */
    int pollBatch(List<? super Frame> into, int max, long nanos) throws InterruptedException, TimeoutException {
        int before = into.size();
        Frame first = poll(nanos, into, max - 1);
        if (first == null) {
            return -1;
        }
        into.add(before, first);
        return into.size() - before;
    }

    /** {@link #poll(long)}, adding to {@code more} (when not null) up to {@code moreMax} frames after the first. */
    private Frame poll(long nanos, List<? super Frame> more, int moreMax)
            throws InterruptedException, TimeoutException {
        Frame frame;
        boolean resume = false;
        boolean sawEnd = false;
        WaitStrategy strategy = waitStrategy;
        boolean spun = false;
        lock.lockInterruptibly();
        try {
            while (true) {
                if (frames != null && !frames.isEmpty()) {
                    frame = take();
                    for (int i = 0; i < moreMax && !frames.isEmpty(); i++) {
                        more.add(take());
                    }
                    if (frames.isEmpty()) {
                        replyDue = true;
                    }
                    resume = unpauseBelowHalf(frames.size());
                    break;
                }
                if (ended) {
                    frame = null;
                    sawEnd = !endObserved;
                    endObserved = true;
                    break;
                }
                if (nanos <= 0) {
                    throw new TimeoutException("no frame within the timeout");
                }
                if (owner.isReactorThread()) {
                    throw new IllegalStateException("a blocking read on the reactor thread would stop the server;"
                            + " use readAsync() in future stages");
                }
                if (Waiting.spinsNow(strategy, spun)) {
                    spun = true;
                    nanos = Waiting.spinUnlocked(strategy, lock, this::hasFrameOrEnd, nanos);
                    continue;
                }
                if (notEmpty == null) {
                    notEmpty = lock.newCondition();
                }
                waitingReaders++;
                try {
                    nanos = notEmpty.awaitNanos(nanos);
                } finally {
                    waitingReaders--;
                }
            }
        } finally {
            lock.unlock();
        }
        afterTake(resume, sawEnd);
        return frame;
    }

    /** A future of the next frame (null at end of stream); completed now when a frame is queued. Any thread. */
    CompletableFuture<Frame> pollAsync() {
        Frame frame = null;
        boolean resume = false;
        boolean sawEnd = false;
        lock.lock();
        try {
            if (frames != null && !frames.isEmpty()) {
                frame = take();
                resume = unpauseBelowHalf(frames.size());
            } else if (ended) {
                sawEnd = !endObserved;
                endObserved = true;
            } else {
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
        } finally {
            lock.unlock();
        }
        afterTake(resume, sawEnd);
        return CompletableFuture.completedFuture(frame);
    }

    /**
     * Whether a blocking reader caught up with the queue since the last call: the write that follows is a reply
     * worth writing in place, where a write with frames still queued behind it is left for the reactor to batch.
     * Any thread.
     */
    boolean takeReplyDue() {
        if (replyDue) {
            replyDue = false;
            return true;
        }
        return false;
    }

    /** What a spinning reader waits for; read without the lock. */
    private boolean hasFrameOrEnd() {
        return queuedFrames > 0 || ended;
    }

    /** Under the lock: takes the first frame, which is there. */
    private Frame take() {
        Frame frame = frames.poll();
        queuedFrames = frames.size();
        countOut(frame);
        return frame;
    }

    /** Outside the lock: reading resumes, and a close waiting for the reader to see end of stream goes on. */
    private void afterTake(boolean resume, boolean sawEnd) {
        if (resume) {
            owner.resumeReading();
        }
        if (sawEnd) {
            owner.endObserved();
        }
    }

    /** Wakes blocked readers so they see a change made elsewhere (the connection closed). Any thread. */
    void wakeReaders() {
        lock.lock();
        try {
            if (notEmpty != null) {
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
