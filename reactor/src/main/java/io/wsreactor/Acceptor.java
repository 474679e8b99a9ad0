package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A reactor's listening socket: takes the sockets waiting to be accepted, a bounded batch per readiness event; when
 * accepting fails (most likely the process is out of file descriptors) it stops accepting for a tick instead of
 * spinning, and logs at a bounded rate; closing releases the port at once. Reactor thread only.
 */
final class Acceptor {
    /** Sockets accepted per readiness event, so a connection storm cannot starve established peers of a pass. */
    private static final int MAX_ACCEPTS_PER_PASS = 256;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final SelectionKey key;
    private final RepeatedFailureLog failures = new RepeatedFailureLog(
            Connection.LOG, Level.ERROR, "accepting a connection failed; pausing accepts for a tick");
    /** When accepting resumes after a failure; 0 while not paused. */
    private long pausedUntil;
    private boolean open = true;

    Acceptor(ServerSocketChannel listener, Selector selector) throws IOException {
        this.listener = listener;
        this.selector = selector;
        listener.configureBlocking(false);
        this.key = listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Whether {@code selected} is the listening socket's key. */
    boolean owns(SelectionKey selected) {
        return selected == key;
    }

    /** Accepts the sockets waiting, each handed to {@code register}, until none is left or the batch is full. */
    void acceptWaiting(long now, Consumer<SocketChannel> register) {
        for (int i = 0; i < MAX_ACCEPTS_PER_PASS && open; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                failures.log(e, now);
                key.interestOps(0);
                pausedUntil = now + Reactor.TICK_NANOS;
                return;
            }
            if (channel == null) {
                return;
            }
            register.accept(channel);
        }
    }

    /** On each tick: accepting resumes once the pause after a failure is over. */
    void resumeIfDue(long now) {
        if (pausedUntil != 0 && now - pausedUntil >= 0 && open) {
            pausedUntil = 0;
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** Closes the listening socket and lets the selector drop its key now, so the port is free when this returns. */
    void close() {
        if (!open) {
            return;
        }
        open = false;
        key.cancel();
        try {
            listener.close();
            selector.selectNow(ignored -> { });
        } catch (IOException e) {
            Connection.LOG.log(Level.DEBUG, "closing the listening socket failed", e);
        }
    }
}
