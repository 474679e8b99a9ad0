package io.wsreactor.frame;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Encodes server frames (RFC 6455 §5.2): never masked, the payload length in the fewest bytes that hold it.
 *
 * <p>{@link #writeHeader} writes only the header into the caller's buffer, so the reactor can send header and
 * payload with one gathering write and nothing is allocated. All methods are static and safe on any thread.
 *
 * <p>The encoder will not write a frame the RFC forbids ({@link Frame#checkSendable}): a control frame (CLOSE, PING,
 * PONG) must be final and carry at most {@value Frame#MAX_CONTROL_PAYLOAD} bytes.
 */
public final class FrameEncoder {
    /** The largest length the seven-bit length field holds (126 and 127 announce the longer fields). */
    private static final int MAX_7_BIT_LENGTH = 125;
    /** The largest length the two-byte extended length field holds. */
    private static final int MAX_16_BIT_LENGTH = 0xFFFF;

    private FrameEncoder() {
    }

    /**
     * The length of a server frame header for a payload of {@code payloadLength} bytes.
     *
     * @return 2 for up to 125 bytes, 4 for up to 65535, else 10
     * @throws IllegalArgumentException if {@code payloadLength} is negative
     */
    public static int headerLength(int payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payload length " + payloadLength + " is negative");
        }
        if (payloadLength <= MAX_7_BIT_LENGTH) {
            return 2;
        }
        return payloadLength <= MAX_16_BIT_LENGTH ? 4 : 10;
    }

    /**
     * Writes the header of an unmasked frame at {@code dst}'s position and advances it by
     * {@link #headerLength headerLength(payloadLength)} bytes. Allocates nothing.
     *
     * @throws IllegalArgumentException if {@code payloadLength} is negative, or the opcode is a control opcode and
     *     the frame is not final or its payload is over 125 bytes
     * @throws BufferOverflowException if {@code dst} has too little room; nothing is written then
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public static void writeHeader(ByteBuffer dst, Opcode opcode, boolean fin, int payloadLength) {
        int headerLength = headerLength(payloadLength);
        Frame.checkSendable(opcode, fin, payloadLength);
        if (dst.remaining() < headerLength) {
            throw new BufferOverflowException();
        }
        dst.put((byte) ((fin ? 0x80 : 0) | opcode.code()));
        if (headerLength == 2) {
            dst.put((byte) payloadLength);
        } else if (headerLength == 4) {
            // Byte by byte, not putShort/putLong: the caller's buffer may be in little-endian order.
            dst.put((byte) 126);
            dst.put((byte) (payloadLength >>> 8));
            dst.put((byte) payloadLength);
        } else {
            dst.put((byte) 127);
            dst.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
            dst.put((byte) (payloadLength >>> 24));
            dst.put((byte) (payloadLength >>> 16));
            dst.put((byte) (payloadLength >>> 8));
            dst.put((byte) payloadLength);
        }
    }

    /**
     * Writes the whole frame, header and payload, at {@code dst}'s position and advances it.
     *
     * @throws IllegalArgumentException if the frame is a control frame that is not final or over 125 bytes
     * @throws BufferOverflowException if {@code dst} has too little room; nothing is written then
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public static void encode(Frame frame, ByteBuffer dst) {
        int length = frame.length();
        if (dst.remaining() < headerLength(length) + length) {
            throw new BufferOverflowException();
        }
        writeHeader(dst, frame.opcode(), frame.fin(), length);
        dst.put(frame.payload());
    }

    /**
     * The whole frame, header and payload, in a new array of exactly its length.
     *
     * @throws IllegalArgumentException if the frame is a control frame that is not final or over 125 bytes
     * @throws OutOfMemoryError if header and payload together exceed the largest array
     */
    public static byte[] encode(Frame frame) {
        int length = frame.length();
        long total = (long) headerLength(length) + length;
        if (total > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("a frame of " + total + " bytes does not fit in an array");
        }
        byte[] bytes = new byte[(int) total];
        encode(frame, ByteBuffer.wrap(bytes));
        return bytes;
    }
}
