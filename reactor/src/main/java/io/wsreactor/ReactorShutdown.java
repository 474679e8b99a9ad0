package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import java.util.concurrent.CompletableFuture;

/**
 * How one reactor stops (docs/ARCHITECTURE.md, "Several reactors"): it stops listening (the port is released, the
 * peers waiting for accept get 1001), shuts down gracefully (1001 to its peers, the rest aborted at the deadline) and,
 * when its thread ends, closes the shared accept queue if it is the last reactor to end and tells the server. One per
 * reactor; reactor thread only.
 */
final class ReactorShutdown {
    private final Reactor reactor;
    private final ReactorGroup group;
    /** The listening socket, on the first reactor only. */
    private final Acceptor acceptor;
    private final ConnectionTable connections;
    private boolean listening = true;
    /** Completed when the reactor has ended after a graceful shutdown; null until one is asked for. */
    private CompletableFuture<Void> done;
    private long deadline = Long.MAX_VALUE;

    ReactorShutdown(Reactor reactor, ReactorGroup group, Acceptor acceptor, ConnectionTable connections) {
        this.reactor = reactor;
        this.group = group;
        this.acceptor = acceptor;
        this.connections = connections;
    }

    /** Whether the reactor has not stopped listening: till then it runs with no connection, after it ends with them. */
    boolean listening() {
        return listening;
    }

    /** Whether a graceful shutdown has begun: no upgrade has room, and a socket handed over now is closed at once. */
    boolean started() {
        return done != null;
    }

    /** Stops listening: peers waiting for accept are closed with 1001, others stay open. */
    void stopListening() {
        if (!listening) {
            return;
        }
        listening = false;
        if (acceptor != null) {
            acceptor.close();
        }
        long closeTimeout = reactor.options.closeTimeout().toNanos();
        for (WsPeer peer : reactor.acceptQueue.close()) {
            Connection connection = peer.connection;
            onOwnReactor(connection, () -> connection.startClose(CloseCode.GOING_AWAY, "server closed", closeTimeout));
        }
    }

    /** Graceful shutdown: stop accepting, 1001 to everyone, abort the rest at the deadline. */
    void begin(long timeoutNanos, CompletableFuture<Void> done) {
        if (this.done != null) {
            this.done.whenComplete((v, t) -> done.complete(null));
            return;
        }
        this.done = done;
        deadline = reactor.now + timeoutNanos;
        stopListening();
        connections.forEach(connection -> {
            switch (connection.state()) {
                case OPEN -> connection.startClose(CloseCode.GOING_AWAY, "server shutting down", timeoutNanos);
                case HANDSHAKING, PENDING -> connection.closeNow();
                default -> { } // already closing: its own deadline ends it
            }
        });
    }

    /** On the reactor's tick: past the shutdown's deadline, whatever is still open is aborted. */
    void onTick(long now) {
        if (done != null && now - deadline >= 0) {
            connections.forEach(Connection::closeNow);
        }
    }

    /** The reactor thread is ending, its connections closed: the group, the accept queue and the server are told. */
    void threadEnded() {
        listening = false;
        // Ending normally, every reactor has already closed the accept queue (stopListening). A reactor that
        // failed leaves it to the others still running; the last reactor to end closes it.
        boolean last = group.reactorEnded();
        if (last) {
            for (WsPeer peer : reactor.acceptQueue.close()) {
                Connection connection = peer.connection;
                onOwnReactor(connection, connection::closeNow);
            }
        }
        if (last || acceptor != null) { // the server listens no more
            reactor.server.onReactorStopped();
        }
        if (done != null) {
            done.complete(null);
        }
    }

    /** Runs {@code action} on the reactor that owns {@code connection}: now when that is this one. */
    private void onOwnReactor(Connection connection, Runnable action) {
        if (connection.reactor == reactor) {
            action.run();
        } else {
            connection.reactor.execute(action);
        }
    }
}
