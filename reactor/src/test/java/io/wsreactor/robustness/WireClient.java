package io.wsreactor.robustness;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written against the wire, for the robustness tests: it sends whatever bytes a test wants
 * (hostile handshakes, any frame header) and reads the server's frames. Every read has a socket timeout so a test
 * can never hang on it.
 */
final class WireClient implements Closeable {
    static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 8192));
        this.out = socket.getOutputStream();
    }

    /** TCP only, no handshake. {@code receiveBuffer} 0 keeps the default; {@code source} null lets the OS choose. */
    static WireClient connect(InetSocketAddress server, int receiveBuffer, InetAddress source) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(server, DEFAULT_TIMEOUT_MILLIS);
            socket.setSoTimeout(DEFAULT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new WireClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static WireClient connect(InetSocketAddress server) throws IOException {
        return connect(server, 0, null);
    }

    /** Connects and upgrades; throws when the answer is not 101. */
    static WireClient open(InetSocketAddress server) throws IOException {
        return open(server, 0, null);
    }

    static WireClient open(InetSocketAddress server, int receiveBuffer, InetAddress source) throws IOException {
        WireClient client = connect(server, receiveBuffer, source);
        try {
            client.write(upgradeRequest("/"));
            String status = client.readHttpHead();
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new IOException("expected 101, got: " + status);
            }
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static byte[] upgradeRequest(String target) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return ("GET " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Reads an HTTP response head (through the blank line) and skips its body by Content-Length; returns the head. */
    String readHttpHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the HTTP response: " + head);
            }
            head.write(b);
            if (head.size() > 16384) {
                throw new IOException("HTTP response head over 16 KiB");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.skipNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return text;
    }

    /** Sends one masked frame: {@code firstByte} holds FIN, RSV and the opcode. */
    void sendFrame(int firstByte, byte[] payload) throws IOException {
        out.write(frame(firstByte, payload, true, ThreadLocalRandom.current()));
    }

    void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendPing(byte[] payload) throws IOException {
        sendFrame(0x89, payload);
    }

    void sendClose(int code, String reason) throws IOException {
        sendFrame(0x88, closePayload(code, reason));
    }

    static byte[] closePayload(int code, String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + utf8.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(utf8, 0, payload, 2, utf8.length);
        return payload;
    }

    /** The bytes of one frame, masked with a key from {@code random} when {@code masked}. */
    static byte[] frame(int firstByte, byte[] payload, boolean masked, Random random) {
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

    /** A frame from the server. */
    record Received(int firstByte, byte[] payload) {
        int opcode() {
            return firstByte & 0x0F;
        }

        boolean fin() {
            return (firstByte & 0x80) != 0;
        }

        boolean isClose() {
            return opcode() == 0x8;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The code of a close frame; 1005 when it carries none. */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Reads one server frame; fails on a masked frame or one over 64 MiB. */
    Received readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        if ((second & 0x80) != 0) {
            throw new IOException("the server sent a masked frame");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length < 0 || length > (64 << 20)) {
            throw new IOException("frame length out of range: " + length);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Received(first, payload);
    }

    /** Reads frames, skipping data and pongs, until the close frame; at most {@code maxFrames}. */
    Received readUntilClose(int maxFrames) throws IOException {
        for (int i = 0; i < maxFrames; i++) {
            Received frame = readFrame();
            if (frame.isClose()) {
                return frame;
            }
        }
        throw new IOException("no close frame in " + maxFrames + " frames");
    }

    /** Whether the server ended TCP (end of stream or reset) within the socket timeout, discarding what comes. */
    boolean awaitEndOfStream() throws IOException {
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

    /** The client's side of a clean close: sends 1000, reads to the server's close and its end of stream. */
    int closeCleanly() throws IOException {
        sendClose(1000, "");
        int code = readUntilClose(1_000_000).closeCode();
        awaitEndOfStream();
        close();
        return code;
    }

    /** Half-closes: the server reads end of input, the client can still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /** Closes with SO_LINGER 0 (a reset), so no TIME_WAIT is left on the client side. */
    void abort() throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
