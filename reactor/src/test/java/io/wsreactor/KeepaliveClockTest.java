package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wsreactor.Keepalive.Action;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Keepalive as a rule over a clock the test holds: when a ping is due, which pong answers it, when a peer is dead. */
class KeepaliveClockTest {
    private static final long INTERVAL = 1_000;
    private static final long PONG_TIMEOUT = 300;
    private static final long START = 5_000;

    private final Keepalive keepalive = new Keepalive(INTERVAL, PONG_TIMEOUT, START);

    @Test
    void noPingIsDueBeforeTheInterval() {
        assertEquals(Action.NONE, keepalive.onTick(START));
        assertEquals(Action.NONE, keepalive.onTick(START + INTERVAL - 1));
    }

    @Test
    void aPingIsDueAtTheIntervalAndCarriesItsSendTime() {
        long now = START + INTERVAL;
        assertEquals(Action.SEND_PING, keepalive.onTick(now));
        assertArrayEquals(ByteBuffer.allocate(8).putLong(now).array(), keepalive.pingPayload());
    }

    @Test
    void noSecondPingGoesWhileOneIsOutstanding() {
        keepalive.onTick(START + INTERVAL);
        assertEquals(Action.NONE, keepalive.onTick(START + INTERVAL + PONG_TIMEOUT - 1));
    }

    @Test
    void thePeerIsDeadWhenThePingGoesUnansweredForThePongTimeout() {
        keepalive.onTick(START + INTERVAL);
        assertEquals(Action.PEER_DEAD, keepalive.onTick(START + INTERVAL + PONG_TIMEOUT));
        assertEquals(Action.PEER_DEAD, keepalive.onTick(START + INTERVAL + 10 * PONG_TIMEOUT), "and stays dead");
    }

    @Test
    void theMatchingPongEndsThePingAndGivesTheRoundTrip() {
        long sent = START + INTERVAL;
        keepalive.onTick(sent);
        keepalive.onPong(keepalive.pingPayload(), sent + 42);
        assertEquals(42, keepalive.lastRttNanos());
        assertEquals(Action.NONE, keepalive.onTick(sent + PONG_TIMEOUT), "answered: the peer is alive");
    }

    @Test
    void aPongWithOtherBytesChangesNothing() {
        long sent = START + INTERVAL;
        keepalive.onTick(sent);
        keepalive.onPong(ByteBuffer.allocate(8).putLong(sent - 1).array(), sent + 10);
        keepalive.onPong(new byte[] {1, 2, 3}, sent + 10);
        keepalive.onPong(new byte[0], sent + 10);
        assertEquals(-1, keepalive.lastRttNanos());
        assertEquals(Action.PEER_DEAD, keepalive.onTick(sent + PONG_TIMEOUT), "still outstanding");
    }

    @Test
    void anUnsolicitedPongBeforeAnyPingChangesNothing() {
        keepalive.onPong(ByteBuffer.allocate(8).putLong(0).array(), START + 1);
        assertEquals(-1, keepalive.lastRttNanos());
        assertEquals(Action.SEND_PING, keepalive.onTick(START + INTERVAL), "the schedule is unchanged");
    }

    @Test
    void theNextPingIsAnIntervalAfterThePreviousOne() {
        long sent = START + INTERVAL;
        keepalive.onTick(sent);
        keepalive.onPong(keepalive.pingPayload(), sent + 100);
        assertEquals(Action.NONE, keepalive.onTick(sent + INTERVAL - 1));
        assertEquals(Action.SEND_PING, keepalive.onTick(sent + INTERVAL));
        assertArrayEquals(ByteBuffer.allocate(8).putLong(sent + INTERVAL).array(), keepalive.pingPayload());
    }

    @Test
    void aPongLaterThanTheIntervalIsFollowedByTheNextPingAtOnce() {
        Keepalive patient = new Keepalive(INTERVAL, 5 * INTERVAL, START); // a pong timeout longer than the interval
        long sent = START + INTERVAL;
        patient.onTick(sent);
        assertEquals(Action.NONE, patient.onTick(sent + INTERVAL), "no second ping while one is outstanding");
        patient.onPong(patient.pingPayload(), sent + INTERVAL + 50);
        assertEquals(INTERVAL + 50, patient.lastRttNanos());
        assertEquals(Action.SEND_PING, patient.onTick(sent + INTERVAL + 50), "the next ping was due already");
    }

    @Test
    void thePongOfAnOlderPingDoesNotAnswerTheCurrentOne() {
        long first = START + INTERVAL;
        keepalive.onTick(first);
        byte[] firstPayload = keepalive.pingPayload();
        keepalive.onPong(firstPayload, first + 10);
        long second = first + INTERVAL;
        keepalive.onTick(second);
        keepalive.onPong(firstPayload, second + 10); // a duplicate of the first answer
        assertEquals(10, keepalive.lastRttNanos(), "the round trip of the first ping still");
        assertEquals(Action.PEER_DEAD, keepalive.onTick(second + PONG_TIMEOUT));
    }

    @Test
    void theClockMayWrapAroundLongMaxValue() {
        long start = Long.MAX_VALUE - INTERVAL / 2;
        Keepalive wrapping = new Keepalive(INTERVAL, PONG_TIMEOUT, start);
        assertEquals(Action.NONE, wrapping.onTick(start + INTERVAL - 1)); // negative by now
        long sent = start + INTERVAL;
        assertEquals(Action.SEND_PING, wrapping.onTick(sent));
        wrapping.onPong(wrapping.pingPayload(), sent + 7);
        assertEquals(7, wrapping.lastRttNanos());
    }

    @Test
    void theRoundTripIsMinusOneUntilAPingIsAnswered() {
        assertEquals(-1, keepalive.lastRttNanos());
        keepalive.onTick(START + INTERVAL);
        assertEquals(-1, keepalive.lastRttNanos());
    }

    @Test
    void anIntervalOrTimeoutThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Keepalive(0, PONG_TIMEOUT, START));
        assertThrows(IllegalArgumentException.class, () -> new Keepalive(INTERVAL, -1, START));
    }
}
