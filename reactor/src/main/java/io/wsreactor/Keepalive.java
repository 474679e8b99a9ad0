package io.wsreactor;

/**
 * Keepalive pings of one connection: a ping every {@link ServerOptions#pingInterval()}, carrying its send time so the
 * pong gives the round-trip time; an answer missing for {@link ServerOptions#pongTimeout()} means the peer is gone.
 * Made only when keepalive is on. Reactor thread only, but {@link #lastRttNanos} (any thread); checked by the reactor's
 * sweep, so it costs no timer object. The last round-trip time lives here rather than in {@link WsPeer}, so peers
 * without keepalive do not carry it.
 */
final class Keepalive {
    private final long intervalNanos;
    private final long pongTimeoutNanos;
    private long nextPingAt;
    private long pingSentAt;
    private boolean outstanding;
    private volatile long lastRttNanos = -1;

    Keepalive(ServerOptions options, long now) {
        this.intervalNanos = options.pingInterval().toNanos();
        this.pongTimeoutNanos = options.pongTimeout().toNanos();
        this.nextPingAt = now + intervalNanos;
    }

    /**
     * Sends a ping when one is due.
     *
     * @return false when a ping went unanswered past the pong timeout (the peer should be dropped)
     */
    boolean onTick(long now, Outbound outbound) {
        if (outstanding) {
            return now - pingSentAt < pongTimeoutNanos;
        }
        if (now - nextPingAt >= 0) {
            outstanding = true;
            pingSentAt = now;
            nextPingAt = now + intervalNanos;
            outbound.ping(longBytes(now));
        }
        return true;
    }

    /** Takes a pong: when it answers our ping, the ping is no longer outstanding and its round trip is recorded. */
    void onPong(byte[] payload, long now) {
        if (outstanding && payload.length == 8 && readLong(payload) == pingSentAt) {
            outstanding = false;
            lastRttNanos = now - pingSentAt;
        }
    }

    /** The round-trip time of the last ping answered, in nanoseconds, or -1 when none was. Any thread. */
    long lastRttNanos() {
        return lastRttNanos;
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    private static long readLong(byte[] bytes) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }
}
