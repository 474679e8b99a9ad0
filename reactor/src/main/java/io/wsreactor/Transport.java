package io.wsreactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSession;

/**
 * The byte stream beneath one connection: plain TCP ({@link PlainTransport}) or TLS. Everything above it — the
 * handshake parser, the frame decoder, the connection's life and the flusher — reads and writes application bytes
 * through these calls and never sees the socket or whether the bytes are encrypted (docs/ARCHITECTURE.md, "The
 * transport seam"). Reactor thread only.
 *
 * <p>Calls never block. A transport that must do work of its own before application bytes flow (a TLS handshake,
 * records made but not yet written) does it inside {@link #read} and {@link #write}, tells the reactor through
 * {@link #wantsWrite} that it waits for the socket, and finishes it in {@link #flushOwn}.
 */
interface Transport {
    /**
     * Reads application bytes into {@code dst}.
     *
     * @return the bytes read; 0 when none are ready now; -1 at end of input (the client half-closed or dropped)
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes application bytes from {@code src}, as many as the socket takes now.
     *
     * @return the bytes taken from {@code src}; fewer than offered means the socket is full: wait for OP_WRITE
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes bytes the transport holds of its own (TLS records already made, handshake messages).
     *
     * @return true when none are left, false when the socket is full (wait for OP_WRITE)
     */
    boolean flushOwn() throws IOException;

    /** Whether bytes of the transport's own wait for the socket, so OP_WRITE is needed whatever the queue holds. */
    boolean wantsWrite();

    /** Ends the output after what was written (TLS: close_notify first), then half-closes TCP. */
    void shutdownOutput() throws IOException;

    /** Closes the socket now; what is unwritten is lost. Idempotent. */
    void close() throws IOException;

    /**
     * Whether {@link #read} can make progress when the socket is readable; false while the transport waits for work
     * of its own (TLS key work off the reactor thread, a handshake message the socket has no room for), so the
     * reactor does not spin on readiness it cannot use.
     */
    default boolean readReady() {
        return true;
    }

    /**
     * Whether the transport waits for work off the reactor thread (TLS key work): writes of queued bytes cannot go
     * on until it resumes, so a blocked write must not ask for OP_WRITE meanwhile.
     */
    default boolean paused() {
        return false;
    }

    /** Whether bytes already taken from the socket wait for {@link #read}: the selector will not report them. */
    default boolean hasBufferedInput() {
        return false;
    }

    /** The TLS session once its handshake is done; null for plain TCP or before. Any thread. */
    default SSLSession session() {
        return null;
    }

    /**
     * Tells the transport what to run on the reactor thread when work it did elsewhere is done (TLS delegated
     * tasks), so the connection reads, writes and sets its interest again. Called once, by the connection.
     */
    default void onResume(Runnable resume) {
    }
}
