package io.wsreactor;

import io.wsreactor.testkit.RawClient;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A TLS client on a client-mode {@link SSLEngine} over a blocking socket, for the tests that must see or cut what
 * {@link javax.net.ssl.SSLSocket} hides: the ClientHello's bytes, a handshake stopped after any flight, whether the
 * server's end came with close_notify. Reads time out after {@link RawClient#TIMEOUT_MILLIS}. One test thread.
 */
final class TlsEngineClient implements Closeable {
    final SocketChannel channel;
    final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    /** Whether the server's close_notify came (unwrap said CLOSED). */
    boolean closeNotifyReceived;
    /** Whether TCP ended. */
    boolean tcpEnded;

    TlsEngineClient(InetSocketAddress server, SSLContext context) throws IOException {
        channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.socket().setSoTimeout(RawClient.TIMEOUT_MILLIS);
        engine = context.createSSLEngine("127.0.0.1", server.getPort());
        engine.setUseClientMode(true);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet * 2);
        netOut = ByteBuffer.allocate(packet * 2);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
    }

    /** The ClientHello's record bytes, made but not sent. */
    byte[] clientHello() throws IOException {
        engine.beginHandshake();
        netOut.clear();
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), netOut);
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new IOException("ClientHello wrap gave " + result);
        }
        netOut.flip();
        byte[] bytes = new byte[netOut.remaining()];
        netOut.get(bytes);
        return bytes;
    }

    /** Sends raw bytes on the socket, under any TLS. */
    void writeRaw(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Drives the handshake for at most {@code maxSteps} wraps and unwraps (Integer.MAX_VALUE: to the end).
     *
     * @return whether the handshake finished
     */
    boolean handshake(int maxSteps) throws IOException {
        engine.beginHandshake();
        for (int step = 0; step < maxSteps; step++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_WRAP -> {
                    netOut.clear();
                    engine.wrap(ByteBuffer.allocate(0), netOut);
                    netOut.flip();
                    while (netOut.hasRemaining()) {
                        channel.write(netOut);
                    }
                }
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapOnce();
                default -> {
                    return true;
                }
            }
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** Sends application bytes. */
    void write(byte[] bytes) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        while (src.hasRemaining()) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(src, netOut);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new IOException("wrap gave " + result);
            }
            netOut.flip();
            while (netOut.hasRemaining()) {
                channel.write(netOut);
            }
        }
    }

    /**
     * The next application bytes, at least {@code min} of them unless the stream ends.
     *
     * @return the bytes; fewer than {@code min} (possibly none) when close_notify or TCP's end came first
     */
    byte[] read(int min) throws IOException {
        while (appIn.position() < min && !closeNotifyReceived && !tcpEnded) {
            unwrapOnce();
        }
        appIn.flip();
        byte[] bytes = new byte[appIn.remaining()];
        appIn.get(bytes);
        appIn.clear();
        return bytes;
    }

    /** Reads until close_notify or the end of TCP, discarding application bytes. */
    void readToEnd() throws IOException {
        while (!closeNotifyReceived && !tcpEnded) {
            unwrapOnce();
            appIn.clear();
        }
    }

    private void unwrapOnce() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (result.getStatus()) {
                case CLOSED -> {
                    closeNotifyReceived = true;
                    return;
                }
                case BUFFER_UNDERFLOW -> {
                    if (readSocket() < 0) {
                        tcpEnded = true;
                        return;
                    }
                }
                case BUFFER_OVERFLOW -> throw new IOException("the test client's buffer is full");
                default -> {
                    if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
                        return;
                    }
                    if (readSocket() < 0) {
                        tcpEnded = true;
                        return;
                    }
                }
            }
        }
    }

    private int readSocket() throws IOException {
        // SocketChannel ignores the socket timeout in blocking mode: read through the socket's stream instead.
        byte[] chunk = new byte[netIn.remaining()];
        int n;
        try {
            n = channel.socket().getInputStream().read(chunk);
        } catch (SSLException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof java.net.SocketTimeoutException) {
                throw e;
            }
            return -1; // a reset ends the stream as well
        }
        if (n > 0) {
            netIn.put(Arrays.copyOf(chunk, n));
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
