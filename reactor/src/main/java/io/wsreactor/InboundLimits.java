package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounds of what a peer holds on the read side: what the queued frames cost against the peer's limits
 * ({@link ServerOptions#inboundQueueBytes()}, {@link ServerOptions#inboundQueueFrames()}) and the server's
 * {@link MemoryBudget}, and whether reading the socket is paused: a full queue pauses it, a take down to half resumes
 * it (docs/ARCHITECTURE.md, "The read path"). Besides the queue, the frame its decoder is receiving counts in the
 * budget too, and while the budget presses a peer holding more than its share is not read ("Bounds").
 *
 * <p>{@link InboundReaders} extends it with the waiting readers and {@link InboundQueue} with the frames (one object
 * per peer, as before); all guard their state with {@link #lock}, but the decoder's part, which the reactor thread
 * alone reads and writes.
 */
abstract class InboundLimits {
    /**
     * Bytes read at a time while the budget presses: a peer below its share may go on, but in small steps, so that
     * the frames one read yields (each costing its overhead) overshoot the share by little.
     */
    static final int PRESSED_READ = 1024;

    final ReentrantLock lock = new ReentrantLock();
    /** The limits are read from the options, not copied here: one queue per idle peer, each field counts. */
    private final ServerOptions options;
    private final MemoryBudget budget;
    /** What the queued frames cost: payload bytes plus {@link MemoryBudget#ENTRY_OVERHEAD} each. */
    private long bytes;
    /** Whether {@link #bytes} still counts in the server's budget (until the connection closes). */
    private boolean budgeted = true;
    private boolean paused;
    /** What the decoder holds for the frame being received (0 between frames). Reactor thread only. */
    private long decoderBytes;
    /** Whether reading is paused because the budget presses and this peer holds more than its share. Reactor thread. */
    private boolean overShare;

    InboundLimits(ServerOptions options, MemoryBudget budget) {
        this.options = options;
        this.budget = budget;
    }

    /**
     * Under the lock: a frame joined the queue, now {@code queuedFrames} long.
     *
     * @return true when the queue is now full, so the socket is paused until a take brings it down to half
     */
    final boolean countIn(Frame frame, int queuedFrames) {
        long cost = MemoryBudget.cost(frame.length());
        bytes += cost;
        budget.add(cost);
        boolean full = bytes >= options.inboundQueueBytes() || queuedFrames >= options.inboundQueueFrames();
        if (full) {
            paused = true;
        }
        return full;
    }

    /** Under the lock: a frame left the queue. */
    final void countOut(Frame frame) {
        long cost = MemoryBudget.cost(frame.length());
        bytes -= cost;
        if (budgeted) {
            budget.release(cost);
        }
    }

    /**
     * Under the lock, after a frame is taken, {@code queuedFrames} left: true when the queue was paused and is now
     * down to half its limits, so the socket may be read again.
     */
    final boolean unpauseBelowHalf(int queuedFrames) {
        if (paused && bytes <= options.inboundQueueBytes() / 2 && queuedFrames <= options.inboundQueueFrames() / 2) {
            paused = false;
            return true;
        }
        return false;
    }

    /** Reading stopped for the budget: a take that leaves the queue below half asks to read again. Reactor thread. */
    private void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    /** What the queued frames cost now. Any thread. */
    final long heldBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    // ---- the read side's part of the budget: reactor thread only ----

    /** How many bytes the next read may take into a buffer of {@code capacity}. */
    final int readLimit(int capacity) {
        return budget.pressing() ? Math.min(PRESSED_READ, capacity) : capacity;
    }

    /** The decoder now holds {@code capacity} bytes for the frame it is reading (0 between frames). */
    final void decoderHolds(int capacity) {
        if (capacity != decoderBytes) {
            budget.add(capacity - decoderBytes);
            decoderBytes = capacity;
        }
    }

    /** Whether reading is paused because this peer holds more than its share of a pressed budget. */
    final boolean isOverShare() {
        return overShare;
    }

    /**
     * After a read: @return true when reading must pause now, as the budget presses and this peer holds more than its
     * share; the queue is marked paused too, so a reader's take resumes it as after a full queue
     */
    final boolean pauseIfOverShare() {
        if (!overShare && budget.pressing() && budget.overShare(decoderBytes + heldBytes())) {
            overShare = true;
            budget.paused();
            pause();
            return true;
        }
        return false;
    }

    /** On each tick, or when the reader took the queue down: @return true when a paused peer may read again */
    final boolean resumeIfWithinShare() {
        if (overShare && !budget.overShare(decoderBytes + heldBytes())) {
            overShare = false;
            return true;
        }
        return false;
    }

    /**
     * The connection closed: what the decoder held leaves the server's budget, and so do the frames still queued:
     * they stay readable, but are the application's to drop from now on.
     */
    final void leaveBudget() {
        budget.release(decoderBytes);
        decoderBytes = 0;
        lock.lock();
        try {
            if (budgeted) {
                budgeted = false;
                budget.release(bytes);
            }
        } finally {
            lock.unlock();
        }
    }
}
