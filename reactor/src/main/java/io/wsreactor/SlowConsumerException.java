package io.wsreactor;

import java.io.IOException;

/**
 * Fails a {@link WsPeer#writeAsync writeAsync} refused by the peer's {@link SlowConsumerPolicy} (FAIL at the
 * high-water mark, BLOCK or CLOSE past the hard limit: the frame was not queued; {@link WriteResult#REFUSED} for a
 * blocking write), or discarded unwritten when the CLOSE policy fails the peer. A peer that is closing or closed
 * fails writes with {@link java.nio.channels.ClosedChannelException} instead.
 */
public final class SlowConsumerException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Makes the exception with a message naming the policy and the queued bytes. */
    public SlowConsumerException(String message) {
        super(message);
    }
}
