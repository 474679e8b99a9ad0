package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A peer's received data frames waiting for {@code read()}, bounded in bytes and in frames.
 *
 * <p>The reactor thread offers frames; user threads take them with blocking reads or futures. When the queue is
 * full the reactor stops reading the socket; when a reader has taken it down to half, the reader asks the
 * {@link Owner} to read again. After {@link #end} readers get the frames still queued, then null; the first
 * reader to see that end tells the owner, which may then send the close frame it owes.
 *
 * <p>One object per peer, in three layers: the counting and the pause are {@link InboundLimits}', the waiting readers
 * {@link InboundReaders}', and this class adds the frames and the hand-off between them.
 */
final class InboundQueue extends InboundReaders {
    /** What the queue tells the connection it belongs to. */
    interface Owner {
        /** A reader took the queue below half its limits: read the socket again. Any thread. */
        void resumeReading();

        /** A reader saw the end of the stream. Any thread. */
        void endObserved();

        /** Whether the calling thread is the reactor's, where a blocking read must not wait. */
        boolean isReactorThread();
    }

    private final Owner owner;
    private ArrayDeque<Frame> frames;
    /** The number of queued frames, for spinning readers to watch without the lock; written under it. */
    private volatile int queuedFrames;
    private volatile boolean ended;
    /** Set when a reader takes the last queued frame: a reply to it may be written in place ({@link InPlaceWriter}). */
    private volatile boolean replyDue;
    private volatile boolean endObserved;

    InboundQueue(Owner owner, ServerOptions options, MemoryBudget budget) {
        super(options, budget);
        this.owner = owner;
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
            if (hasAsyncReader()) {
                reader = takeAsyncReader();
            } else {
                if (frames == null) {
                    frames = new ArrayDeque<>(8);
                }
                frames.add(frame);
                queuedFrames = frames.size();
                full = countIn(frame, frames.size());
                signalReader();
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
                while (hasAsyncReader()) {
                    readers.add(takeAsyncReader());
                }
                if (!readers.isEmpty()) {
                    endObserved = true;
                }
                signalAllReaders();
            }
        } finally {
            lock.unlock();
        }
        readers.forEach(reader -> reader.complete(null));
        return !readers.isEmpty();
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

    /** Takes the next frame, waiting as long as it takes; null at end of stream. */
    Frame pollUnbounded() throws InterruptedException {
        try {
            return poll(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError("an unbounded wait timed out", e);
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
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    int pollBatch(List<? super Frame> into, int max, long nanos) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(into, "into");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
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
        WaitStrategy strategy = waitStrategy();
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
                nanos = awaitFrame(nanos);
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
                return addAsyncReader();
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
}
