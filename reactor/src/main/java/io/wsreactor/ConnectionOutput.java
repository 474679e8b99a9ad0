package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The write side of a connection: flushes its {@link Outbound} through its {@link Transport} with the reactor's
 * {@link Flusher}, holding the socket against a writer in place, and tells the {@link ConnectionLife} what was written
 * (docs/ARCHITECTURE.md, "The write path", "Writing in place"). It also holds what every part of a connection shares:
 * the reactor, the transport, the life and the outbound path.
 *
 * <p>{@link ConnectionInput} extends it with the read side and {@link Connection} with the rest (one object per
 * connection, as before), which also answers the outbound path's flush requests. Reactor thread only.
 */
abstract class ConnectionOutput implements Outbound.FlushRequests {
    /** The library's logger (here, not in {@link Connection}: a subclass's static field is not set while its
     *  superclasses initialize). Others name it {@code Connection.LOG}. */
    static final System.Logger LOG = System.getLogger("io.wsreactor");

    final Reactor reactor;
    final Transport transport;
    final ConnectionLife life;
    final Outbound outbound;
    /** The last flush left bytes the socket would not take: wait for OP_WRITE. */
    boolean writeBlocked;

    ConnectionOutput(Reactor reactor, Transport transport, long now) {
        this.reactor = reactor;
        this.transport = transport;
        this.outbound = new Outbound(this, reactor.stats, reactor.budget);
        ServerOptions options = reactor.options;
        this.life = new ConnectionLife(options.handshakeTimeout().toNanos(), options.closeTimeout().toNanos(), now);
    }

    // ---- what the connection does with what the write side reports ----

    /** Does what the life answered to an event. */
    abstract void apply(LifeStep step);

    /** Closes TCP now. */
    abstract void closeNow();

    /** Sets the selector's interest to what reading and writing want now. */
    abstract void updateInterest();

    /** The client's address, for the log. */
    abstract String remote();

    // ---- writing ----

    final void onWritable() {
        flush();
    }

    /** Writes what is queued, as far as the socket takes it, and tells the life what was written. */
    final void flush() {
        if (!outbound.beginFlush()) {
            return; // a peer's thread is writing in place: it asks for this flush again when done
        }
        boolean drained = false;
        try {
            drained = flushHeld();
        } finally {
            outbound.endFlush(drained);
        }
    }

    /** {@link #flush} while holding the socket. @return whether everything was written */
    private boolean flushHeld() {
        if (life.state() == ConnectionState.CLOSED) {
            outbound.failAll();
            return false;
        }
        Flusher.Result result;
        try {
            result = transport.flushOwn() ? reactor.flusher.flush(transport, outbound) : Flusher.Result.BLOCKED;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "writing to " + remote() + " failed: " + e.getMessage());
            closeNow();
            return false;
        }
        if (life.state() == ConnectionState.CLOSED) {
            return false;
        }
        writeBlocked = result == Flusher.Result.BLOCKED;
        updateInterest(); // also when only the transport's own bytes (TLS records) still wait
        if (result == Flusher.Result.MORE) {
            outbound.requestFlush();
        }
        // With TLS, "written" means the records reached the socket, not only that the transport took the bytes.
        boolean ownPending = transport.wantsWrite();
        if (outbound.isCloseWritten() && !ownPending) {
            apply(life.closeWritten(reactor.now));
        }
        if (result == Flusher.Result.DONE && !ownPending && life.state() != ConnectionState.CLOSED) {
            apply(life.outboundDrained());
            return life.state() == ConnectionState.OPEN;
        }
        return false;
    }
}
