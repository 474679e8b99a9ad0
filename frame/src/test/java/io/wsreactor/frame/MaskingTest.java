package io.wsreactor.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final int[] MASKS = {0, 0x37FA213D, 0xFFFFFFFF, 0x80000001, 0x01020304};

    @Test
    void unmasksTheRfcHelloExample() {
        byte[] masked = ClientFrames.hex("7f9f4d5158");
        int next = Masking.unmask(masked, 0, 5, 0x37FA213D, 0);
        assertEquals("Hello", new String(masked, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, next);
    }

    @Test
    void inPlaceUnmaskMatchesBytewiseOracleAtEveryOffsetLengthAndMaskOffset() {
        Random random = new Random(6455);
        for (int mask : MASKS) {
            for (int offset = 0; offset < 12; offset++) {
                for (int length = 0; length <= 40; length++) {
                    for (int maskOffset = 0; maskOffset < 4; maskOffset++) {
                        byte[] data = new byte[offset + length + 5];
                        random.nextBytes(data);
                        byte[] expected = data.clone();
                        int expectedNext = Masking.unmaskBytewise(expected, offset, length, mask, maskOffset);
                        int next = Masking.unmask(data, offset, length, mask, maskOffset);
                        assertArrayEquals(expected, data, () -> "offset and length wrong");
                        assertEquals(expectedNext, next);
                        assertEquals((maskOffset + length) & 3, next);
                    }
                }
            }
        }
    }

    @Test
    void bufferUnmaskMatchesBytewiseOracleForHeapDirectAndBothByteOrders() {
        Random random = new Random(17);
        for (int mask : MASKS) {
            for (int position = 0; position < 9; position++) {
                for (int length = 0; length <= 40; length++) {
                    for (int maskOffset = 0; maskOffset < 4; maskOffset++) {
                        byte[] source = new byte[position + length + 3];
                        random.nextBytes(source);
                        byte[] expected = java.util.Arrays.copyOfRange(source, position, position + length);
                        Masking.unmaskBytewise(expected, 0, length, mask, maskOffset);
                        for (ByteBuffer src : buffersHolding(source, position)) {
                            int dstOffset = random.nextInt(5);
                            byte[] dst = new byte[dstOffset + length + 2];
                            int next = Masking.unmask(src, dst, dstOffset, length, mask, maskOffset);
                            assertArrayEquals(expected, java.util.Arrays.copyOfRange(dst, dstOffset, dstOffset + length));
                            assertEquals(position + length, src.position(), "source advanced by length");
                            assertEquals((maskOffset + length) & 3, next);
                            assertEquals(0, dst[dst.length - 1], "nothing written past the range");
                        }
                    }
                }
            }
        }
    }

    @Test
    void unmaskingPieceByPieceWithTheReturnedOffsetEqualsUnmaskingAtOnce() {
        Random random = new Random(99);
        byte[] data = new byte[1000];
        random.nextBytes(data);
        byte[] whole = data.clone();
        Masking.unmask(whole, 0, whole.length, 0xA1B2C3D4, 0);
        int maskOffset = 0;
        int position = 0;
        while (position < data.length) {
            int length = Math.min(random.nextInt(23), data.length - position);
            maskOffset = Masking.unmask(data, position, length, 0xA1B2C3D4, maskOffset);
            position += length;
        }
        assertArrayEquals(whole, data);
    }

    @Test
    void rejectsBadArguments() {
        byte[] data = new byte[8];
        assertThrows(IllegalArgumentException.class, () -> Masking.unmask(data, 0, 4, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Masking.unmask(data, 0, -1, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.unmask(data, 5, 4, 1, 0));
        assertThrows(java.nio.BufferUnderflowException.class,
                () -> Masking.unmask(ByteBuffer.allocate(3), data, 0, 4, 1, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Masking.unmask(ByteBuffer.allocate(8), data, 6, 4, 1, 0));
    }

    private static ByteBuffer[] buffersHolding(byte[] source, int position) {
        ByteBuffer heap = ByteBuffer.wrap(source.clone()).position(position);
        byte[] padded = new byte[source.length + 3];
        System.arraycopy(source, 0, padded, 3, source.length);
        ByteBuffer offsetHeap = ByteBuffer.wrap(padded, 3, source.length).slice().position(position);
        ByteBuffer direct = ByteBuffer.allocateDirect(source.length).put(source).position(position);
        ByteBuffer littleEndian = ByteBuffer.allocateDirect(source.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(source).position(position);
        ByteBuffer readOnly = ByteBuffer.wrap(source.clone()).asReadOnlyBuffer().position(position);
        return new ByteBuffer[] {heap, offsetHeap, direct, littleEndian, readOnly};
    }
}
