package io.wsreactor;

/**
 * What became of a {@link WsPeer#write(io.wsreactor.frame.Frame, java.time.Duration) write}. The same outcomes reach
 * a {@link WsPeer#writeAsync writeAsync} future as completion ({@link #QUEUED} once written, {@link #DROPPED}) or as
 * its exception ({@link #CLOSED}: {@link java.nio.channels.ClosedChannelException}; {@link #REFUSED}:
 * {@link SlowConsumerException}); an async write never waits, so never times out.
 */
public enum WriteResult {
    /** The frame is queued for the socket, in order with the thread's earlier frames. */
    QUEUED,
    /** The DROP slow-consumer policy discarded the frame's whole message; it is counted in the stats. */
    DROPPED,
    /**
     * The slow-consumer policy refused the frame: FAIL at the high-water mark, CLOSE past the hard limit (the peer is
     * then closed with 1008), or BLOCK on the reactor thread, which may not wait. Nothing was queued.
     */
    REFUSED,
    /** The peer is closed or closing (a close frame is queued): nothing was queued. */
    CLOSED,
    /** The BLOCK policy waited at the high-water mark for the whole timeout: nothing was queued. */
    TIMED_OUT;

    /** Whether the frame was taken: queued, or dropped whole by the DROP policy as the application asked. */
    public boolean isAccepted() {
        return this == QUEUED || this == DROPPED;
    }
}
