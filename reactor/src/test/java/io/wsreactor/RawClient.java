package io.wsreactor;

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
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test client on a plain socket: sends any bytes (unmasked frames, reserved opcodes, RSV bits, broken handshakes)
 * and reads the server's frames. Every read has a socket timeout, so a test never hangs.
 */
final class RawClient implements Closeable {
    static final int TIMEOUT_MILLIS = 10_000;

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection without a handshake. */
    static RawClient connect(InetSocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /** Opens a TCP connection with a small receive buffer (when positive), so the server's writes back up soon. */
    static RawClient connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new RawClient(socket);
    }

    /** Connects and completes a valid handshake; fails if the answer is not 101. */
    static RawClient open(InetSocketAddress address) throws IOException {
        return open(address, 0);
    }

    /** Connects with the given receive buffer size (0: the default) and completes a valid handshake. */
    static RawClient open(InetSocketAddress address, int receiveBuffer) throws IOException {
        RawClient client = connect(address, receiveBuffer);
        client.out.write(upgradeRequest("/").getBytes(StandardCharsets.ISO_8859_1));
        String response = client.readHttpResponse();
        if (!response.startsWith("HTTP/1.1 101")) {
            client.close();
            throw new IOException("expected 101, got: " + response);
        }
        return client;
    }

    static String upgradeRequest(String target) {
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

    /** Reads an HTTP response head and its body (by Content-Length), as text. */
    String readHttpResponse() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the HTTP response: " + head);
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    /** Sends a masked frame with the given first byte (FIN, RSV, opcode) and payload. */
    void sendFrame(int firstByte, byte[] payload) throws IOException {
        out.write(frameBytes(firstByte, payload, true));
    }

    /** A frame's bytes; masked ones use a random key. */
    static byte[] frameBytes(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
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
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code, String reason) throws IOException {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + utf8.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(utf8, 0, payload, 2, utf8.length);
        sendFrame(0x88, payload);
    }

    /** A frame as received: first byte and payload. */
    record Received(int firstByte, byte[] payload) {
        int opcode() {
            return firstByte & 0x0F;
        }

        boolean fin() {
            return (firstByte & 0x80) != 0;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it has none). */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Reads one frame from the server; fails if it is masked. */
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
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Received(first, payload);
    }

    /** Reads frames until a close frame, skipping data frames. @return the close frame */
    Received readUntilClose() throws IOException {
        for (int i = 0; i < 100_000; i++) {
            Received frame = readFrame();
            if (frame.opcode() == 0x8) {
                return frame;
            }
        }
        throw new IOException("no close frame in 100000 frames");
    }

    /** Whether the server closed TCP (end of stream) within the socket timeout. */
    boolean awaitEndOfStream() throws IOException {
        try {
            byte[] sink = new byte[8192];
            for (int i = 0; i < 100_000; i++) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
