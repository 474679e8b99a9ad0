package io.wsreactor;

/**
 * One open peer's part in the server's {@link MemoryBudget} on the read side (docs/ARCHITECTURE.md, "Bounds"): the
 * bytes its decoder holds for the frame being received, and whether its reading is paused because the budget presses
 * and the peer holds more than its share. The frames queued for its reader are counted by its {@link InboundQueue},
 * asked only while the budget presses, so an unpressed read costs no lock. Reactor thread only.
 */
final class ReadBudget {
    /**
     * Bytes read at a time while the budget presses: a peer below its share may go on, but in small steps, so that
     * the frames one read yields (each costing its overhead) overshoot the share by little.
     */
    static final int PRESSED_READ = 1024;

    private final MemoryBudget budget;
    private final InboundQueue inbound;
    private long decoderBytes;
    private boolean paused;

    ReadBudget(MemoryBudget budget, InboundQueue inbound) {
        this.budget = budget;
        this.inbound = inbound;
    }

    /** How many bytes the next read may take into a buffer of {@code capacity}. */
    int readLimit(int capacity) {
        return budget.pressing() ? Math.min(PRESSED_READ, capacity) : capacity;
    }

    /** The decoder now holds {@code capacity} bytes for the frame it is reading (0 between frames). */
    void decoderHolds(int capacity) {
        if (capacity != decoderBytes) {
            budget.add(capacity - decoderBytes);
            decoderBytes = capacity;
        }
    }

    boolean isPaused() {
        return paused;
    }

    /** After a read: @return true when reading must pause now */
    boolean pauseIfOverShare() {
        if (!paused && budget.pressing() && budget.overShare(decoderBytes + inbound.heldBytes())) {
            paused = true;
            budget.paused();
            return true;
        }
        return false;
    }

    /** On each tick, or when the reader took its queue down: @return true when a paused peer may read again */
    boolean resumeIfWithinShare() {
        if (paused && !budget.overShare(decoderBytes + inbound.heldBytes())) {
            paused = false;
            return true;
        }
        return false;
    }

    /** The connection closed: what its decoder held leaves the budget. */
    void release() {
        budget.release(decoderBytes);
        decoderBytes = 0;
    }
}
