package io.wsreactor;

import java.util.concurrent.CompletableFuture;

/**
 * A peer's life after the upgrade: accepted by the application, then closed — the close it starts (graceful, or at
 * once), the reactor's report once TCP is closed, the close status, and the future {@link WsPeer#shutdown} returns
 * (docs/ARCHITECTURE.md, "A connection's life").
 *
 * <p>{@link WsPeer} extends it with the public API (one object per peer, as before). It holds the parts every close
 * reaches: the connection, the inbound queue and the writer.
 */
abstract class PeerLifecycle {
    final Connection connection;
    final InboundQueue inbound;
    final PeerWriter writer;
    private volatile boolean accepted;
    volatile boolean closed;
    volatile CloseStatus closeStatus;
    /** Made on first need (shutdown, or the close itself), so idle peers do not carry it. */
    private volatile CompletableFuture<CloseStatus> closeFuture;

    PeerLifecycle(Connection connection, InboundQueue inbound, PeerWriter writer) {
        this.connection = connection;
        this.inbound = inbound;
        this.writer = writer;
    }

    /** Whether the application has taken the peer from the accept queue; else the accept timeout closes it (1013). */
    final boolean isAccepted() {
        return accepted;
    }

    /** The application took the peer from the accept queue. Any thread. */
    final void markAccepted() {
        accepted = true;
    }

    /**
     * Sets the writer's close fence and, for the caller that set it, has the reactor start the close handshake
     * ({@code code} and {@code reason} are valid).
     *
     * @return the future completed when TCP is closed; the same for every call
     */
    final CompletableFuture<CloseStatus> startShutdown(int code, String reason, long timeoutNanos) {
        if (writer.fence()) {
            String text = reason == null ? "" : reason;
            connection.execute(() -> connection.startClose(code, text, timeoutNanos));
        }
        return closeFuture();
    }

    /**
     * Closes TCP without a close handshake: writes are refused at once, and the reactor closes the connection (its
     * {@link #onClosed} ends the stream for readers). Any thread.
     */
    final void closeNow() {
        closed = true;
        writer.onClosed();
        connection.execute(connection::closeNow);
        inbound.wakeReaders();
    }

    /** The status a reader finds once the connection fails or ends; set before TCP closes. Reactor thread. */
    final void setCloseStatus(CloseStatus status) {
        closeStatus = status;
    }

    /** Called by the reactor when TCP is closed. */
    final void onClosed(CloseStatus status) {
        closeStatus = status;
        closed = true;
        writer.onClosed();
        inbound.end();
        inbound.wakeReaders();
        closeFuture().complete(status);
    }

    private CompletableFuture<CloseStatus> closeFuture() {
        CompletableFuture<CloseStatus> future = closeFuture;
        if (future == null) {
            synchronized (this) {
                future = closeFuture;
                if (future == null) {
                    future = new CompletableFuture<>();
                    closeFuture = future;
                }
            }
        }
        return future;
    }
}
