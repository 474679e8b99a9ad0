package io.wsreactor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The messages fan-out tests publish: message {@code k} of a pattern whose sizes cover every header length. */
final class FanoutMessages {
    private static final int[] SIZES = {0, 1, 64, 125, 126, 500, 1500, 4000, 65_535, 65_536, 70_000};

    private FanoutMessages() {
    }

    /** Message {@code k}, at most {@code maxSize} bytes (sizes above it are left out of the cycle). */
    static byte[] message(int k, int maxSize) {
        int[] sizes = Arrays.stream(SIZES).filter(size -> size <= maxSize).toArray();
        byte[] payload = new byte[sizes[k % sizes.length]];
        for (int j = 0; j < payload.length; j++) {
            payload[j] = (byte) (k * 131 + j * 7 + 1);
        }
        return payload;
    }

    /** A small message tagged with a source and a sequence number, for order checks. */
    static byte[] tagged(int source, int sequence, int padding) {
        return ByteBuffer.allocate(8 + padding).putInt(source).putInt(sequence).array();
    }

    static int source(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt(0);
    }

    static int sequence(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt(4);
    }
}
