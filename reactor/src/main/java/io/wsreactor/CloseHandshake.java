package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;

/**
 * The close handshake of one connection (RFC 6455 §7): who closed first and why, the close frame the server still
 * owes, and what happens once our close frame is written.
 *
 * <p>Closing: a close frame (ours or the client's answer) is queued behind the data already queued, so replies to
 * earlier frames go first. When the client closes or breaks the protocol, the answer waits until the application
 * has read up to that point (a reader saw end of stream) or {@link ServerOptions#closeTimeout()} passes.
 *
 * <p>Made by the {@link Connection} at the first close event, so an open, idle connection does not carry this
 * bookkeeping. Reactor thread only.
 */
final class CloseHandshake {
    /** No close frame is owed to the client. */
    private static final int NO_CLOSE = -2;
    /** The close frame owed has no payload (the client's had none: 1005). */
    private static final int EMPTY_CLOSE = -1;

    private final Connection connection;
    private CloseStatus clientClose;
    private CloseStatus serverFailure;
    private boolean protocolFailed;
    private String initiator;
    private int pendingCloseCode = NO_CLOSE;
    private String pendingCloseReason = "";
    private boolean closeWrittenHandled;

    CloseHandshake(Connection connection) {
        this.connection = connection;
    }

    /** The client's close frame arrived (decoded and valid). */
    void onClientClose(int code, String reason) {
        clientClose = new CloseStatus(code, reason);
        connection.peer.setCloseStatus(clientClose);
        if (initiator == null) {
            initiator = ServerStats.CLIENT;
        }
        if (connection.state == Connection.CLOSING) {
            if (connection.outbound.isCloseWritten()) {
                connection.closeNow();
            }
            return;
        }
        pendingCloseCode = code == 1005 ? EMPTY_CLOSE : code;
        pendingCloseReason = "";
        answerWhenRead();
    }

    /** The client broke the protocol; the connection is failed with {@code closeCode}. */
    void onProtocolError(int closeCode, String reason) {
        protocolFailed = true;
        serverFailure = new CloseStatus(closeCode, reason);
        if (clientClose == null) {
            connection.peer.setCloseStatus(serverFailure);
        }
        if (connection.state == Connection.CLOSING) {
            if (connection.outbound.isCloseWritten()) {
                connection.closeNow();
            }
            return;
        }
        if (initiator == null) {
            initiator = ServerStats.SERVER;
        }
        pendingCloseCode = closeCode;
        pendingCloseReason = reason;
        answerWhenRead();
    }

    /** Ends the stream for readers; the pending close goes out once they have read to here, or at closeTimeout. */
    private void answerWhenRead() {
        // A peer not yet accepted stays in the accept queue: the application still gets it and reads its frames.
        boolean seen = connection.peer.inbound.end();
        if (seen) {
            sendPendingClose();
        } else {
            connection.deadline = connection.reactor.now + connection.reactor.options.closeTimeout().toNanos();
        }
    }

    /** Sends the close frame owed to the client, if any, while the connection is open. */
    void sendPendingClose() {
        if (pendingCloseCode == NO_CLOSE || connection.state != Connection.OPEN) {
            return;
        }
        int code = pendingCloseCode;
        pendingCloseCode = NO_CLOSE;
        connection.peer.writer.fence();
        queueClose(code, pendingCloseReason, connection.reactor.options.closeTimeout().toNanos());
    }

    /** Starts a close the server begins (shutdown, policy); the connection is open. */
    void start(int code, String reason, String who, long timeoutNanos) {
        if (initiator == null) {
            initiator = who;
        }
        connection.peer.writer.fence();
        if (pendingCloseCode != NO_CLOSE) {
            // The client already closed (or broke the protocol): this close is the answer.
            pendingCloseCode = NO_CLOSE;
        }
        queueClose(code, reason, timeoutNanos);
    }

    /** Records that the server fails the connection with {@code code}; the caller then starts the close. */
    void recordServerFailure(int code, String reason) {
        serverFailure = new CloseStatus(code, reason);
        if (clientClose == null) {
            connection.peer.setCloseStatus(serverFailure);
        }
    }

    private void queueClose(int code, String reason, long timeoutNanos) {
        byte[] payload = code == EMPTY_CLOSE ? new byte[0] : Frame.close(code, reason).payload();
        connection.outbound.offer(OutboundEntry.frame(OutboundEntry.CLOSE, Opcode.CLOSE, true, payload, null));
        connection.state = Connection.CLOSING;
        connection.deadline = connection.reactor.now + timeoutNanos;
    }

    /** Our close frame is on the wire (called after each flush that finds it written; acts once). */
    void onCloseWritten() {
        if (closeWrittenHandled) {
            return;
        }
        closeWrittenHandled = true;
        if (clientClose != null) {
            connection.closeNow();
        } else if (protocolFailed) {
            connection.linger();
        }
        // Otherwise wait in CLOSING for the client's answer until the deadline.
    }

    /** The status the connection ended with: the client's close, else the server's failure, else 1006. */
    CloseStatus status() {
        return clientClose != null ? clientClose : serverFailure != null ? serverFailure : CloseStatus.ABNORMAL;
    }

    /** Who began the close ({@link ServerStats#CLIENT}, {@link ServerStats#SERVER}, ...), or null if nobody did. */
    String initiator() {
        return initiator;
    }
}
