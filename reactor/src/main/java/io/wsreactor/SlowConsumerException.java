package io.wsreactor;

import java.io.IOException;

/**
 * Fails a {@link WsPeer#writeAsync writeAsync} refused by the peer's {@link SlowConsumerPolicy}: FAIL at the
 * high-water mark, BLOCK or CLOSE past the hard limit.
 */
public final class SlowConsumerException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Makes the exception with a message naming the policy and the queued bytes. */
    public SlowConsumerException(String message) {
        super(message);
    }
}
