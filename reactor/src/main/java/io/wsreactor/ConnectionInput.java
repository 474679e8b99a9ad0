package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The read side of a connection: reads its {@link Transport} into the reactor's shared read buffer and hands the
 * bytes to the handshake or, from the upgrade on, to its {@link PeerSession}; pauses while the peer's queue is full
 * or the memory budget presses, reads again what TLS already took from the socket, and reports the end of input to
 * the {@link ConnectionLife} (docs/ARCHITECTURE.md, "The read path"). While idle a connection owns no buffer.
 *
 * <p>It extends {@link ConnectionOutput}, the write side; {@link Connection} extends it with the rest (one object
 * per connection, as before). Reactor thread only.
 */
abstract class ConnectionInput extends ConnectionOutput {
    /** Reads per readiness event, so one busy client cannot starve the others of a pass. */
    private static final int MAX_READS_PER_EVENT = 16;

    /** Null until the upgrade; set before the peer is published, never changed after. */
    PeerSession session;
    /** The handshake's parser and hook state; null once upgraded or rejected. */
    HandshakeHandler handshake;
    /** The peer's queue is full: not read until a reader takes it down. */
    boolean readPaused;
    private boolean bufferedReadPosted;

    ConnectionInput(Reactor reactor, Transport transport, long now) {
        super(reactor, transport, now);
        transport.onResume(this::onTransportResumed);
    }

    /** Something thrown while serving this connection: see {@link Connection#failed}. */
    abstract void failed(Throwable failure);

    final void onReadable() throws IOException {
        readSome();
        updateInterest(); // the transport may now wait for a task or for room to write
        readBufferedLater();
    }

    private void readSome() throws IOException {
        ByteBuffer buffer = reactor.readBuffer;
        for (int reads = 0; reads < MAX_READS_PER_EVENT && wantsToRead(); reads++) {
            buffer.clear();
            if (session != null) {
                buffer.limit(session.readLimit(buffer.capacity()));
            }
            int room = buffer.remaining();
            int n = transport.read(buffer);
            if (n < 0) {
                onEndOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            if (session != null) {
                session.inputRead(reactor.now);
            }
            buffer.flip();
            switch (life.state()) {
                case HANDSHAKING -> handshake.onBytes(buffer);
                case OPEN, CLOSING -> {
                    if (session.decode(buffer)) {
                        updateInterest();
                    }
                }
                default -> { } // LINGERING: what the client still sends is read only to see its end
            }
            if (n < room && !transport.hasBufferedInput()) {
                return;
            }
        }
    }

    /** TLS may hold whole records already taken from the socket: the selector will not report them. */
    final void readBufferedLater() {
        if (bufferedReadPosted || !transport.hasBufferedInput() || !wantsToRead() || !transport.readReady()) {
            return;
        }
        bufferedReadPosted = true;
        reactor.execute(() -> {
            bufferedReadPosted = false;
            if (life.state() != ConnectionState.CLOSED) {
                readNow();
            }
        });
    }

    private void readNow() {
        try {
            onReadable();
        } catch (IOException | RuntimeException | LinkageError e) {
            failed(e);
        }
    }

    /** The transport finished work it did off the reactor thread (TLS key work): write, read and wait again. */
    private void onTransportResumed() {
        if (life.state() == ConnectionState.CLOSED) {
            return;
        }
        flush();
        updateInterest();
        if (transport.hasBufferedInput()) {
            readNow();
        }
    }

    final boolean wantsToRead() {
        return life.wantsInput() && !readPaused && (session == null || !session.isReadPaused());
    }

    /** The peer's queue is full: read no more until a reader takes it down. */
    final void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            updateInterest();
        }
    }

    /** A reader took the peer's queue down (or the budget no longer presses): read again. */
    final void resumeReading() {
        readPaused = false;
        updateInterest();
        readBufferedLater();
    }

    private void onEndOfInput() {
        if (life.state() == ConnectionState.OPEN) {
            LOG.log(Level.DEBUG, () -> "client " + remote() + " ended its output; answering what it sent before");
        }
        boolean readerSawEnd = session == null || session.endOfInput();
        apply(life.inputEnded(readerSawEnd, reactor.now));
        flush(); // nothing may be queued: the drained check must still run
        updateInterest();
    }
}
