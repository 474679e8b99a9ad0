package io.wsreactor;

/**
 * Keepalive pings of one connection, as a clock-driven rule with no I/O: a ping every {@code intervalNanos}, carrying
 * its send time so the pong gives the round-trip time; an answer missing for {@code pongTimeoutNanos} means the peer
 * is gone. {@link #onTick} says what to do and the connection does it (sends {@link #pingPayload()}, or drops the
 * peer). Made only when keepalive is on; checked by the reactor's sweep, so it costs no timer object. The last
 * round-trip time lives here rather than in {@link WsPeer}, so peers without keepalive do not carry it.
 *
 * <p>Reactor thread only, but {@link #lastRttNanos} (any thread).
 */
final class Keepalive {
    /** What {@link #onTick} asks of the connection. */
    enum Action {
        /** Nothing is due. */
        NONE,
        /** A ping is due: send one carrying {@link #pingPayload()}. */
        SEND_PING,
        /** The last ping went unanswered past the pong timeout: the peer is gone, drop it. */
        PEER_DEAD
    }

    /** The payload length of our pings: the send time as eight big-endian bytes. */
    static final int PAYLOAD_LENGTH = 8;

    private final long intervalNanos;
    private final long pongTimeoutNanos;
    private long nextPingAt;
    private long pingSentAt;
    private boolean outstanding;
    private volatile long lastRttNanos = -1;

    /**
     * @param intervalNanos time from one ping (or the start) to the next; none is sent while one is outstanding
     * @param pongTimeoutNanos how long a ping may go unanswered; positive
     * @param now the clock's reading now (the first ping is due {@code intervalNanos} later)
     */
    Keepalive(long intervalNanos, long pongTimeoutNanos, long now) {
        if (intervalNanos <= 0 || pongTimeoutNanos <= 0) {
            throw new IllegalArgumentException("keepalive interval and pong timeout must be positive, were "
                    + intervalNanos + " and " + pongTimeoutNanos + " ns");
        }
        this.intervalNanos = intervalNanos;
        this.pongTimeoutNanos = pongTimeoutNanos;
        this.nextPingAt = now + intervalNanos;
    }

    /**
     * Checks the clock.
     *
     * @return {@link Action#SEND_PING} when a ping is due (it counts as sent at {@code now}), {@link Action#PEER_DEAD}
     *     when the outstanding ping went unanswered for the pong timeout, else {@link Action#NONE}
     */
    Action onTick(long now) {
        if (outstanding) {
            return now - pingSentAt < pongTimeoutNanos ? Action.NONE : Action.PEER_DEAD;
        }
        if (now - nextPingAt < 0) {
            return Action.NONE;
        }
        outstanding = true;
        pingSentAt = now;
        nextPingAt = now + intervalNanos;
        return Action.SEND_PING;
    }

    /** The payload of the ping {@link #onTick} last asked for: its send time, which its pong must echo. */
    byte[] pingPayload() {
        long value = pingSentAt;
        byte[] bytes = new byte[PAYLOAD_LENGTH];
        for (int i = PAYLOAD_LENGTH - 1; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    /**
     * Takes a pong: when it answers the outstanding ping, the ping is no longer outstanding and its round trip is
     * recorded. Other pongs (unsolicited, or echoing an older ping) change nothing.
     */
    void onPong(byte[] payload, long now) {
        if (outstanding && payload.length == PAYLOAD_LENGTH && readLong(payload) == pingSentAt) {
            outstanding = false;
            lastRttNanos = now - pingSentAt;
        }
    }

    /** The round-trip time of the last ping answered, in nanoseconds, or -1 when none was. Any thread. */
    long lastRttNanos() {
        return lastRttNanos;
    }

    private static long readLong(byte[] bytes) {
        long value = 0;
        for (int i = 0; i < PAYLOAD_LENGTH; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }
}
