package io.wsreactor.conformance;

/**
 * The suite's own strict UTF-8 checker (RFC 3629), written independently of the server's validator so that it can
 * judge it. It answers where a streaming validator must first notice that a byte sequence cannot be UTF-8.
 */
final class Utf8Oracle {
    /** Returned by {@link #firstInvalidByte} when the whole sequence is valid UTF-8. */
    static final int VALID = -1;

    private Utf8Oracle() {
    }

    /**
     * The index of the first byte at which no valid continuation exists any more, {@link #VALID} when the bytes are
     * complete valid UTF-8, or {@code bytes.length} when they are a valid prefix cut inside a code point (so the
     * error only shows at the end of the message).
     */
    static int firstInvalidByte(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                if (lead == 0xE0) {
                    secondMin = 0xA0; // below is overlong
                } else if (lead == 0xED) {
                    secondMax = 0x9F; // above are UTF-16 surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                if (lead == 0xF0) {
                    secondMin = 0x90; // below is overlong
                } else if (lead == 0xF4) {
                    secondMax = 0x8F; // above is beyond U+10FFFF
                }
            } else {
                return i; // 0x80-0xC1 and 0xF5-0xFF never start a code point
            }
            for (int k = 1; k < length; k++) {
                if (i + k >= bytes.length) {
                    return bytes.length;
                }
                int b = bytes[i + k] & 0xFF;
                int min = k == 1 ? secondMin : 0x80;
                int max = k == 1 ? secondMax : 0xBF;
                if (b < min || b > max) {
                    return i + k;
                }
            }
            i += length;
        }
        return VALID;
    }

    /** Whether {@code bytes} are complete, valid UTF-8. */
    static boolean isValid(byte[] bytes) {
        return firstInvalidByte(bytes) == VALID;
    }
}
