package io.wsreactor.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One client connection of the {@link LoadGenerator}: its handshake, the masked frames it has sent and not yet seen
 * echoed (with their intended send times), and the check of every echo. Over {@code wss://} its bytes go through a
 * {@link TlsChannel} and the TLS handshake runs before the WebSocket one. Used only on the generator's thread.
 */
final class Connection {
    /** Told of each correct echo. */
    interface EchoListener {
        void echoed(long intendedNanos, long nowNanos, int payloadLength);
    }

    enum State { CONNECTING, HANDSHAKING, OPEN, CLOSED }

    private final LoadConfig config;
    private final PayloadPattern pattern;
    private final SplittableRandom random;
    private final EchoListener listener;
    private final int opcode;
    private final int frameLength;
    private final long[] intendedTimes;
    private final int[] masks;

    final SocketChannel channel;
    /** Where the bytes go: the socket itself, or {@link #tls} over it. */
    private final ByteChannel io;
    /** The TLS layer over {@code wss://}, else null. */
    private final TlsChannel tls;
    SelectionKey key;
    State state = State.CONNECTING;
    private ByteBuffer in;
    private ByteBuffer out;
    private byte[] expectedHandshake;
    private String wsKey;
    private long sent;
    private long received;
    /** Fixed-rate mode: when the next message is due. */
    long nextDueNanos;
    /** Closed-loop mode: when the last echo freed a window slot, or 0 before the first echo. */
    private long slotFreedNanos;
    /** When this connection last made progress: an echo, or a send while nothing was outstanding. */
    private long progressNanos;
    /** What the last read gave: bytes, 0, or -1 at end of input. */
    private int lastRead;

    Connection(SocketChannel channel, LoadConfig config, PayloadPattern pattern, SplittableRandom random,
            EchoListener listener) throws javax.net.ssl.SSLException {
        this.channel = channel;
        this.tls = config.tls() == null ? null : config.tls().wrap(channel);
        this.io = tls == null ? channel : tls;
        this.config = config;
        this.pattern = pattern;
        this.random = random;
        this.listener = listener;
        this.opcode = config.text() ? ClientFrames.TEXT : ClientFrames.BINARY;
        this.frameLength = ClientFrames.maskedFrameLength(config.size());
        int capacity = config.ratePerSecond() > 0 ? Math.max(config.window(), 1024) : config.window();
        this.intendedTimes = new long[capacity];
        this.masks = new int[capacity];
        this.in = ByteBuffer.allocate(1024);
        this.out = ByteBuffer.allocate(1024);
    }

    /** Queues the opening request (a real upgrade, or in raw mode the same bytes to be echoed). */
    void startHandshake(ClientHandshake handshake) {
        wsKey = handshake.newKey();
        byte[] request = ClientHandshake.request(config.host() + ":" + config.port(), config.path(), wsKey);
        if (config.raw()) {
            expectedHandshake = request;
        }
        out.put(request);
        state = State.HANDSHAKING;
    }

    /**
     * Reads what arrived during the handshake.
     *
     * @return null while all is well (check {@link #state}), else why the handshake failed
     */
    String readHandshake(ClientHandshake handshake) throws IOException {
        if (io.read(in) < 0) {
            return "server closed the connection during the handshake";
        }
        if (tls != null && !tls.established()) {
            return null;
        }
        byte[] data = in.array();
        int length = in.position();
        int end;
        if (config.raw()) {
            if (length < expectedHandshake.length) {
                return null;
            }
            if (!Arrays.equals(data, 0, expectedHandshake.length, expectedHandshake, 0, expectedHandshake.length)) {
                return "plain echo of the opening bytes differs";
            }
            end = expectedHandshake.length;
        } else {
            end = ClientHandshake.headEnd(data, length);
            if (end < 0) {
                return in.hasRemaining() ? null : "response head longer than " + in.capacity() + " bytes";
            }
            String problem = handshake.check(new String(data, 0, end, StandardCharsets.ISO_8859_1), wsKey);
            if (problem != null) {
                return problem;
            }
        }
        state = State.OPEN;
        if (!config.idle()) {
            int bufferSize = Math.max(16 * 1024, 2 * frameLength);
            ByteBuffer bigIn = ByteBuffer.allocate(bufferSize);
            bigIn.put(data, end, length - end);
            in = bigIn;
            out = ByteBuffer.allocate(Math.max(8 * 1024, frameLength * Math.min(config.window(), 64)));
        } else {
            in.clear();
            in.put(data, end, length - end);
        }
        return null;
    }

    /** Messages sent and not yet echoed. */
    int outstanding() {
        return (int) (sent - received);
    }

    /** Whether another frame fits the window and the send buffer. */
    boolean canSend(int limit) {
        return outstanding() < Math.min(limit, intendedTimes.length) && out.remaining() >= frameLength;
    }

    /** When the last echo freed a window slot, or {@code fallback} before the first echo. */
    long slotFreedOr(long fallback) {
        return slotFreedNanos == 0 ? fallback : slotFreedNanos;
    }

    /** Puts the next message, masked with a fresh random key, into the send buffer. */
    void queueMessage(long intendedNanos) {
        if (sent == received) {
            progressNanos = System.nanoTime();
        }
        int mask = random.nextInt();
        int slot = (int) (sent % intendedTimes.length);
        intendedTimes[slot] = intendedNanos;
        masks[slot] = mask;
        byte[] buffer = out.array();
        int payloadAt = ClientFrames.writeMaskedHeader(buffer, out.position(), opcode, config.size(), mask);
        pattern.fill(buffer, payloadAt, sent);
        ClientFrames.mask(buffer, payloadAt, config.size(), mask);
        out.position(payloadAt + config.size());
        sent++;
    }

    /** Queues a close frame (code 1000) if it fits; best effort, for a polite goodbye. */
    void queueClose() {
        if (!config.raw() && state == State.OPEN && out.remaining() >= 12) {
            int mask = random.nextInt();
            byte[] buffer = out.array();
            int at = ClientFrames.writeMaskedHeader(buffer, out.position(), ClientFrames.CLOSE, 2, mask);
            buffer[at] = (byte) (1000 >>> 8);
            buffer[at + 1] = (byte) (1000 & 0xFF);
            ClientFrames.mask(buffer, at, 2, mask);
            out.position(at + 2);
        }
    }

    /**
     * Writes what the send buffer holds, as far as the socket takes it.
     *
     * @return true when everything was written
     */
    boolean flush() throws IOException {
        if (out.position() == 0 && (tls == null || !tls.hasPendingOutput())) {
            return true;
        }
        out.flip();
        io.write(out);
        out.compact();
        return out.position() == 0 && (tls == null || !tls.hasPendingOutput());
    }

    /**
     * The selector interest this connection needs now: reading always, writing while bytes wait for the socket
     * (but not while a TLS handshake waits for the server: then writing could not progress and would only spin).
     */
    int interestOps() {
        boolean waiting = tls == null ? out.position() > 0
                : tls.hasPendingOutput() || tls.established() && out.position() > 0;
        return waiting ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    }

    /**
     * Reads and checks every complete echo that has arrived.
     *
     * @return null while all is well, else the first thing that went wrong
     */
    String readEchoes(long nowNanos) throws IOException {
        if (tls == null) {
            return readAndCheck(nowNanos);
        }
        // TLS may hold more decrypted bytes than fit at once, and the selector would not say so again: read until
        // a read gives nothing.
        do {
            String problem = readAndCheck(nowNanos);
            if (problem != null) {
                return problem;
            }
        } while (lastRead > 0);
        return null;
    }

    private String readAndCheck(long nowNanos) throws IOException {
        int read = io.read(in);
        lastRead = read;
        if (read < 0) {
            return "server closed the connection";
        }
        if (in.position() == 0) {
            return null;
        }
        byte[] data = in.array();
        int limit = in.position();
        int at = 0;
        while (limit - at >= 2) {
            int b0 = data[at] & 0xFF;
            int b1 = data[at + 1] & 0xFF;
            boolean masked = (b1 & 0x80) != 0;
            int length7 = b1 & 0x7F;
            int headerLength = length7 <= 125 ? 2 : length7 == 126 ? 4 : 10;
            if (limit - at < headerLength) {
                break;
            }
            long length = length7;
            if (length7 == 126) {
                length = ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
            } else if (length7 == 127) {
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (data[at + i] & 0xFF);
                }
            }
            int maskLength = masked ? 4 : 0;
            if (length > in.capacity()) {
                return "echo frame of " + length + " bytes, larger than any message sent";
            }
            if (limit - at < headerLength + maskLength + length) {
                break;
            }
            String problem = checkFrame(data, at, b0, masked, headerLength, (int) length, nowNanos);
            if (problem != null) {
                return problem;
            }
            at += headerLength + maskLength + (int) length;
        }
        if (at > 0) {
            System.arraycopy(data, at, data, 0, limit - at);
            in.position(limit - at);
        }
        return null;
    }

    private String checkFrame(byte[] data, int at, int b0, boolean masked, int headerLength, int length,
            long nowNanos) {
        int frameOpcode = b0 & 0x0F;
        if (frameOpcode == ClientFrames.PING || frameOpcode == ClientFrames.PONG) {
            return null;
        }
        if (frameOpcode == ClientFrames.CLOSE) {
            int code = length >= 2 ? ((data[at + headerLength] & 0xFF) << 8) | (data[at + headerLength + 1] & 0xFF) : 1005;
            return "server sent a close frame with code " + code;
        }
        if ((b0 & 0xF0) != 0x80) {
            return "echo frame has FIN clear or RSV bits set (first byte 0x" + Integer.toHexString(b0) + ")";
        }
        if (frameOpcode != opcode) {
            return "echo frame has opcode " + frameOpcode + ", sent " + opcode;
        }
        if (masked != config.raw()) {
            return config.raw() ? "plain echo lost the mask bit" : "server sent a masked frame";
        }
        if (sent == received) {
            return "echo of a message never sent";
        }
        int slot = (int) (received % intendedTimes.length);
        int payloadAt = at + headerLength;
        if (masked) {
            int mask = ((data[payloadAt] & 0xFF) << 24) | ((data[payloadAt + 1] & 0xFF) << 16)
                    | ((data[payloadAt + 2] & 0xFF) << 8) | (data[payloadAt + 3] & 0xFF);
            if (mask != masks[slot]) {
                return "plain echo changed the mask key";
            }
            payloadAt += 4;
            ClientFrames.mask(data, payloadAt, length, mask);
        }
        String problem = pattern.verify(data, payloadAt, length, received);
        if (problem != null) {
            return problem;
        }
        received++;
        slotFreedNanos = nowNanos;
        progressNanos = nowNanos;
        listener.echoed(intendedTimes[slot], nowNanos, length);
        return null;
    }

    /** Whether messages are outstanding and no echo came for {@code stallNanos}. */
    boolean stalled(long nowNanos, long stallNanos) {
        return sent != received && nowNanos - progressNanos > stallNanos;
    }

    void close() {
        state = State.CLOSED;
        try {
            io.close();
        } catch (IOException ignored) {
            // closing after a failure or at the end of the run: nothing more to do with this socket
        }
    }
}
