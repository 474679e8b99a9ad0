package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClientFramesTest {
    @Test
    void maskMatchesTheByteLoopAtEveryLengthAndOffset() {
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length < 40; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] data = new byte[offset + length + 3];
                random.nextBytes(data);
                byte[] expected = data.clone();
                int mask = random.nextInt();
                for (int i = 0; i < length; i++) {
                    expected[offset + i] ^= (byte) (mask >>> (24 - 8 * (i % 4)));
                }
                ClientFrames.mask(data, offset, length, mask);
                assertArrayEquals(expected, data, "length " + length + " offset " + offset);
            }
        }
    }

    @Test
    void maskingTwiceRestoresThePayload() {
        byte[] data = new byte[1001];
        new SplittableRandom(3).nextBytes(data);
        byte[] original = data.clone();
        ClientFrames.mask(data, 0, data.length, 0xCAFEBABE);
        ClientFrames.mask(data, 0, data.length, 0xCAFEBABE);
        assertArrayEquals(original, data);
    }

    @Test
    void headerUsesTheShortestLengthEncoding() {
        assertEquals(2 + 4 + 125, ClientFrames.maskedFrameLength(125));
        assertEquals(4 + 4 + 126, ClientFrames.maskedFrameLength(126));
        assertEquals(4 + 4 + 65535, ClientFrames.maskedFrameLength(65535));
        assertEquals(10 + 4 + 65536, ClientFrames.maskedFrameLength(65536));
    }

    @Test
    void writesFinOpcodeMaskBitLengthAndKey() {
        byte[] frame = new byte[14];
        int payloadAt = ClientFrames.writeMaskedHeader(frame, 0, ClientFrames.BINARY, 300, 0x01020304);
        assertEquals(8, payloadAt);
        assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0xFE, 0x01, 0x2C, 1, 2, 3, 4},
                java.util.Arrays.copyOf(frame, 8));
    }
}
