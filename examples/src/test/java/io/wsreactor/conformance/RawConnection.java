package io.wsreactor.conformance;

import io.wsreactor.testkit.RawClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One connection of the suite: the shared {@link RawClient} (any bytes out, frames and HTTP heads in) plus what the
 * suite needs on top — its own upgrade request and key, deadlines instead of fixed timeouts, RFC 6455 checks of
 * what the server sent, and a {@link Transcript} of everything for the report.
 */
final class RawConnection implements Closeable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final RawClient client;
    private final Transcript transcript = new Transcript();
    private final String key;

    private RawConnection(RawClient client) {
        this.client = client;
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /** Opens a TCP connection (no handshake yet), with TCP_NODELAY so that each write leaves as its own segment. */
    static RawConnection connect(ServerAddress address) throws IOException {
        InetSocketAddress server = new InetSocketAddress(address.host(), address.port());
        return new RawConnection(address.tls()
                ? RawClient.connectTls(server, SuiteTls.trustingClientContext())
                : RawClient.connect(server));
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
     * Reads an HTTP response head up to the blank line; frame bytes after it stay unread.
     *
     * @return the parsed head; status -1 with status line "(connection closed)" when the server closed first
     */
    HttpResponseHead readResponseHead(long deadlineNanos) throws IOException {
        setTimeout(deadlineNanos);
        String head;
        try {
            head = client.readHeadOrEnd();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no complete response head in time");
        }
        if (!head.endsWith("\r\n\r\n")) {
            transcript.received("EOF" + (head.isEmpty() ? "" : " after partial response: " + head));
            return head.isEmpty() ? new HttpResponseHead("(connection closed)", -1, Map.of())
                    : HttpResponseHead.parse(head);
        }
        HttpResponseHead parsed = HttpResponseHead.parse(head);
        transcript.received(parsed.statusLine());
        return parsed;
    }

    /** Writes {@code bytes} in one call. */
    void write(byte[] bytes) throws IOException {
        client.write(bytes);
    }

    /** Writes {@code bytes} in pieces of {@code chop} bytes, each its own segment, pausing {@code pauseMillis} between. */
    void writeChopped(byte[] bytes, int chop, long pauseMillis) throws IOException {
        client.writeChopped(bytes, chop, pauseMillis);
    }

    /**
     * Reads the next frame the server sent.
     *
     * @return the frame, or null when the server closed the connection at a frame boundary
     * @throws SocketTimeoutException when no complete frame arrived before the deadline
     * @throws java.io.EOFException when the connection closed in the middle of a frame
     * @throws ServerViolation when the frame is masked (servers must not mask, RFC 6455 §5.1)
     */
    WireFrame readFrame(long deadlineNanos) throws IOException, ServerViolation {
        setTimeout(deadlineNanos);
        RawClient.Received received = client.readFrameOrEnd();
        if (received == null) {
            return null;
        }
        int first = received.firstByte();
        WireFrame frame = new WireFrame((first & 0x80) != 0, (first >> 4) & 7, first & 0xF, received.payload());
        if (received.masked()) {
            throw new ServerViolation("server sent a masked frame: " + frame.describe());
        }
        return frame;
    }

    /** Half-closes the sending side (TCP FIN), the way a client ends its part of a closing handshake. */
    void shutdownOutput() {
        try {
            client.shutdownOutput();
        } catch (IOException ignored) {
            // already closed by the server: nothing left to end
        }
    }

    Transcript transcript() {
        return transcript;
    }

    private void setTimeout(long deadlineNanos) throws IOException {
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        client.setTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
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
        client.setTimeout(Math.max(1, millis));
    }

    /** The raw input, for handshake tests that read a rejection response. */
    InputStream input() {
        return client.input();
    }

    @Override
    public void close() {
        try {
            client.close();
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
