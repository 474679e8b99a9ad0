package io.wsreactor;

/**
 * What one publish became, counted over its recipients. Each recipient's slow-consumer policy decides for that
 * recipient alone, exactly as for a {@link WsPeer#writeAsync} of the same message; no recipient waits for another.
 */
public final class PublishResult {
    private final int queued;
    private final int replaced;
    private final int dropped;
    private final int refused;
    private final int closed;

    PublishResult(int queued, int replaced, int dropped, int refused, int closed) {
        this.queued = queued;
        this.replaced = replaced;
        this.dropped = dropped;
        this.refused = refused;
        this.closed = closed;
    }

    /** Recipients whose queue took the message (it is written once their earlier frames are). */
    public int queued() {
        return queued;
    }

    /**
     * Recipients of a conflating topic for whom the message replaced an older one with the same key that was still
     * queued (that older one is never written to them).
     */
    public int replaced() {
        return replaced;
    }

    /** Recipients whose DROP policy discarded the message (whole: never part of it). */
    public int dropped() {
        return dropped;
    }

    /**
     * Recipients whose policy refused the message: FAIL at the high-water mark, BLOCK or CLOSE past the hard limit
     * (CLOSE then closes that peer with 1008), or more than 1,024 messages already held behind a fragmented message
     * the application is writing to that peer.
     */
    public int refused() {
        return refused;
    }

    /** Recipients that were closing or closed. */
    public int closed() {
        return closed;
    }

    /** Every recipient counted once: queued, replaced, dropped, refused or closed. */
    public int recipients() {
        return queued + replaced + dropped + refused + closed;
    }

    @Override
    public String toString() {
        return "PublishResult[queued=" + queued + ", replaced=" + replaced + ", dropped=" + dropped + ", refused="
                + refused + ", closed=" + closed + "]";
    }
}
