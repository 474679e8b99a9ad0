package io.wsreactor;

/**
 * The deadlines of an open peer, as a clock-driven rule with no I/O: the wait for {@code accept()}, the idle timeout
 * and the keepalive pings. {@link #check} says what is due and the connection does it. Made at the upgrade; the
 * reactor's sweep checks it, so it costs no timer object. Reactor thread only, but {@link #rttNanos} (any thread).
 */
final class PeerTimers {
    /** What {@link #check} finds due. */
    enum Due {
        /** Nothing. */
        NONE,
        /** The peer waited for {@code accept()} past the accept timeout: close it with 1013. */
        ACCEPT_TIMEOUT,
        /** No byte came from the client for the idle timeout: close with 1001. */
        IDLE,
        /** A keepalive ping is due: send one carrying {@link #pingPayload()}. */
        PING,
        /** The last keepalive ping went unanswered past the pong timeout: drop the peer. */
        PEER_DEAD
    }

    private final long idleTimeoutNanos;
    /** Null when keepalive is off. */
    private final Keepalive keepalive;
    private long acceptDeadline;
    private long lastInput;

    PeerTimers(ServerOptions options, long now) {
        this.idleTimeoutNanos = options.idleTimeout().toNanos();
        this.keepalive = options.pingInterval().isZero() ? null
                : new Keepalive(options.pingInterval().toNanos(), options.pongTimeout().toNanos(), now);
        this.acceptDeadline = now + options.acceptTimeout().toNanos();
        this.lastInput = now;
    }

    /** Bytes came from the client: it is not idle. */
    void inputRead(long now) {
        lastInput = now;
    }

    /** A pong came: it may answer our keepalive ping. */
    void pong(byte[] payload, long now) {
        if (keepalive != null) {
            keepalive.onPong(payload, now);
        }
    }

    /**
     * What is due at {@code now}, the most pressing first. The accept deadline is reported once; a peer accepted
     * meanwhile ({@code accepted}) has none.
     */
    Due check(long now, boolean accepted) {
        if (!accepted && acceptDeadline != Long.MAX_VALUE && now - acceptDeadline >= 0) {
            acceptDeadline = Long.MAX_VALUE;
            return Due.ACCEPT_TIMEOUT;
        }
        if (idleTimeoutNanos > 0 && now - lastInput >= idleTimeoutNanos) {
            return Due.IDLE;
        }
        if (keepalive == null) {
            return Due.NONE;
        }
        return switch (keepalive.onTick(now)) {
            case NONE -> Due.NONE;
            case SEND_PING -> Due.PING;
            case PEER_DEAD -> Due.PEER_DEAD;
        };
    }

    /** The payload of the ping {@link #check} last found due. */
    byte[] pingPayload() {
        return keepalive.pingPayload();
    }

    /** The round-trip time of the last keepalive ping answered, in nanoseconds, or -1. Any thread. */
    long rttNanos() {
        return keepalive == null ? -1 : keepalive.lastRttNanos();
    }
}
