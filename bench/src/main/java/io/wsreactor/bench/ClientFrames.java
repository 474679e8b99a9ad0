package io.wsreactor.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The few pieces of RFC 6455 framing a load-generating client needs, written independently of wsreactor's own
 * codec so that the harness checks it rather than trusting it: the length of a masked client frame, writing one,
 * and XOR masking eight bytes at a time. Stateless; safe on any thread.
 */
public final class ClientFrames {
    /** Opcode of a text frame. */
    public static final int TEXT = 0x1;
    /** Opcode of a binary frame. */
    public static final int BINARY = 0x2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 0x8;
    /** Opcode of a ping frame. */
    public static final int PING = 0x9;
    /** Opcode of a pong frame. */
    public static final int PONG = 0xA;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ClientFrames() {
    }

    /** The header length (without mask key) of a frame carrying {@code payloadLength} bytes. */
    public static int headerLength(int payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** The total length of a masked client frame carrying {@code payloadLength} bytes. */
    public static int maskedFrameLength(int payloadLength) {
        return headerLength(payloadLength) + 4 + payloadLength;
    }

    /**
     * Writes the header and mask key of a final, masked client frame at {@code dst[offset]}.
     *
     * @return the index where the payload goes
     */
    public static int writeMaskedHeader(byte[] dst, int offset, int opcode, int payloadLength, int mask) {
        int i = offset;
        dst[i++] = (byte) (0x80 | opcode);
        if (payloadLength <= 125) {
            dst[i++] = (byte) (0x80 | payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            dst[i++] = (byte) (0x80 | 126);
            dst[i++] = (byte) (payloadLength >>> 8);
            dst[i++] = (byte) payloadLength;
        } else {
            dst[i++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst[i++] = (byte) ((long) payloadLength >>> shift);
            }
        }
        dst[i++] = (byte) (mask >>> 24);
        dst[i++] = (byte) (mask >>> 16);
        dst[i++] = (byte) (mask >>> 8);
        dst[i++] = (byte) mask;
        return i;
    }

    /** XORs {@code data[offset, offset + length)} in place with the four key bytes of {@code mask}, key byte 0 first. */
    public static void mask(byte[] data, int offset, int length, int mask) {
        long wide = ((long) mask << 32) | (mask & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(data, offset + i, (long) LONGS.get(data, offset + i) ^ wide);
        }
        for (; i < length; i++) {
            data[offset + i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
        }
    }
}
