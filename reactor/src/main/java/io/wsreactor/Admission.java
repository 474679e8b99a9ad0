package io.wsreactor;

/**
 * What a peer's slow-consumer policy makes of one write (docs/ARCHITECTURE.md, "The write path"): a pure decision
 * on the outbound bytes, the limits and the kind of write. {@link PeerWriter} acts on it: waits, counts, closes.
 */
enum Admission {
    /** Below the high-water mark, or the policy lets the write pass: queue it. */
    QUEUE,
    /** BLOCK, a blocking write at the mark: wait until the bytes fall below it. */
    WAIT,
    /** Refused: FAIL at the mark, or a BLOCK {@code writeAsync} past the hard limit. */
    REFUSE,
    /** DROP at the mark: the message is dropped whole. */
    DROP,
    /** CLOSE past the hard limit (or over the memory budget's share): refused, and the peer is failed with 1008. */
    CLOSE_PEER;

    /**
     * @param queued the peer's outbound bytes now ({@link Outbound#queuedBytes})
     * @param length the payload length of the frame to write
     * @param overBudget whether the server's memory budget presses on this peer: counts as past the hard limit
     * @param starts whether the frame starts a message (a continuation of a message begun is never dropped)
     * @param async whether the write must not wait ({@code writeAsync}, a publish)
     */
    static Admission decide(SlowConsumerPolicy policy, long queued, int length, long highWaterMark, long hardLimit,
            boolean overBudget, boolean starts, boolean async) {
        if (queued < highWaterMark && policy != SlowConsumerPolicy.CLOSE && !overBudget) {
            return QUEUE;
        }
        boolean pastHardLimit = overBudget || queued + length > hardLimit;
        return switch (policy) {
            // writeAsync never waits: its late future is the backpressure, up to the hard limit
            case BLOCK -> !async ? WAIT : pastHardLimit ? REFUSE : QUEUE;
            case FAIL -> REFUSE;
            case DROP -> starts ? DROP : QUEUE; // a message begun is finished: never half a message
            case CLOSE -> pastHardLimit ? CLOSE_PEER : QUEUE;
        };
    }
}
