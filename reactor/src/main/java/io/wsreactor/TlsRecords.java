package io.wsreactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The record buffers of one TLS connection and the moves between them, the socket and the engine: records read and
 * not yet unwrapped ({@code netIn}), records made and not yet written ({@code netOut}) and, rarely, decrypted bytes
 * the caller had no room for ({@code appIn}). Each is borrowed from the reactor's {@link TlsBuffers} only while it
 * holds bytes, so an idle connection holds none.
 *
 * <p>{@link SslTransport} extends it with the engine's handshake, its delegated tasks and the {@link Transport}
 * calls; the split keeps the buffer bookkeeping apart from the engine-status driving at no cost per connection (one
 * object, as before). Reactor thread only.
 */
abstract class TlsRecords {
    private static final int RECORD_HEADER = 5;

    /** What one unwrap came to. */
    enum Unwrapped {
        /** Bytes moved or the handshake advanced: unwrap again. */
        PROGRESS,
        /** No whole record in {@code netIn}: read the socket. */
        NEED_INPUT,
        /** The caller's buffer is full: hand it over; the record waits. */
        FULL,
        /** close_notify came: the client sends nothing more. */
        INPUT_CLOSED
    }

    final ByteChannel channel;
    final SSLEngine engine;
    final TlsBuffers buffers;
    /** Records read, not yet unwrapped; in fill mode (bytes from 0 to position); null when empty. */
    ByteBuffer netIn;
    /** Records made, not yet written; in drain mode; null when empty. */
    ByteBuffer netOut;
    /** Decrypted bytes the caller had no room for; in drain mode; null when empty. */
    ByteBuffer appIn;
    /** The engine needs to wrap a handshake message but {@link #netOut} still waits for the socket. */
    boolean wrapBlocked;
    /** No record follows: TCP ended or close_notify came. */
    boolean inputDone;

    TlsRecords(ByteChannel channel, SSLEngine engine, TlsBuffers buffers) {
        this.channel = channel;
        this.engine = engine;
        this.buffers = buffers;
    }

    /**
     * Unwraps one record from {@link #netIn} into {@code dst}, or into {@link #appIn} when {@code dst} is too small.
     */
    Unwrapped unwrap(ByteBuffer dst, int start) throws IOException {
        if (netIn == null || netIn.position() == 0) {
            return Unwrapped.NEED_INPUT;
        }
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
                }
                return Unwrapped.NEED_INPUT;
            }
            case BUFFER_OVERFLOW -> {
                if (dst.position() > start) {
                    return Unwrapped.FULL; // hand over what we have; the record waits in netIn
                }
                return unwrapAside(dst);
            }
            case CLOSED -> {
                inputDone = true; // close_notify: the client sends nothing more
                return Unwrapped.INPUT_CLOSED;
            }
            default -> {
                boolean moved = result.bytesConsumed() > 0 || result.bytesProduced() > 0
                        || result.getHandshakeStatus() == HandshakeStatus.NEED_TASK
                        || result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
                return moved ? Unwrapped.PROGRESS : Unwrapped.NEED_INPUT;
            }
        }
    }

    /** The caller's buffer cannot take a record: decrypt it into {@link #appIn} and hand over what fits. */
    private Unwrapped unwrapAside(ByteBuffer dst) throws IOException {
        int size = engine.getSession().getApplicationBufferSize();
        appIn = buffers.borrow(Math.max(size, engine.getSession().getPacketBufferSize()));
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
            appIn.flip();
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            // The engine judged the room by the record's announced length before the whole record was here.
            buffers.release(appIn);
            appIn = null;
            return Unwrapped.NEED_INPUT;
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            inputDone = true;
        } else if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("unwrap into a " + appIn.capacity() + "-byte buffer gave " + result.getStatus());
        }
        drainAppIn(dst);
        return Unwrapped.FULL;
    }

    /** Reads the socket into {@link #netIn}. @return whether bytes came (false: none now, or end of input) */
    boolean fill() throws IOException {
        if (netIn == null) {
            netIn = buffers.borrow(engine.getSession().getPacketBufferSize());
        }
        int n = channel.read(netIn);
        if (n < 0) {
            inputDone = true;
            try {
                engine.closeInbound();
            } catch (SSLException e) {
                // TCP ended without close_notify: an abrupt end like any other, the connection reports 1006.
            }
            return false;
        }
        return n > 0;
    }

    /** @return whether {@link #appIn} is now empty (and given back) */
    boolean drainAppIn(ByteBuffer dst) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        if (appIn.hasRemaining()) {
            return false;
        }
        buffers.release(appIn);
        appIn = null;
        return true;
    }

    /** Whether decrypted bytes wait in {@link #appIn}, or a whole record in {@link #netIn}. */
    boolean recordWaits() {
        if (appIn != null) {
            return true;
        }
        if (netIn == null || netIn.position() < RECORD_HEADER) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= RECORD_HEADER + length; // a whole record waits
    }

    /** Wraps into an empty {@link #netOut} (borrowed here), leaving it in drain mode. */
    SSLEngineResult wrap(ByteBuffer src) throws IOException {
        netOut = buffers.borrow(engine.getSession().getPacketBufferSize());
        while (true) {
            SSLEngineResult result = engine.wrap(src, netOut);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut.flip();
                return result;
            }
            if (netOut.position() > 0) {
                throw new SSLException("wrap overflowed a buffer holding " + netOut.position() + " bytes");
            }
            // The session's packet size grew (it is only known after the handshake): a bigger buffer, not pooled.
            netOut = ByteBuffer.allocateDirect(Math.max(netOut.capacity() * 2,
                    engine.getSession().getPacketBufferSize()));
        }
    }

    /** Writes {@link #netOut}. @return whether it is empty (and given back) */
    boolean flushNet() throws IOException {
        if (netOut == null) {
            return true;
        }
        if (netOut.hasRemaining()) {
            channel.write(netOut);
            if (netOut.hasRemaining()) {
                return false;
            }
        }
        buffers.release(netOut);
        netOut = null;
        wrapBlocked = false;
        return true;
    }

    void shutdownChannelOutput() throws IOException {
        if (channel instanceof SocketChannel socket) {
            socket.shutdownOutput();
        }
    }

    void releaseDrained() {
        if (netIn != null && netIn.position() == 0) {
            buffers.release(netIn);
            netIn = null;
        }
    }

    void releaseAll() {
        if (netIn != null) {
            buffers.release(netIn);
            netIn = null;
        }
        if (netOut != null) {
            buffers.release(netOut);
            netOut = null;
        }
        if (appIn != null) {
            buffers.release(appIn);
            appIn = null;
        }
    }

    ByteBuffer enlarge(ByteBuffer buffer, int size) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(size, buffer.capacity() * 2));
        buffer.flip();
        bigger.put(buffer);
        buffers.release(buffer);
        return bigger;
    }

    /** Whether any packet or application buffer is held (an idle connection holds none). */
    boolean holdsBuffers() {
        return netIn != null || netOut != null || appIn != null;
    }

    SSLEngine engine() {
        return engine;
    }
}
