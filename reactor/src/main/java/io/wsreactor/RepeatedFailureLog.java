package io.wsreactor;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Logs a failure that may repeat many times a second (accepting under file-descriptor exhaustion, a buggy handshake
 * hook): the first occurrence with its stack trace, then at most one line per {@link #WINDOW_NANOS} saying how many
 * were left out and the latest message. A log must not grow faster than the failures it reports are worth.
 * Reactor thread only; time is passed in.
 */
final class RepeatedFailureLog {
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final Logger logger;
    private final Level level;
    private final String what;
    private boolean loggedOnce;
    private long windowStart;
    private long suppressed;

    RepeatedFailureLog(Logger logger, Level level, String what) {
        this.logger = logger;
        this.level = level;
        this.what = what;
    }

    /** Reports one occurrence at time {@code now}; returns whether it was written to the log. */
    boolean log(Throwable failure, long now) {
        return log(String.valueOf(failure), failure, now);
    }

    /**
     * Reports one occurrence described by {@code detail}, with its {@code failure} when there is one (null for a
     * callback that answered wrongly rather than threw); returns whether it was written to the log.
     */
    boolean log(String detail, Throwable failure, long now) {
        if (!loggedOnce) {
            loggedOnce = true;
            windowStart = now;
            logger.log(level, what + ": " + detail, failure);
            return true;
        }
        if (now - windowStart < WINDOW_NANOS) {
            suppressed++;
            return false;
        }
        long left = suppressed;
        suppressed = 0;
        windowStart = now;
        logger.log(level, () -> what + " (again; " + left + " more in the last " + WINDOW_NANOS / 1_000_000_000L
                + " s left out): " + detail);
        return true;
    }

    /** Occurrences left out of the log since its last line. */
    long suppressed() {
        return suppressed;
    }
}
