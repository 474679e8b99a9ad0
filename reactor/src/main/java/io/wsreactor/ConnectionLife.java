package io.wsreactor;

import io.wsreactor.frame.CloseCode;

/**
 * The life of one connection as a pure state machine: the opening handshake, the RFC 6455 §7 close handshake and
 * the TCP end, with no socket, selector, thread or clock read (docs/ARCHITECTURE.md, "A connection's life").
 *
 * <p>The {@link Connection} reports each event — the upgrade decided, a close frame or a protocol error decoded, end
 * of input, a reader reaching end of stream, the outbound queue drained, a close the server begins, a deadline at
 * time {@code now} — and applies the {@link LifeStep} it gets back. {@link #state} is written only by {@link #enter}.
 *
 * <p>The rules it keeps: a close frame owed to the client (the answer to its close, or the close code of its
 * protocol error) is sent once the application has read the frames before it, or at the close timeout, after the
 * data queued before it; a client that half-closes its side is still reading, so end of input ends the stream for
 * readers but TCP is closed only once they have seen that end and what they wrote has gone out (bounded by the close
 * timeout); once our close frame is written we close TCP if the client's close came, half-close and linger after a
 * protocol error, or wait for the client's answer until the deadline. Reactor thread only.
 *
 * <p>What the close comes to, the status and its initiator, is kept by {@link CloseOutcome}, which it extends.
 */
final class ConnectionLife extends CloseOutcome {
    /** The code of an owed close frame with no payload (the client's close had none). */
    static final int EMPTY_CLOSE = CloseCode.NO_STATUS;
    private static final int NOTHING_OWED = 0;

    private final long closeTimeoutNanos;
    private ConnectionState state = ConnectionState.HANDSHAKING;
    private long deadline;
    /** The close frame owed to the client, waiting for readers: its code, or {@link #NOTHING_OWED}. */
    private int owedCode = NOTHING_OWED;
    private String owedReason = "";
    private int closeCode;
    private String closeReason = "";
    /** The close we send answers a protocol error: after it, linger instead of waiting for the client's close. */
    private boolean protocolFailed;
    private boolean inputEnded;
    private boolean readersSawEnd;
    private boolean closeWritten;
    private boolean outputShut;

    ConnectionLife(long handshakeTimeoutNanos, long closeTimeoutNanos, long now) {
        this.closeTimeoutNanos = closeTimeoutNanos;
        this.deadline = now + handshakeTimeoutNanos;
    }

    // ---- the opening handshake ----

    /** The upgrade waits (a hook's answer, room in the accept queue); the handshake deadline keeps running. */
    void awaitDecision() {
        expect(ConnectionState.HANDSHAKING);
        enter(ConnectionState.PENDING, deadline);
    }

    /** @return whether the wait's outcome still counts (the connection neither timed out nor closed meanwhile) */
    boolean resumeDecision() {
        if (state != ConnectionState.PENDING) {
            return false;
        }
        enter(ConnectionState.HANDSHAKING, deadline);
        return true;
    }

    /** The 101 is queued: the connection is open, with no deadline of its own. */
    void upgraded() {
        expect(ConnectionState.HANDSHAKING);
        enter(ConnectionState.OPEN, Long.MAX_VALUE);
    }

    /** A rejection response is queued: once it is written, linger. */
    void rejected(long now) {
        expect(ConnectionState.HANDSHAKING);
        enter(ConnectionState.LINGERING, now + closeTimeoutNanos);
    }

    // ---- events of an open connection ----

    /**
     * The client's close frame arrived. Its answer is owed once readers have seen the end of the stream
     * ({@link #readersSawEnd}); the caller ends the stream for them after this event, so that the status is set first.
     */
    LifeStep closeReceived(int code, String reason, long now) {
        if (state != ConnectionState.OPEN && state != ConnectionState.CLOSING) {
            return LifeStep.NONE;
        }
        clientClosed(code, reason);
        if (state == ConnectionState.CLOSING) {
            return closeWritten ? LifeStep.CLOSE : LifeStep.NONE;
        }
        return owe(code == CloseCode.NO_STATUS ? EMPTY_CLOSE : code, "", now);
    }

    /** The client broke the protocol: the connection is failed with {@code code} (1002, 1007, 1009). */
    LifeStep protocolError(int code, String reason, long now) {
        if (state != ConnectionState.OPEN && state != ConnectionState.CLOSING) {
            return LifeStep.NONE;
        }
        serverFailed(code, reason);
        if (state == ConnectionState.CLOSING) {
            return closeWritten ? LifeStep.CLOSE : LifeStep.NONE;
        }
        serverBegan();
        protocolFailed = true;
        return owe(code, reason, now);
    }

    private LifeStep owe(int code, String reason, long now) {
        owedCode = code;
        owedReason = reason;
        deadline = Math.min(deadline, now + closeTimeoutNanos);
        return LifeStep.NONE;
    }

    /**
     * The client half-closed or dropped its side: no byte follows. The caller ends the stream for readers; TCP is
     * closed once they have seen the end and what they wrote has gone out, or at the close timeout.
     */
    LifeStep inputEnded(boolean readerSawEnd, long now) {
        inputEnded = true;
        readersSawEnd |= readerSawEnd;
        return switch (state) {
            case HANDSHAKING, PENDING -> LifeStep.CLOSE;
            case OPEN -> {
                if (owedCode != NOTHING_OWED && readersSawEnd) {
                    yield sendOwedClose(now);
                }
                deadline = Math.min(deadline, now + closeTimeoutNanos);
                yield LifeStep.NONE;
            }
            case CLOSING -> closeWritten ? LifeStep.CLOSE : LifeStep.NONE;
            case LINGERING -> outputShut ? LifeStep.CLOSE : LifeStep.NONE;
            case CLOSED -> LifeStep.NONE;
        };
    }

    /** A reader saw the end of the stream: the close frame owed may go. */
    LifeStep readersSawEnd(long now) {
        readersSawEnd = true;
        if (state == ConnectionState.OPEN && owedCode != NOTHING_OWED) {
            return sendOwedClose(now);
        }
        if (state == ConnectionState.OPEN && inputEnded) {
            deadline = now + closeTimeoutNanos; // a fresh window for the replies to drain
        }
        return LifeStep.NONE;
    }

    /**
     * The server begins a close (shutdown, a slow-consumer or accept policy, an internal error) with {@code code}.
     * When the client's close or protocol error is already waiting for its answer, this close is that answer.
     *
     * @param failure whether the server fails the connection (the code becomes its status unless the client closed)
     */
    LifeStep serverCloses(int code, String reason, boolean failure, long timeoutNanos, long now) {
        if (state != ConnectionState.OPEN) {
            return LifeStep.NONE;
        }
        if (failure) {
            serverFailed(code, reason);
        }
        serverBegan();
        owedCode = NOTHING_OWED;
        return sendClose(code, reason, now + timeoutNanos);
    }

    private LifeStep sendOwedClose(long now) {
        int code = owedCode;
        owedCode = NOTHING_OWED;
        return sendClose(code, owedReason, now + closeTimeoutNanos);
    }

    private LifeStep sendClose(int code, String reason, long until) {
        closeCode = code;
        closeReason = reason;
        enter(ConnectionState.CLOSING, until);
        return LifeStep.SEND_CLOSE;
    }

    // ---- events of the write side ----

    /** Our close frame is written in full. */
    LifeStep closeWritten(long now) {
        if (state != ConnectionState.CLOSING || closeWritten) {
            return LifeStep.NONE;
        }
        closeWritten = true;
        if (hasClientClosed() || inputEnded) {
            return LifeStep.CLOSE;
        }
        if (protocolFailed) {
            enter(ConnectionState.LINGERING, now + closeTimeoutNanos);
            return shutdownOutput();
        }
        return LifeStep.NONE; // wait for the client's answer until the deadline
    }

    /** Everything queued is written. */
    LifeStep outboundDrained() {
        if (state == ConnectionState.LINGERING && !outputShut) {
            return inputEnded ? LifeStep.CLOSE : shutdownOutput();
        }
        if (state == ConnectionState.OPEN && inputEnded && readersSawEnd && owedCode == NOTHING_OWED) {
            return LifeStep.CLOSE;
        }
        return LifeStep.NONE;
    }

    private LifeStep shutdownOutput() {
        outputShut = true;
        return LifeStep.SHUTDOWN_OUTPUT;
    }

    // ---- time and the end ----

    /** Called about every tick: what to do when the state's deadline has passed at {@code now}. */
    LifeStep tick(long now) {
        if (now - deadline < 0) {
            return LifeStep.NONE;
        }
        deadline = Long.MAX_VALUE;
        return switch (state) {
            case PENDING -> {
                enter(ConnectionState.HANDSHAKING, Long.MAX_VALUE); // the rejection that follows starts the linger
                yield LifeStep.REJECT_UNAVAILABLE;
            }
            case OPEN -> owedCode != NOTHING_OWED ? sendOwedClose(now) : inputEnded ? LifeStep.CLOSE : LifeStep.NONE;
            case CLOSED -> LifeStep.NONE;
            default -> LifeStep.CLOSE;
        };
    }

    /** TCP is closed (whatever the reason: a step, an I/O error, an abort). */
    void closed() {
        enter(ConnectionState.CLOSED, Long.MAX_VALUE);
    }

    private void enter(ConnectionState next, long nextDeadline) {
        state = next;
        deadline = nextDeadline;
    }

    private void expect(ConnectionState expected) {
        if (state != expected) {
            throw new IllegalStateException("connection is " + state + ", not " + expected);
        }
    }

    // ---- what the connection reads ----

    ConnectionState state() {
        return state;
    }

    /** Whether the socket should be read: while handshaking, open, closing or lingering, until its end. */
    boolean wantsInput() {
        return switch (state) {
            case HANDSHAKING, OPEN, CLOSING, LINGERING -> !inputEnded;
            case PENDING, CLOSED -> false;
        };
    }

    /** Whether the client's input has ended (FIN or a drop): no byte follows. */
    boolean hasInputEnded() {
        return inputEnded;
    }

    long deadline() {
        return deadline;
    }

    /** The code of the close frame to send after {@link LifeStep#SEND_CLOSE}; {@link #EMPTY_CLOSE} for no payload. */
    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }
}
