package io.wsreactor.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The suite's own WebSocket client over a plain socket: it writes whatever bytes a case wants (legal or not),
 * reads the server's frames field by field and records everything in a {@link Transcript}. It shares no code with
 * the server, so it can serve as the oracle.
 */
final class RawConnection implements Closeable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_RESPONSE_HEAD = 64 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Transcript transcript = new Transcript();
    private final String key;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /** Opens a TCP connection (no handshake yet), with TCP_NODELAY so that each write leaves as its own segment. */
    static RawConnection connect(ServerAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()), 10_000);
            if (address.tls()) {
                return new RawConnection(SuiteTls.clientSocket(socket, address));
            }
            return new RawConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects and completes a valid opening handshake; throws AssertionError if the server does not answer 101. */
    static RawConnection open(ServerAddress address) throws IOException {
        return open(address, Map.of());
    }

    /** Like {@link #open(ServerAddress)}, adding {@code extraHeaders} to the upgrade request. */
    static RawConnection open(ServerAddress address, Map<String, String> extraHeaders) throws IOException {
        RawConnection connection = connect(address);
        try {
            HttpResponseHead head = connection.handshake(address, extraHeaders, new byte[0], 10_000);
            String problem = connection.upgradeProblem(head);
            if (problem != null) {
                throw new AssertionError("opening handshake failed: " + problem + "\n" + connection.transcript());
            }
            return connection;
        } catch (IOException | RuntimeException | Error e) {
            connection.close();
            throw e;
        }
    }

    /** The Sec-WebSocket-Key this connection sends. */
    String key() {
        return key;
    }

    /** The Sec-WebSocket-Accept value a correct server answers to {@code key} (RFC 6455 §4.2.2). */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /** A valid upgrade request for {@code address} with {@code extraHeaders} appended. */
    String upgradeRequest(ServerAddress address, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", address.hostHeader());
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", key);
        headers.put("Sec-WebSocket-Version", "13");
        headers.putAll(extraHeaders);
        StringBuilder request = new StringBuilder("GET ").append(address.path()).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        return request.append("\r\n").toString();
    }

    /**
     * Sends a valid upgrade request followed in the same write by {@code firstBytes}, and reads the response head.
     *
     * @return the response head; its status is -1 when the server closed without answering
     */
    HttpResponseHead handshake(ServerAddress address, Map<String, String> extraHeaders, byte[] firstBytes,
            long timeoutMillis) throws IOException {
        byte[] request = upgradeRequest(address, extraHeaders).getBytes(StandardCharsets.ISO_8859_1);
        byte[] packet = new byte[request.length + firstBytes.length];
        System.arraycopy(request, 0, packet, 0, request.length);
        System.arraycopy(firstBytes, 0, packet, request.length, firstBytes.length);
        transcript.sent("upgrade request" + (firstBytes.length > 0 ? " + " + firstBytes.length + " frame bytes" : ""));
        write(packet);
        return readResponseHead(System.nanoTime() + timeoutMillis * 1_000_000L);
    }

    /** Null when {@code head} is a correct 101 answer to this connection's key, otherwise what is wrong with it. */
    String upgradeProblem(HttpResponseHead head) {
        if (head.status() != 101) {
            return "expected status 101, got " + head.statusLine();
        }
        if (!"websocket".equalsIgnoreCase(head.header("Upgrade"))) {
            return "expected Upgrade: websocket, got " + head.header("Upgrade");
        }
        if (!head.headerHasToken("Connection", "upgrade")) {
            return "expected Connection: Upgrade, got " + head.header("Connection");
        }
        if (!acceptFor(key).equals(head.header("Sec-WebSocket-Accept"))) {
            return "expected Sec-WebSocket-Accept " + acceptFor(key) + ", got " + head.header("Sec-WebSocket-Accept");
        }
        if (head.header("Sec-WebSocket-Extensions") != null) {
            return "the server accepted an extension: Sec-WebSocket-Extensions: " + head.header("Sec-WebSocket-Extensions");
        }
        return null;
    }

    /**
     * Reads an HTTP response head up to the blank line, byte by byte so that frame bytes after it stay buffered.
     *
     * @return the parsed head; status -1 with status line "(connection closed)" when the server closed first
     */
    HttpResponseHead readResponseHead(long deadlineNanos) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            setTimeout(deadlineNanos);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no complete response head in time; got so far: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            if (b < 0) {
                String partial = head.toString(StandardCharsets.ISO_8859_1);
                transcript.received("EOF" + (partial.isEmpty() ? "" : " after partial response: " + partial));
                return partial.isEmpty() ? new HttpResponseHead("(connection closed)", -1, Map.of())
                        : HttpResponseHead.parse(partial);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_RESPONSE_HEAD) {
                throw new IOException("response head longer than " + MAX_RESPONSE_HEAD + " bytes");
            }
        }
        HttpResponseHead parsed = HttpResponseHead.parse(head.toString(StandardCharsets.ISO_8859_1));
        transcript.received(parsed.statusLine());
        return parsed;
    }

    /** Writes and flushes {@code bytes} in one call. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes {@code bytes} in pieces of {@code chop} bytes, each flushed on its own, pausing {@code pauseMillis} between. */
    void writeChopped(byte[] bytes, int chop, long pauseMillis) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += chop) {
            out.write(bytes, offset, Math.min(chop, bytes.length - offset));
            out.flush();
            if (pauseMillis > 0 && offset + chop < bytes.length) {
                sleep(pauseMillis);
            }
        }
    }

    /**
     * Reads the next frame the server sent.
     *
     * @return the frame, or null when the server closed the connection at a frame boundary
     * @throws SocketTimeoutException when no complete frame arrived before the deadline
     * @throws EOFException when the connection closed in the middle of a frame
     * @throws ServerViolation when the frame is masked (servers must not mask, RFC 6455 §5.1)
     */
    WireFrame readFrame(long deadlineNanos) throws IOException, ServerViolation {
        setTimeout(deadlineNanos);
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
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new ServerViolation("server sent a frame header with length " + Long.toUnsignedString(length));
        }
        byte[] mask = null;
        if ((second & 0x80) != 0) {
            mask = new byte[4];
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (mask != null) {
            throw new ServerViolation("server sent a masked frame: " + new WireFrame((first & 0x80) != 0,
                    (first >> 4) & 7, first & 0xF, payload).describe());
        }
        return new WireFrame((first & 0x80) != 0, (first >> 4) & 7, first & 0xF, payload);
    }

    /** Half-closes the sending side (TCP FIN), the way a client ends its part of a closing handshake. */
    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // already closed by the server: nothing left to end
        }
    }

    Transcript transcript() {
        return transcript;
    }

    private void setTimeout(long deadlineNanos) throws SocketTimeoutException, IOException {
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sets the socket read timeout for direct reads of {@link #input()}. */
    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(Math.max(1, millis));
    }

    /** The raw input, for handshake tests that read a rejection response. */
    InputStream input() {
        return in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the socket is gone either way
        }
    }

    /** The server broke RFC 6455 in what it sent. */
    static final class ServerViolation extends Exception {
        private static final long serialVersionUID = 1L;

        ServerViolation(String message) {
            super(message);
        }
    }
}
