package io.wsreactor.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental UTF-8 validator: a deterministic automaton (after Björn Höhrmann's) whose state survives
 * between calls, so a text message can be checked piece by piece as its bytes arrive and a bad byte is found
 * the moment it arrives, even when its sequence is split across frames or reads.
 *
 * <p>Valid means well-formed UTF-8 as in RFC 3629: no overlong forms, no surrogates (U+D800–U+DFFF), nothing
 * above U+10FFFF. Runs of ASCII are skipped 32 bytes, then eight bytes at a time.
 *
 * <p>Not thread-safe: one instance belongs to one decoder (one connection). The static {@link #isValid} may be
 * called from any thread.
 */
public final class Utf8Validator {
    private static final VarHandle LONG_NATIVE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** Between characters: the only state in which input may end. */
    private static final int ACCEPT = 0;
    /** Proven invalid; never left. */
    private static final int REJECT = 1;
    private static final int NEED_ONE = 2;
    private static final int NEED_TWO = 3;
    private static final int NEED_THREE = 4;
    /** After E0: the next byte must be A0–BF (else the form is overlong). */
    private static final int AFTER_E0 = 5;
    /** After ED: the next byte must be 80–9F (else a surrogate). */
    private static final int AFTER_ED = 6;
    /** After F0: the next byte must be 90–BF (else the form is overlong). */
    private static final int AFTER_F0 = 7;
    /** After F4: the next byte must be 80–8F (else above U+10FFFF). */
    private static final int AFTER_F4 = 8;
    private static final int STATE_COUNT = 9;

    /** The next state, indexed by {@code state << 8 | byte}. */
    private static final byte[] TRANSITIONS = buildTransitions();

    private int state = ACCEPT;

    /** Makes a validator at the start of a text, in the complete state. */
    public Utf8Validator() {
    }

    /**
     * Validates the next bytes of the text.
     *
     * @param data the array holding the bytes
     * @param offset the index of the first byte
     * @param length how many bytes
     * @return -1 while everything seen so far is valid UTF-8 (possibly ending in the middle of a sequence), else the
     *     index within {@code data} of the first byte proven invalid; once failed the validator stays failed and
     *     later calls return {@code offset}
     * @throws IndexOutOfBoundsException if the range lies outside {@code data}
     */
    public int validate(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        int s = state;
        if (s == REJECT) {
            return offset;
        }
        int i = offset;
        int end = offset + length;
        int longEnd = end - 7;
        int blockEnd = end - 31;
        while (i < end) {
            if (s == ACCEPT) {
                // Four words per test: one branch per 32 bytes keeps long ASCII runs near memory speed.
                while (i < blockEnd && (((long) LONG_NATIVE.get(data, i) | (long) LONG_NATIVE.get(data, i + 8)
                        | (long) LONG_NATIVE.get(data, i + 16) | (long) LONG_NATIVE.get(data, i + 24)) & HIGH_BITS) == 0) {
                    i += 32;
                }
                while (i < longEnd && ((long) LONG_NATIVE.get(data, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                // Step over single ASCII bytes too, so the table is used only inside multi-byte sequences.
                while (i < end && data[i] >= 0) {
                    i++;
                }
                if (i == end) {
                    break;
                }
            }
            s = TRANSITIONS[(s << 8) | (data[i] & 0xFF)];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /** Whether everything so far is valid and does not end in the middle of a multi-byte sequence. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Whether an invalid byte has been seen (since the last {@link #reset}). */
    public boolean isFailed() {
        return state == REJECT;
    }

    /** Forgets everything seen: the validator is again at the start of a text. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Whether the bytes are, as a whole, valid UTF-8 (not ending in the middle of a sequence).
     *
     * @throws IndexOutOfBoundsException if the range lies outside {@code data}
     */
    public static boolean isValid(byte[] data, int offset, int length) {
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(data, offset, length) < 0 && validator.isComplete();
    }

    private static byte[] buildTransitions() {
        byte[] table = new byte[STATE_COUNT << 8];
        Arrays.fill(table, (byte) REJECT);
        for (int b = 0; b < 256; b++) {
            table[(ACCEPT << 8) | b] = (byte) firstByteState(b);
            if (b >= 0x80 && b <= 0xBF) {
                table[(NEED_ONE << 8) | b] = ACCEPT;
                table[(NEED_TWO << 8) | b] = NEED_ONE;
                table[(NEED_THREE << 8) | b] = NEED_TWO;
            }
            if (b >= 0xA0 && b <= 0xBF) {
                table[(AFTER_E0 << 8) | b] = NEED_ONE;
            }
            if (b >= 0x80 && b <= 0x9F) {
                table[(AFTER_ED << 8) | b] = NEED_ONE;
            }
            if (b >= 0x90 && b <= 0xBF) {
                table[(AFTER_F0 << 8) | b] = NEED_TWO;
            }
            if (b >= 0x80 && b <= 0x8F) {
                table[(AFTER_F4 << 8) | b] = NEED_TWO;
            }
        }
        return table;
    }

    private static int firstByteState(int b) {
        if (b < 0x80) {
            return ACCEPT;
        } else if (b >= 0xC2 && b <= 0xDF) {
            return NEED_ONE;
        } else if (b == 0xE0) {
            return AFTER_E0;
        } else if (b == 0xED) {
            return AFTER_ED;
        } else if (b >= 0xE1 && b <= 0xEF) {
            return NEED_TWO;
        } else if (b == 0xF0) {
            return AFTER_F0;
        } else if (b >= 0xF1 && b <= 0xF3) {
            return NEED_THREE;
        } else if (b == 0xF4) {
            return AFTER_F4;
        }
        return REJECT; // 80-BF (continuation), C0-C1 (overlong), F5-FF (above U+10FFFF)
    }
}
