package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsreactor.PeerTimers.Due;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An open peer's deadlines on a clock the test moves: accept, idle, keepalive, and which comes first. No socket. */
class PeerTimersTest {
    private static final long MS = 1_000_000;
    private static final long T0 = 5_000 * MS;

    private static PeerTimers timers(ServerOptions.Builder options) {
        return new PeerTimers(options.build(), T0);
    }

    @Test
    void acceptTimeoutIsDueOnceAndNotForAnAcceptedPeer() {
        PeerTimers timers = timers(ServerOptions.builder().acceptTimeout(Duration.ofMillis(100)));
        assertEquals(Due.NONE, timers.check(T0 + 99 * MS, false));
        assertEquals(Due.ACCEPT_TIMEOUT, timers.check(T0 + 100 * MS, false));
        assertEquals(Due.NONE, timers.check(T0 + 200 * MS, false), "reported once");
        PeerTimers accepted = timers(ServerOptions.builder().acceptTimeout(Duration.ofMillis(100)));
        assertEquals(Due.NONE, accepted.check(T0 + 500 * MS, true));
    }

    @Test
    void idleCountsFromTheLastByteRead() {
        PeerTimers timers = timers(ServerOptions.builder().idleTimeout(Duration.ofMillis(300)));
        assertEquals(Due.NONE, timers.check(T0 + 299 * MS, true));
        timers.inputRead(T0 + 250 * MS);
        assertEquals(Due.NONE, timers.check(T0 + 549 * MS, true), "a byte at 250 ms moved the deadline");
        assertEquals(Due.IDLE, timers.check(T0 + 550 * MS, true));
    }

    @Test
    void noIdleTimeoutAndNoKeepaliveByDefault() {
        PeerTimers timers = timers(ServerOptions.builder());
        assertEquals(Due.NONE, timers.check(T0 + 3_600_000 * MS, true));
        assertEquals(-1, timers.rttNanos());
    }

    @Test
    void keepalivePingsThenDropsAPeerThatDoesNotAnswer() {
        PeerTimers timers = timers(ServerOptions.builder().pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofMillis(50)));
        assertEquals(Due.PING, timers.check(T0 + 100 * MS, true));
        assertEquals(Due.NONE, timers.check(T0 + 149 * MS, true));
        assertEquals(Due.PEER_DEAD, timers.check(T0 + 150 * MS, true));
    }

    @Test
    void aPongAnsweringThePingRecordsTheRoundTrip() {
        PeerTimers timers = timers(ServerOptions.builder().pingInterval(Duration.ofMillis(100)));
        assertEquals(Due.PING, timers.check(T0 + 100 * MS, true));
        timers.pong(timers.pingPayload(), T0 + 107 * MS);
        assertEquals(7 * MS, timers.rttNanos());
        assertEquals(Due.PING, timers.check(T0 + 200 * MS, true), "answered: the next ping is due, no drop");
    }

    @Test
    void theAcceptTimeoutComesBeforeIdleAndIdleBeforeKeepalive() {
        PeerTimers timers = timers(ServerOptions.builder().acceptTimeout(Duration.ofMillis(100))
                .idleTimeout(Duration.ofMillis(100)).pingInterval(Duration.ofMillis(100)));
        assertEquals(Due.ACCEPT_TIMEOUT, timers.check(T0 + 100 * MS, false));
        assertEquals(Due.IDLE, timers.check(T0 + 100 * MS, false));
        timers.inputRead(T0 + 100 * MS);
        assertEquals(Due.PING, timers.check(T0 + 100 * MS, false));
    }
}
