package io.wsreactor.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tests' WebSocket client on a blocking socket (plain or TLS), shared by the {@code reactor} and {@code examples}
 * tests: it sends whatever bytes a test wants (broken or hostile handshakes, unmasked frames, reserved opcodes, RSV
 * bits, a request dribbled in pieces) and reads the server's frames and HTTP responses. It uses nothing of the server,
 * so it can judge it. Every read has a socket timeout, so a test never hangs on it. One instance belongs to one test
 * thread; it is not thread-safe.
 */
public final class RawClient implements Closeable {
    /** The connect and read timeout of every client, in milliseconds. */
    public static final int TIMEOUT_MILLIS = 10_000;

    private static final int MAX_HTTP_HEAD = 16384;
    private static final int MAX_FRAME_PAYLOAD = 64 << 20;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
        this.out = socket.getOutputStream();
    }

    /**
     * Opens a TCP connection without a handshake.
     *
     * @return the connected client
     * @throws IOException if the connection fails within {@link #TIMEOUT_MILLIS}
     */
    public static RawClient connect(InetSocketAddress server) throws IOException {
        return connect(server, 0, null);
    }

    /** {@code receiveBuffer} 0 keeps the default; {@code source} null lets the OS choose the local address. */
    private static RawClient connect(InetSocketAddress server, int receiveBuffer, InetAddress source)
            throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new RawClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects over TLS with {@code tls} and finishes the TLS handshake, without a WebSocket handshake.
     *
     * @throws IOException if the connection or the TLS handshake fails; the socket is closed then
     */
    public static RawClient connectTls(InetSocketAddress server, javax.net.ssl.SSLContext tls) throws IOException {
        RawClient plain = connect(server);
        try {
            javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                    .createSocket(plain.socket, server.getHostString(), server.getPort(), true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.startHandshake();
            return new RawClient(socket);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Connects over TLS and completes a valid WebSocket handshake.
     *
     * @throws IOException if the connection fails or the answer is not 101; the socket is closed then
     */
    public static RawClient openTls(InetSocketAddress server, javax.net.ssl.SSLContext tls) throws IOException {
        return connectTls(server, tls).upgraded();
    }

    /** Completes a valid handshake on this fresh connection; closes it when the answer is not 101. */
    private RawClient upgraded() throws IOException {
        try {
            write(upgradeRequest("/"));
            String head = readHttpHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("expected 101, got: " + head);
            }
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The TLS session of a client made by {@link #connectTls}, else null. */
    public javax.net.ssl.SSLSession tlsSession() {
        return socket instanceof javax.net.ssl.SSLSocket ssl ? ssl.getSession() : null;
    }

    /**
     * Connects and completes a valid handshake.
     *
     * @return the upgraded client
     * @throws IOException if the connection fails or the answer is not 101; the socket is closed then
     */
    public static RawClient open(InetSocketAddress server) throws IOException {
        return open(server, 0, null);
    }

    /**
     * Connects with the given receive buffer size (0: the default) and completes a valid handshake.
     *
     * @return the upgraded client
     * @throws IOException if the connection fails or the answer is not 101; the socket is closed then
     */
    public static RawClient open(InetSocketAddress server, int receiveBuffer) throws IOException {
        return open(server, receiveBuffer, null);
    }

    /**
     * Connects with the given receive buffer size (0: the default) from the given local address (null: the OS
     * chooses) and completes a valid handshake.
     *
     * @return the upgraded client
     * @throws IOException if the connection fails or the answer is not 101; the socket is closed then
     */
    public static RawClient open(InetSocketAddress server, int receiveBuffer, InetAddress source)
            throws IOException {
        return connect(server, receiveBuffer, source).upgraded();
    }

    /**
     * A valid upgrade request for {@code target} with a fresh random key, as text, for tests that edit it.
     *
     * @return the request head, ending in the blank line
     */
    public static String upgradeRequestText(String target) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
    }

    /**
     * A valid upgrade request for {@code target} with a fresh random key, as the bytes to send.
     *
     * @return the request head in ISO-8859-1, ending in the blank line
     */
    public static byte[] upgradeRequest(String target) {
        return upgradeRequestText(target).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sets the read timeout of later reads. @throws IOException if the socket is closed */
    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends bytes as they are. @throws IOException if the connection is closed or reset */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /**
     * Sends {@code bytes} in pieces of {@code chop} bytes, each its own TCP segment (TCP_NODELAY is on), pausing
     * {@code pauseMillis} between pieces.
     *
     * @throws IOException if the connection is closed or reset
     */
    public void writeChopped(byte[] bytes, int chop, long pauseMillis) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += chop) {
            out.write(bytes, offset, Math.min(chop, bytes.length - offset));
            if (pauseMillis > 0 && offset + chop < bytes.length) {
                sleep(pauseMillis);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing in pieces", e);
        }
    }

    /** The bytes the server sent that no read has taken yet, for tests that read a response their own way. */
    public InputStream input() {
        return in;
    }

    /**
     * Reads an HTTP response head (through the blank line) and its body (by Content-Length).
     *
     * @return the head and the body (as UTF-8) in one string
     * @throws IOException on end of stream, a head over 16 KiB or the read timeout
     */
    public String readHttpResponse() throws IOException {
        String head = readHead();
        byte[] body = new byte[contentLength(head)];
        in.readFully(body);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Reads an HTTP response head (through the blank line) and skips its body by Content-Length.
     *
     * @return the head
     * @throws IOException on end of stream, a head over 16 KiB or the read timeout
     */
    public String readHttpHead() throws IOException {
        String head = readHead();
        in.skipNBytes(contentLength(head));
        return head;
    }

    private String readHead() throws IOException {
        String head = readHeadOrEnd();
        if (!head.endsWith("\r\n\r\n")) {
            throw new EOFException("connection closed in the HTTP response: " + head);
        }
        return head;
    }

    /**
     * Reads an HTTP response head through the blank line, byte by byte, so that frame bytes after it stay unread.
     *
     * @return the head ending in the blank line; or, when the server ends the connection first, what came before
     *     (empty when nothing did)
     * @throws IOException on a head over 16 KiB or the read timeout
     */
    public String readHeadOrEnd() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            if (head.size() > MAX_HTTP_HEAD) {
                throw new IOException("HTTP response head over 16 KiB");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return length;
    }

    /**
     * Sends one masked frame.
     *
     * @param firstByte FIN, RSV and the opcode
     * @throws IOException if the connection is closed or reset
     */
    public void sendFrame(int firstByte, byte[] payload) throws IOException {
        out.write(frameBytes(firstByte, payload, true));
    }

    /** Sends one masked, final text frame. @throws IOException if the connection is closed or reset */
    public void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked ping. @throws IOException if the connection is closed or reset */
    public void sendPing(byte[] payload) throws IOException {
        sendFrame(0x89, payload);
    }

    /** Sends one masked close frame. @throws IOException if the connection is closed or reset */
    public void sendClose(int code, String reason) throws IOException {
        sendFrame(0x88, closePayload(code, reason));
    }

    /**
     * The payload of a close frame.
     *
     * @return the code (two bytes, big-endian) followed by the reason in UTF-8
     */
    public static byte[] closePayload(int code, String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + utf8.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(utf8, 0, payload, 2, utf8.length);
        return payload;
    }

    /**
     * The bytes of one frame; a masked one gets a random key.
     *
     * @return the header and the (masked) payload
     */
    public static byte[] frameBytes(int firstByte, byte[] payload, boolean masked) {
        return frameBytes(firstByte, payload, masked, ThreadLocalRandom.current());
    }

    /**
     * The bytes of one frame, masked with a key from {@code random} when {@code masked} (seeded tests repeat).
     *
     * @return the header and the (masked) payload
     */
    public static byte[] frameBytes(int firstByte, byte[] payload, boolean masked, Random random) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        if (!masked) {
            frame.writeBytes(payload);
            return frame.toByteArray();
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /**
     * A frame as received from the server.
     *
     * @param firstByte FIN, RSV and the opcode
     * @param payload the (unmasked) payload
     * @param masked whether the server masked it (servers must not, RFC 6455 §5.1)
     */
    public record Received(int firstByte, byte[] payload, boolean masked) {
        /** @return the opcode (low four bits of the first byte) */
        public int opcode() {
            return firstByte & 0x0F;
        }

        /** @return whether the FIN bit is set */
        public boolean fin() {
            return (firstByte & 0x80) != 0;
        }

        /** @return whether this is a close frame */
        public boolean isClose() {
            return opcode() == 0x8;
        }

        /** @return the payload decoded as UTF-8 */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** @return the code of a close frame; 1005 when it carries none */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /**
     * Reads one server frame.
     *
     * @return the frame
     * @throws IOException on a masked frame, one over 64 MiB, end of stream or the read timeout
     */
    public Received readFrame() throws IOException {
        Received frame = readFrameOrEnd();
        if (frame == null) {
            throw new EOFException("the server ended the connection");
        }
        if (frame.masked()) {
            throw new IOException("the server sent a masked frame");
        }
        return frame;
    }

    /**
     * Reads one server frame as it is on the wire, a masked one included (its payload unmasked, {@link
     * Received#masked()} true), for judges that report such a frame themselves.
     *
     * @return the frame, or null when the server ended the connection at a frame boundary
     * @throws IOException on a frame over 64 MiB, end of stream inside a frame or the read timeout
     */
    public Received readFrameOrEnd() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length < 0 || length > MAX_FRAME_PAYLOAD) {
            throw new IOException("frame length out of range: " + length);
        }
        byte[] mask = null;
        if ((second & 0x80) != 0) {
            mask = new byte[4];
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Received(first, payload, mask != null);
    }

    /**
     * Reads frames, skipping data frames and pongs, until the close frame; at most 100,000 frames.
     *
     * @return the close frame
     * @throws IOException as {@link #readFrame()}, or when no close frame comes within the bound
     */
    public Received readUntilClose() throws IOException {
        return readUntilClose(100_000);
    }

    /**
     * Reads frames, skipping data frames and pongs, until the close frame; at most {@code maxFrames}.
     *
     * @return the close frame
     * @throws IOException as {@link #readFrame()}, or when no close frame comes within the bound
     */
    public Received readUntilClose(int maxFrames) throws IOException {
        for (int i = 0; i < maxFrames; i++) {
            Received frame = readFrame();
            if (frame.isClose()) {
                return frame;
            }
        }
        throw new IOException("no close frame in " + maxFrames + " frames");
    }

    /**
     * Waits for the server to end TCP, discarding what comes.
     *
     * @return true on end of stream or a reset; false when the read timeout passes first (or after 1,000,000 reads)
     * @throws IOException never in practice (a failed read counts as the end); declared for callers' try blocks
     */
    public boolean awaitEndOfStream() throws IOException {
        try {
            byte[] sink = new byte[8192];
            for (int i = 0; i < 1_000_000; i++) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset ends the connection as well
        }
    }

    /**
     * The client's side of a clean close: sends 1000, reads to the server's close and its end of stream, closes.
     *
     * @return the server's close code
     * @throws IOException as {@link #readUntilClose(int)}
     */
    public int closeCleanly() throws IOException {
        sendClose(1000, "");
        int code = readUntilClose(1_000_000).closeCode();
        awaitEndOfStream();
        close();
        return code;
    }

    /**
     * Half-closes: the server reads end of input, the client can still read.
     *
     * @throws IOException if the socket is closed
     */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** @return whether this client's socket is closed */
    public boolean isClosed() {
        return socket.isClosed();
    }

    /**
     * Closes with SO_LINGER 0 (a reset), so no TIME_WAIT is left on the client side.
     *
     * @throws IOException if closing fails
     */
    public void abort() throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        socket.close();
    }

    /** Closes the socket (a FIN, or a reset when unread bytes remain). @throws IOException if closing fails */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
