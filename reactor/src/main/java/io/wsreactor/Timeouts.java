package io.wsreactor;

import java.time.Duration;
import java.util.Objects;

/** How the API's {@link Duration} timeouts become the nanoseconds its waits count. */
final class Timeouts {
    private Timeouts() {
    }

    /** {@code timeout} in nanoseconds: 0 when negative (do not wait), {@link Long#MAX_VALUE} when too long to count. */
    static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
