package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.System.Logger.Level;
import org.junit.jupiter.api.Test;

/** The rate limit of a repeating failure's log, on a clock the test moves. */
class RepeatedFailureLogTest {
    private final RepeatedFailureLog log = new RepeatedFailureLog(
            System.getLogger("io.wsreactor.test.quiet"), Level.DEBUG, "accepting a connection failed");

    @Test
    void firstOccurrenceIsLoggedThenOneLinePerWindow() {
        IOException failure = new IOException("Too many open files");
        assertTrue(log.log(failure, 0));
        // 200 retries a second for the rest of the window: none written.
        for (long t = 5_000_000; t < RepeatedFailureLog.WINDOW_NANOS; t += 5_000_000) {
            assertFalse(log.log(failure, t));
        }
        assertEquals(1999, log.suppressed());
        assertTrue(log.log(failure, RepeatedFailureLog.WINDOW_NANOS), "one summary line per window");
        assertEquals(0, log.suppressed());
        assertFalse(log.log(failure, RepeatedFailureLog.WINDOW_NANOS + 1));
    }

    @Test
    void aFailureAfterALongQuietSpellIsLoggedAtOnce() {
        assertTrue(log.log(new IOException("a"), 0));
        assertTrue(log.log(new IOException("b"), 3 * RepeatedFailureLog.WINDOW_NANOS));
        assertEquals(0, log.suppressed());
    }

    @Test
    void worksAcrossTheNanoTimeWrap() {
        long start = Long.MAX_VALUE - 1_000;
        assertTrue(log.log(new IOException("a"), start));
        assertFalse(log.log(new IOException("b"), start + 2_000), "still inside the window after the wrap");
        assertTrue(log.log(new IOException("c"), start + RepeatedFailureLog.WINDOW_NANOS));
    }

    @Test
    void aWrongAnswerWithoutAnExceptionIsLoggedAndLimitedTheSameWay() {
        RepeatedFailureLog hooks = new RepeatedFailureLog(
                System.getLogger("io.wsreactor.test.quiet"), Level.DEBUG, "a handshake hook failed");
        assertTrue(hooks.log("the hook returned null", null, 0));
        assertFalse(hooks.log("the hook returned null", null, 1));
        assertEquals(1, hooks.suppressed());
    }
}
