package io.wsreactor.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the frames a client sends to a server (RFC 6455 §5), incrementally and without I/O: it is fed
 * {@link ByteBuffer}s split anywhere, one byte at a time included, and tells a {@link FrameSink} what it decoded.
 *
 * <p>Each data frame is handed on whole, as one {@link Frame} with its FIN bit, as soon as its last byte arrives;
 * fragments of a message are not joined. Between frames the decoder keeps only the running size of the current
 * message and the state of its UTF-8 check; between reads, a few integers and a 14-byte spill array for a header
 * split across reads. Nothing is allocated per frame but the payload array and the {@code Frame}, and the payload
 * array grows as bytes arrive, so a client that declares a large frame and sends little costs little. A fresh
 * decoder is one small object: the UTF-8 validator is made at the first text frame and the spill array at the first
 * split header, because a server holds one decoder per idle connection and most never need either.
 *
 * <p>The first violation is reported once through {@link FrameSink#onProtocolError} with the close code the
 * connection must be failed with, and nothing more is delivered:
 * <ul>
 *   <li>1002: an unmasked frame, RSV bits set, a reserved opcode, a control frame that is fragmented or over
 *       125 bytes, a 64-bit length with its top bit set, a CONTINUATION with no message to continue, a TEXT or
 *       BINARY frame inside an unfinished message, a close payload of one byte, a close code that may not be sent;
 *   <li>1007: text that is not UTF-8, reported at the first invalid byte as it arrives (also in mid-frame and
 *       across fragments), a final text frame that ends inside a sequence, a close reason that is not UTF-8;
 *   <li>1009: a frame over {@code maxFramePayload} or a message over {@code maxMessageSize}, reported when the
 *       header arrives.
 * </ul>
 *
 * <p>Not thread-safe: one decoder belongs to one connection and is used by one thread at a time (the reactor).
 * Exceptions thrown by the sink propagate out of {@link #decode}; the frame that was being delivered counts as
 * delivered.
 */
public final class FrameDecoder {
    /** The most payload bytes allocated for a frame before its bytes arrive; the array doubles from there. */
    static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;
    private static final int MAX_HEADER_LENGTH = 14;
    private static final byte[] EMPTY = new byte[0];

    private final FrameSink sink;
    private final int maxFramePayload;
    private final long maxMessageSize;
    /** The UTF-8 state of the text message being read; null until the first text message. */
    private Utf8Validator messageUtf8;

    /** Header bytes gathered while a header is split across reads; null until the first split header. */
    private byte[] spill;
    private int spillLength;
    private int spillHeaderLength;

    // The frame being read.
    private boolean readingPayload;
    private Opcode opcode;
    private boolean fin;
    private boolean textFrame;
    private int payloadLength;
    private int mask;
    private int maskOffset;
    private byte[] payload;
    private int received;

    // The message being read.
    private boolean messageUnfinished;
    private boolean messageIsText;
    private long messageSize;

    private boolean failed;
    private boolean closeReceived;

    /**
     * Makes a decoder in the state of a fresh connection.
     *
     * @param sink receives the decoded frames and the protocol error, on the thread that calls {@link #decode}
     * @param maxFramePayload the largest frame payload accepted, in bytes; larger frames fail with 1009
     * @param maxMessageSize the largest message accepted (the sum of its fragments' payloads); larger fail with 1009
     * @throws NullPointerException if {@code sink} is null
     * @throws IllegalArgumentException if a limit is not positive
     */
    public FrameDecoder(FrameSink sink, int maxFramePayload, long maxMessageSize) {
        if (sink == null) {
            throw new NullPointerException("sink");
        }
        if (maxFramePayload <= 0) {
            throw new IllegalArgumentException("maxFramePayload must be positive, was " + maxFramePayload);
        }
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
        this.sink = sink;
        this.maxFramePayload = maxFramePayload;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Decodes the bytes from {@code in}'s position to its limit (a heap or direct buffer), calling the sink for
     * everything completed by them. Consumes every remaining byte: bytes that begin a frame are remembered until
     * the rest arrives. Once the decoder has failed or decoded a CLOSE frame, remaining and later bytes are
     * consumed and ignored. The buffer's contents are not changed.
     *
     * @throws RuntimeException whatever the sink throws
     */
    public void decode(ByteBuffer in) {
        while (in.hasRemaining() && !failed && !closeReceived) {
            if (readingPayload) {
                readPayload(in);
            } else {
                readHeader(in);
            }
        }
        if (failed || closeReceived) {
            in.position(in.limit());
        }
    }

    /** Whether a protocol error was reported to the sink; nothing more is decoded then. */
    public boolean isFailed() {
        return failed;
    }

    /** Whether a valid CLOSE frame was delivered to the sink; bytes after it are ignored. */
    public boolean isCloseReceived() {
        return closeReceived;
    }

    /**
     * The bytes this decoder holds for the frame being read: its payload array's capacity, 0 between frames. A
     * server counts them against its memory budget.
     */
    public int payloadCapacity() {
        return payload == null ? 0 : payload.length;
    }

    private void readHeader(ByteBuffer in) {
        if (spillLength == 0 && in.remaining() >= 2) {
            // Fast path: the whole header is in this read, parse it where it lies.
            int position = in.position();
            byte first = in.get(position);
            byte second = in.get(position + 1);
            int headerLength = headerLength(second);
            if (in.remaining() >= headerLength) {
                in.position(position + headerLength);
                if (checkFirstByte(first) && checkSecondByte(second)) {
                    startFrame(in, position);
                }
                return;
            }
        }
        if (spill == null) {
            spill = new byte[MAX_HEADER_LENGTH];
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            spill[spillLength++] = b;
            if (spillLength == 1 && !checkFirstByte(b)) {
                return;
            }
            if (spillLength == 2) {
                if (!checkSecondByte(b)) {
                    return;
                }
                spillHeaderLength = headerLength(b);
            }
            if (spillLength >= 2 && spillLength == spillHeaderLength) {
                spillLength = 0;
                startFrame(null, 0);
                return;
            }
        }
    }

    /** The header length of a masked client frame, from its second byte. */
    private static int headerLength(byte second) {
        int lengthCode = second & 0x7F;
        int extendedLength = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
        return 2 + extendedLength + 4;
    }

    private boolean checkFirstByte(byte first) {
        if ((first & 0x70) != 0) {
            return fail(CloseCode.PROTOCOL_ERROR, "RSV bits set but no extension was negotiated");
        }
        int code = first & 0x0F;
        Opcode frameOpcode = Opcode.of(code);
        if (frameOpcode == null) {
            return fail(CloseCode.PROTOCOL_ERROR, "reserved opcode 0x" + Integer.toHexString(code));
        }
        boolean frameFin = (first & 0x80) != 0;
        if (frameOpcode.isControl()) {
            if (!frameFin) {
                return fail(CloseCode.PROTOCOL_ERROR, "fragmented " + frameOpcode + " frame");
            }
        } else if (frameOpcode == Opcode.CONTINUATION) {
            if (!messageUnfinished) {
                return fail(CloseCode.PROTOCOL_ERROR, "CONTINUATION frame with no message to continue");
            }
        } else if (messageUnfinished) {
            return fail(CloseCode.PROTOCOL_ERROR, frameOpcode + " frame inside an unfinished fragmented message");
        }
        opcode = frameOpcode;
        fin = frameFin;
        return true;
    }

    private boolean checkSecondByte(byte second) {
        if ((second & 0x80) == 0) {
            return fail(CloseCode.PROTOCOL_ERROR, "client frame is not masked");
        }
        int lengthCode = second & 0x7F;
        if (opcode.isControl() && lengthCode > Frame.MAX_CONTROL_PAYLOAD) {
            return fail(CloseCode.PROTOCOL_ERROR, opcode + " frame payload over 125 bytes");
        }
        if (opcode == Opcode.CLOSE && lengthCode == 1) {
            return fail(CloseCode.PROTOCOL_ERROR, "CLOSE frame payload of one byte");
        }
        return true;
    }

    /**
     * Reads the length and mask of a header whose first two bytes passed their checks, and starts its payload.
     * The header lies in {@code header} from {@code base}, or in the spill array when {@code header} is null.
     */
    private void startFrame(ByteBuffer header, int base) {
        int lengthCode = headerByte(header, base + 1) & 0x7F;
        int index = base + 2;
        long length = lengthCode;
        if (lengthCode == 126) {
            length = ((headerByte(header, index) & 0xFF) << 8) | (headerByte(header, index + 1) & 0xFF);
            index += 2;
        } else if (lengthCode == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (headerByte(header, index + i) & 0xFF);
            }
            index += 8;
            if (length < 0) {
                fail(CloseCode.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
                return;
            }
        }
        if (length > maxFramePayload) {
            fail(CloseCode.MESSAGE_TOO_BIG, "frame of " + length + " bytes, the limit is " + maxFramePayload);
            return;
        }
        if (!opcode.isControl()) {
            long sizeBefore = opcode == Opcode.CONTINUATION ? messageSize : 0;
            if (sizeBefore + length > maxMessageSize) {
                fail(CloseCode.MESSAGE_TOO_BIG, "message of over " + (sizeBefore + length)
                        + " bytes, the limit is " + maxMessageSize);
                return;
            }
            if (opcode != Opcode.CONTINUATION) {
                messageIsText = opcode == Opcode.TEXT;
                if (messageIsText) {
                    if (messageUtf8 == null) {
                        messageUtf8 = new Utf8Validator();
                    } else {
                        messageUtf8.reset();
                    }
                }
            }
            messageSize = sizeBefore + length;
            messageUnfinished = !fin;
            textFrame = messageIsText;
        } else {
            textFrame = false;
        }
        mask = ((headerByte(header, index) & 0xFF) << 24) | ((headerByte(header, index + 1) & 0xFF) << 16)
                | ((headerByte(header, index + 2) & 0xFF) << 8) | (headerByte(header, index + 3) & 0xFF);
        maskOffset = 0;
        payloadLength = (int) length;
        received = 0;
        if (payloadLength == 0) {
            finishFrame(EMPTY);
        } else {
            payload = new byte[Math.min(payloadLength, INITIAL_PAYLOAD_CAPACITY)];
            readingPayload = true;
        }
    }

    private byte headerByte(ByteBuffer header, int index) {
        return header == null ? spill[index] : header.get(index);
    }

    private void readPayload(ByteBuffer in) {
        int count = Math.min(in.remaining(), payloadLength - received);
        int needed = received + count;
        if (needed > payload.length) {
            growPayload(needed);
        }
        maskOffset = Masking.unmask(in, payload, received, count, mask, maskOffset);
        if (textFrame) {
            int invalidAt = messageUtf8.validate(payload, received, count);
            if (invalidAt >= 0) {
                fail(CloseCode.INVALID_PAYLOAD, "text is not valid UTF-8");
                return;
            }
        }
        received = needed;
        if (received == payloadLength) {
            byte[] complete = payload;
            payload = null;
            readingPayload = false;
            finishFrame(complete);
        }
    }

    /** Doubles the payload array (at least to {@code needed}, at most to the declared length): bytes have arrived. */
    private void growPayload(int needed) {
        long doubled = 2L * payload.length;
        int capacity = (int) Math.min(payloadLength, Math.max(doubled, needed));
        payload = Arrays.copyOf(payload, capacity);
    }

    private void finishFrame(byte[] data) {
        switch (opcode) {
            case PING -> sink.onPing(data);
            case PONG -> sink.onPong(data);
            case CLOSE -> finishClose(data);
            default -> {
                if (fin && textFrame && !messageUtf8.isComplete()) {
                    fail(CloseCode.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
                    return;
                }
                if (fin) {
                    messageSize = 0;
                }
                sink.onData(new Frame(opcode, fin, data));
            }
        }
    }

    private void finishClose(byte[] data) {
        if (data.length == 0) {
            closeReceived = true;
            sink.onClose(CloseCode.NO_STATUS, "");
            return;
        }
        int code = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        if (!CloseCode.isValid(code)) {
            fail(CloseCode.PROTOCOL_ERROR, "close code " + code + " may not be sent");
            return;
        }
        int reasonLength = data.length - 2;
        // The reason is whole (at most 123 bytes), so the one-shot check does; no validator is kept for it.
        if (!Utf8Validator.isValid(data, 2, reasonLength)) {
            fail(CloseCode.INVALID_PAYLOAD, "close reason is not valid UTF-8");
            return;
        }
        closeReceived = true;
        sink.onClose(code, new String(data, 2, reasonLength, StandardCharsets.UTF_8));
    }

    /** Reports the violation once and stops decoding; returns false so checks can {@code return fail(...)}. */
    private boolean fail(int closeCode, String reason) {
        failed = true;
        readingPayload = false;
        payload = null;
        sink.onProtocolError(closeCode, reason);
        return false;
    }
}
