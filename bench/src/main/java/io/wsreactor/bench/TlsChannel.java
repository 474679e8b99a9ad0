package io.wsreactor.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A non-blocking client TLS connection over a {@link SocketChannel}, read and written like the channel itself: the
 * handshake runs inside {@link #read} and {@link #write} (delegated tasks inline: the generator has its own core),
 * which return 0 until it is done. Used on the generator's thread only.
 *
 * <p>Each call makes at most one socket read, so a caller that wants everything available reads until 0. Bytes
 * decrypted and not yet taken stay in a buffer of this object; {@link #read} hands them out first.
 */
final class TlsChannel implements ByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Encrypted bytes read and not yet unwrapped (write mode). */
    private final ByteBuffer netIn;
    /** Encrypted bytes wrapped and not yet written (write mode). */
    private final ByteBuffer netOut;
    /** Decrypted bytes not yet handed to a reader (write mode). */
    private final ByteBuffer appIn;
    private boolean handshaking = true;
    private boolean endOfInput;

    TlsChannel(SocketChannel channel, SSLEngine engine) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        engine.beginHandshake();
    }

    /** Whether encrypted bytes wait for the socket to take them. */
    boolean hasPendingOutput() {
        return netOut.position() > 0;
    }

    /** Whether the handshake is over and application data flows. */
    boolean established() {
        return !handshaking;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!flushNet() || handshaking && !handshake()) {
            return 0;
        }
        int consumed = 0;
        while (src.hasRemaining()) {
            SSLEngineResult result = engine.wrap(src, netOut);
            consumed += result.bytesConsumed();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS closed by the engine while writing");
            }
            if (!flushNet() || result.bytesConsumed() == 0) {
                break; // the socket is full, or the engine wants something else first (a key update)
            }
        }
        return consumed;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (handshaking && !handshake()) {
            return endOfInput ? -1 : 0;
        }
        if (appIn.position() == 0) {
            fill();
        }
        if (appIn.position() == 0) {
            return endOfInput ? -1 : 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return n;
    }

    /** Unwraps what is buffered, reading the socket once if that gave nothing. */
    private void fill() throws IOException {
        boolean socketRead = false;
        while (true) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            afterPostHandshakeMessage(result);
            switch (result.getStatus()) {
                case CLOSED -> {
                    endOfInput = true;
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    return;
                }
                case BUFFER_UNDERFLOW -> {
                    if (socketRead || appIn.position() > 0 || endOfInput) {
                        return;
                    }
                    socketRead = true;
                    int n = channel.read(netIn);
                    if (n < 0) {
                        endOfInput = true;
                    }
                    if (n <= 0) {
                        return;
                    }
                }
                case OK -> {
                    if (netIn.position() == 0 && appIn.position() > 0) {
                        return;
                    }
                }
            }
        }
    }

    /** A session ticket or key update after the handshake may ask for a task or an answer. */
    private void afterPostHandshakeMessage(SSLEngineResult result) throws IOException {
        SSLEngineResult.HandshakeStatus status = result.getHandshakeStatus();
        while (status == SSLEngineResult.HandshakeStatus.NEED_TASK
                || status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            } else {
                engine.wrap(EMPTY, netOut);
                flushNet();
            }
            status = engine.getHandshakeStatus();
        }
    }

    /**
     * Drives the handshake as far as the socket allows.
     *
     * @return true when it is done
     */
    private boolean handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult result = engine.wrap(EMPTY, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS closed during the handshake");
                    }
                    if (!flushNet()) {
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    netIn.flip();
                    SSLEngineResult result = engine.unwrap(netIn, appIn);
                    netIn.compact();
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed TLS during the handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            endOfInput = true;
                            throw new EOFException("server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                }
                default -> {
                    handshaking = false;
                    return flushNet();
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Writes the encrypted bytes waiting; true when none are left. */
    private boolean flushNet() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        channel.write(netOut);
        netOut.compact();
        return netOut.position() == 0;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Sends close_notify if the socket takes it at once, then closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            if (!handshaking) {
                engine.closeOutbound();
                engine.wrap(EMPTY, netOut);
                flushNet();
            }
        } catch (IOException ignored) {
            // a polite goodbye only; the socket closes below either way
        } finally {
            channel.close();
        }
    }
}
