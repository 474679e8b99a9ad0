package io.wsreactor.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The XOR masking of RFC 6455 §5.3, eight bytes at a time.
 *
 * <p>A mask is held as the big-endian {@code int} of the four key bytes as they appear on the wire, and a
 * <em>mask offset</em> (0–3) says which key byte applies to the next payload byte, so a payload that arrives in
 * several reads is unmasked piece by piece. All methods are static, stateless and safe on any thread.
 */
public final class Masking {
    private static final VarHandle LONG_NATIVE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LITTLE_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Masking() {
    }

    /**
     * Unmasks (or masks: XOR is its own inverse) {@code length} bytes of {@code data} in place.
     *
     * @param data the bytes, changed in place
     * @param offset the index of the first byte
     * @param length how many bytes
     * @param mask the four key bytes as a big-endian int, as on the wire; 0 leaves the bytes as they are
     * @param maskOffset which key byte (0–3) applies to {@code data[offset]}
     * @return the mask offset for the byte after the last one, {@code (maskOffset + length) & 3}
     * @throws IndexOutOfBoundsException if the range lies outside {@code data}
     * @throws IllegalArgumentException if {@code maskOffset} is not 0–3 or {@code length} is negative
     */
    public static int unmask(byte[] data, int offset, int length, int mask, int maskOffset) {
        checkArguments(length, maskOffset);
        Objects.checkFromIndexSize(offset, length, data.length);
        if (mask != 0) {
            xor(data, offset, data, offset, length, mask, maskOffset);
        }
        return (maskOffset + length) & 3;
    }

    /**
     * Copies {@code length} bytes from {@code src} (heap or direct) into {@code dst} and unmasks them on the way,
     * in one pass. Advances {@code src}'s position by {@code length}; does not change its byte order.
     *
     * @param src where the masked bytes are read, from its position
     * @param dst where the unmasked bytes are written
     * @param dstOffset the index in {@code dst} of the first byte written
     * @param length how many bytes
     * @param mask the four key bytes as a big-endian int, as on the wire; 0 copies the bytes as they are
     * @param maskOffset which key byte (0–3) applies to the first byte
     * @return the mask offset for the byte after the last one, {@code (maskOffset + length) & 3}
     * @throws BufferUnderflowException if {@code src} has fewer than {@code length} bytes remaining
     * @throws IndexOutOfBoundsException if the range lies outside {@code dst}
     * @throws IllegalArgumentException if {@code maskOffset} is not 0–3 or {@code length} is negative
     */
    public static int unmask(ByteBuffer src, byte[] dst, int dstOffset, int length, int mask, int maskOffset) {
        checkArguments(length, maskOffset);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        if (src.remaining() < length) {
            throw new BufferUnderflowException();
        }
        if (mask == 0) {
            src.get(dst, dstOffset, length);
        } else if (src.hasArray()) {
            int position = src.position();
            xor(src.array(), src.arrayOffset() + position, dst, dstOffset, length, mask, maskOffset);
            src.position(position + length);
        } else {
            xorFromBuffer(src, dst, dstOffset, length, mask, maskOffset);
        }
        return (maskOffset + length) & 3;
    }

    /** The plain byte-at-a-time loop, kept as the baseline for benchmarks and as the test oracle. */
    static int unmaskBytewise(byte[] data, int offset, int length, int mask, int maskOffset) {
        checkArguments(length, maskOffset);
        int keyIndex = maskOffset;
        for (int i = offset; i < offset + length; i++) {
            data[i] ^= (byte) (mask >>> (24 - 8 * keyIndex));
            keyIndex = (keyIndex + 1) & 3;
        }
        return keyIndex;
    }

    /** The mask repeated twice in a long, rotated so that its first byte (in big-endian order) is key byte {@code maskOffset}. */
    private static long bigEndianMaskLong(int mask, int maskOffset) {
        int rotated = Integer.rotateLeft(mask, 8 * maskOffset);
        return ((long) rotated << 32) | (rotated & 0xFFFF_FFFFL);
    }

    private static void xor(byte[] src, int srcOffset, byte[] dst, int dstOffset, int length, int mask, int maskOffset) {
        long maskLong = bigEndianMaskLong(mask, maskOffset);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            maskLong = Long.reverseBytes(maskLong);
        }
        int i = 0;
        int longEnd = length - 7;
        // Eight bytes step the key by two whole turns, so the same long fits every step.
        for (; i < longEnd; i += 8) {
            long word = (long) LONG_NATIVE.get(src, srcOffset + i);
            LONG_NATIVE.set(dst, dstOffset + i, word ^ maskLong);
        }
        xorTail(src, srcOffset + i, dst, dstOffset + i, length - i, mask, maskOffset);
    }

    private static void xorFromBuffer(ByteBuffer src, byte[] dst, int dstOffset, int length, int mask, int maskOffset) {
        // Read longs in the buffer's own order and write them in the same order, so the bytes land where they were.
        boolean bigEndian = src.order() == ByteOrder.BIG_ENDIAN;
        long maskLong = bigEndianMaskLong(mask, maskOffset);
        VarHandle view = LONG_BIG_ENDIAN;
        if (!bigEndian) {
            maskLong = Long.reverseBytes(maskLong);
            view = LONG_LITTLE_ENDIAN;
        }
        int position = src.position();
        int i = 0;
        int longEnd = length - 7;
        for (; i < longEnd; i += 8) {
            view.set(dst, dstOffset + i, src.getLong(position + i) ^ maskLong);
        }
        int keyIndex = maskOffset;
        for (; i < length; i++) {
            dst[dstOffset + i] = (byte) (src.get(position + i) ^ (mask >>> (24 - 8 * keyIndex)));
            keyIndex = (keyIndex + 1) & 3;
        }
        src.position(position + length);
    }

    private static void xorTail(byte[] src, int srcOffset, byte[] dst, int dstOffset, int length, int mask, int maskOffset) {
        int keyIndex = maskOffset;
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (byte) (src[srcOffset + i] ^ (mask >>> (24 - 8 * keyIndex)));
            keyIndex = (keyIndex + 1) & 3;
        }
    }

    private static void checkArguments(int length, int maskOffset) {
        if (length < 0) {
            throw new IllegalArgumentException("length " + length + " is negative");
        }
        if ((maskOffset & ~3) != 0) {
            throw new IllegalArgumentException("mask offset " + maskOffset + " is not 0-3");
        }
    }
}
