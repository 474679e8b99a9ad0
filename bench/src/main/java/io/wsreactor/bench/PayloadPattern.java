package io.wsreactor.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The payloads the load generator sends, and the check of their echoes. Every message of a run is the same random
 * pattern of {@code size} bytes (ASCII letters, so text messages are valid UTF-8) with its sequence number written in
 * hex over the first 16 bytes; an echo is right only if every byte matches what was sent for that sequence number,
 * so a lost, reordered, duplicated or corrupted message is caught.
 *
 * <p>Immutable after construction; safe to share.
 */
public final class PayloadPattern {
    private static final int STAMP_LENGTH = 16;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] pattern;
    private final int stampLength;

    /** A pattern of {@code size} bytes drawn from {@code random}. */
    public PayloadPattern(int size, SplittableRandom random) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        pattern = new byte[size];
        for (int i = 0; i < size; i++) {
            pattern[i] = (byte) ('a' + random.nextInt(26));
        }
        stampLength = Math.min(STAMP_LENGTH, size);
    }

    /** The payload length in bytes. */
    public int size() {
        return pattern.length;
    }

    /** Writes the payload of message {@code sequence} into {@code dst} at {@code offset}. */
    public void fill(byte[] dst, int offset, long sequence) {
        System.arraycopy(pattern, 0, dst, offset, pattern.length);
        for (int i = 0; i < stampLength; i++) {
            dst[offset + i] = HEX[(int) (sequence >>> (4 * (STAMP_LENGTH - 1 - i))) & 0xF];
        }
    }

    /**
     * Checks that {@code src[offset, offset + length)} is the payload of message {@code sequence}.
     *
     * @return null when it is, else what differs
     */
    public String verify(byte[] src, int offset, int length, long sequence) {
        if (length != pattern.length) {
            return "echo of message " + sequence + " has " + length + " bytes, sent " + pattern.length;
        }
        for (int i = 0; i < stampLength; i++) {
            if (src[offset + i] != HEX[(int) (sequence >>> (4 * (STAMP_LENGTH - 1 - i))) & 0xF]) {
                return "echo carries the wrong sequence number (expected message " + sequence + ")";
            }
        }
        if (!Arrays.equals(src, offset + stampLength, offset + length, pattern, stampLength, pattern.length)) {
            return "echo of message " + sequence + " differs from the payload sent";
        }
        return null;
    }
}
