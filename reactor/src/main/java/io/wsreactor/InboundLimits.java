package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounds of a peer's received frames: what the queued frames cost against the peer's limits
 * ({@link ServerOptions#inboundQueueBytes()}, {@link ServerOptions#inboundQueueFrames()}) and the server's
 * {@link MemoryBudget}, and whether reading the socket is paused: a full queue pauses it, a take down to half resumes
 * it (docs/ARCHITECTURE.md, "The read path").
 *
 * <p>{@link InboundReaders} extends it with the waiting readers and {@link InboundQueue} with the frames (one object
 * per peer, as before); all guard their state with {@link #lock}.
 */
abstract class InboundLimits {
    final ReentrantLock lock = new ReentrantLock();
    /** The limits are read from the options, not copied here: one queue per idle peer, each field counts. */
    private final ServerOptions options;
    private final MemoryBudget budget;
    /** What the queued frames cost: payload bytes plus {@link MemoryBudget#ENTRY_OVERHEAD} each. */
    private long bytes;
    /** Whether {@link #bytes} still counts in the server's budget (until the connection closes). */
    private boolean budgeted = true;
    private boolean paused;

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

    /**
     * The owner stopped reading for a reason of its own (the memory budget): a take that leaves the queue below half
     * asks it to read again, as after a full queue. Reactor thread.
     */
    final void pause() {
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

    /**
     * The connection closed: the frames still queued stay readable, but are the application's to drop from now on,
     * so they leave the server's budget. Reactor thread.
     */
    final void leaveBudget() {
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
