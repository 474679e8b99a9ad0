package io.wsreactor;

import io.wsreactor.frame.CloseCode;

/**
 * The life of one connection as a pure state machine: the opening handshake, the RFC 6455 §7 close handshake and
 * the TCP end, with no socket, selector, thread or clock read (docs/ARCHITECTURE.md, "A connection's life").
 *
 * <p>The {@link Connection} reports each event — the upgrade decided, a close frame or a protocol error decoded, end
 * of input, a reader reaching end of stream, the outbound queue drained, a close the server begins, a deadline at
 * time {@code now} — and applies the {@link Step} it gets back. {@link #state} is written only by {@link #enter}.
 *
 * <p>The rules it keeps: a close frame owed to the client (the answer to its close, or the close code of its
 * protocol error) is sent once the application has read the frames before it, or at the close timeout, after the
 * data queued before it; a client that half-closes its side is still reading, so end of input ends the stream for
 * readers but TCP is closed only once they have seen that end and what they wrote has gone out (bounded by the close
 * timeout); once our close frame is written we close TCP if the client's close came, half-close and linger after a
 * protocol error, or wait for the client's answer until the deadline. Reactor thread only.
 */
final class ConnectionLife {
    /** Where a connection is in its life. */
    enum State {
        /** Reading the HTTP upgrade request, under the handshake timeout. */
        HANDSHAKING,
        /** The upgrade waits, for an asynchronous hook's answer or for room in the accept queue; not read. */
        PENDING,
        /** Upgraded: frames flow both ways. */
        OPEN,
        /** Our close frame is queued or written; waiting for the client's answer or for it to go out. */
        CLOSING,
        /** We said our last (a rejection, or our close after a protocol error): once written, half-close and
         *  read until the client closes TCP or the deadline passes. */
        LINGERING,
        /** TCP is closed. */
        CLOSED
    }

    /** What the connection must do after an event. */
    enum Step {
        /** Nothing now. */
        NONE,
        /** Queue the close frame {@link #closeCode()} / {@link #closeReason()} behind the data already queued. */
        SEND_CLOSE,
        /** Half-close TCP (everything owed is written) and read until the client closes. */
        SHUTDOWN_OUTPUT,
        /** Close TCP now. */
        CLOSE,
        /** The pending upgrade was not decided within the handshake timeout: reject it with 503. */
        REJECT_UNAVAILABLE
    }

    /** The code of an owed close frame with no payload (the client's close had none). */
    static final int EMPTY_CLOSE = CloseCode.NO_STATUS;
    private static final int NOTHING_OWED = 0;

    private final long closeTimeoutNanos;
    private State state = State.HANDSHAKING;
    private long deadline;
    private CloseInitiator initiator;
    private CloseStatus clientClose;
    private CloseStatus serverFailure;
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
        expect(State.HANDSHAKING);
        enter(State.PENDING, deadline);
    }

    /** @return whether the wait's outcome still counts (the connection neither timed out nor closed meanwhile) */
    boolean resumeDecision() {
        if (state != State.PENDING) {
            return false;
        }
        enter(State.HANDSHAKING, deadline);
        return true;
    }

    /** The 101 is queued: the connection is open, with no deadline of its own. */
    void upgraded() {
        expect(State.HANDSHAKING);
        enter(State.OPEN, Long.MAX_VALUE);
    }

    /** A rejection response is queued: once it is written, linger. */
    void rejected(long now) {
        expect(State.HANDSHAKING);
        enter(State.LINGERING, now + closeTimeoutNanos);
    }

    // ---- events of an open connection ----

    /**
     * The client's close frame arrived. Its answer is owed once readers have seen the end of the stream
     * ({@link #readersSawEnd}); the caller ends the stream for them after this event, so that the status is set first.
     */
    Step closeReceived(int code, String reason, long now) {
        if (state != State.OPEN && state != State.CLOSING) {
            return Step.NONE;
        }
        clientClose = new CloseStatus(code, reason);
        if (initiator == null) {
            initiator = CloseInitiator.CLIENT;
        }
        if (state == State.CLOSING) {
            return closeWritten ? Step.CLOSE : Step.NONE;
        }
        return owe(code == CloseCode.NO_STATUS ? EMPTY_CLOSE : code, "", now);
    }

    /** The client broke the protocol: the connection is failed with {@code code} (1002, 1007, 1009). */
    Step protocolError(int code, String reason, long now) {
        if (state != State.OPEN && state != State.CLOSING) {
            return Step.NONE;
        }
        serverFailure = new CloseStatus(code, reason);
        if (state == State.CLOSING) {
            return closeWritten ? Step.CLOSE : Step.NONE;
        }
        if (initiator == null) {
            initiator = CloseInitiator.SERVER;
        }
        protocolFailed = true;
        return owe(code, reason, now);
    }

    private Step owe(int code, String reason, long now) {
        owedCode = code;
        owedReason = reason;
        deadline = Math.min(deadline, now + closeTimeoutNanos);
        return Step.NONE;
    }

    /**
     * The client half-closed or dropped its side: no byte follows. The caller ends the stream for readers; TCP is
     * closed once they have seen the end and what they wrote has gone out, or at the close timeout.
     */
    Step inputEnded(boolean readerSawEnd, long now) {
        inputEnded = true;
        readersSawEnd |= readerSawEnd;
        return switch (state) {
            case HANDSHAKING, PENDING -> Step.CLOSE;
            case OPEN -> {
                if (owedCode != NOTHING_OWED && readersSawEnd) {
                    yield sendOwedClose(now);
                }
                deadline = Math.min(deadline, now + closeTimeoutNanos);
                yield Step.NONE;
            }
            case CLOSING -> closeWritten ? Step.CLOSE : Step.NONE;
            case LINGERING -> outputShut ? Step.CLOSE : Step.NONE;
            case CLOSED -> Step.NONE;
        };
    }

    /** A reader saw the end of the stream: the close frame owed may go. */
    Step readersSawEnd(long now) {
        readersSawEnd = true;
        if (state == State.OPEN && owedCode != NOTHING_OWED) {
            return sendOwedClose(now);
        }
        if (state == State.OPEN && inputEnded) {
            deadline = now + closeTimeoutNanos; // a fresh window for the replies to drain
        }
        return Step.NONE;
    }

    /**
     * The server begins a close (shutdown, a slow-consumer or accept policy, an internal error) with {@code code}.
     * When the client's close or protocol error is already waiting for its answer, this close is that answer.
     *
     * @param failure whether the server fails the connection (the code becomes its status unless the client closed)
     */
    Step serverCloses(int code, String reason, boolean failure, long timeoutNanos, long now) {
        if (state != State.OPEN) {
            return Step.NONE;
        }
        if (failure) {
            serverFailure = new CloseStatus(code, reason);
        }
        if (initiator == null) {
            initiator = CloseInitiator.SERVER;
        }
        owedCode = NOTHING_OWED;
        return sendClose(code, reason, now + timeoutNanos);
    }

    private Step sendOwedClose(long now) {
        int code = owedCode;
        owedCode = NOTHING_OWED;
        return sendClose(code, owedReason, now + closeTimeoutNanos);
    }

    private Step sendClose(int code, String reason, long until) {
        closeCode = code;
        closeReason = reason;
        enter(State.CLOSING, until);
        return Step.SEND_CLOSE;
    }

    // ---- events of the write side ----

    /** Our close frame is written in full. */
    Step closeWritten(long now) {
        if (state != State.CLOSING || closeWritten) {
            return Step.NONE;
        }
        closeWritten = true;
        if (clientClose != null || inputEnded) {
            return Step.CLOSE;
        }
        if (protocolFailed) {
            enter(State.LINGERING, now + closeTimeoutNanos);
            return shutdownOutput();
        }
        return Step.NONE; // wait for the client's answer until the deadline
    }

    /** Everything queued is written. */
    Step outboundDrained() {
        if (state == State.LINGERING && !outputShut) {
            return inputEnded ? Step.CLOSE : shutdownOutput();
        }
        if (state == State.OPEN && inputEnded && readersSawEnd && owedCode == NOTHING_OWED) {
            return Step.CLOSE;
        }
        return Step.NONE;
    }

    private Step shutdownOutput() {
        outputShut = true;
        return Step.SHUTDOWN_OUTPUT;
    }

    // ---- time and the end ----

    /** Called about every tick: what to do when the state's deadline has passed at {@code now}. */
    Step tick(long now) {
        if (now - deadline < 0) {
            return Step.NONE;
        }
        deadline = Long.MAX_VALUE;
        return switch (state) {
            case PENDING -> {
                enter(State.HANDSHAKING, Long.MAX_VALUE); // the rejection that follows starts the linger
                yield Step.REJECT_UNAVAILABLE;
            }
            case OPEN -> owedCode != NOTHING_OWED ? sendOwedClose(now) : inputEnded ? Step.CLOSE : Step.NONE;
            case CLOSED -> Step.NONE;
            default -> Step.CLOSE;
        };
    }

    /** TCP is closed (whatever the reason: a step, an I/O error, an abort). */
    void closed() {
        enter(State.CLOSED, Long.MAX_VALUE);
    }

    private void enter(State next, long nextDeadline) {
        state = next;
        deadline = nextDeadline;
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("connection is " + state + ", not " + expected);
        }
    }

    // ---- what the connection reads ----

    State state() {
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

    /** The code of the close frame to send after {@link Step#SEND_CLOSE}; {@link #EMPTY_CLOSE} for no payload. */
    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    /** The status the connection ends with: the client's close, else the server's failure, else 1006. */
    CloseStatus status() {
        return clientClose != null ? clientClose : serverFailure != null ? serverFailure : CloseStatus.ABNORMAL;
    }

    /** Who began the close; {@link CloseInitiator#ABORT} when nobody did (TCP dropped or was closed at once). */
    CloseInitiator initiator() {
        return initiator == null ? CloseInitiator.ABORT : initiator;
    }
}
