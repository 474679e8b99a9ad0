package io.wsreactor.frame;

import static io.wsreactor.frame.ClientFrames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    /** Hand-picked invalid input and the index of the first byte that proves it invalid. */
    @ParameterizedTest(name = "{0} is invalid at byte {1}")
    @CsvSource({
        "80, 0",                 // lone continuation byte
        "bf, 0",
        "c0 80, 0",              // overlong NUL, two bytes
        "c1 bf, 0",              // overlong, two bytes
        "e0 80 80, 1",           // overlong, three bytes
        "e0 9f bf, 1",           // overlong U+07FF
        "f0 80 80 80, 1",        // overlong, four bytes
        "f0 8f bf bf, 1",        // overlong U+FFFF
        "ed a0 80, 1",           // surrogate U+D800
        "ed bf bf, 1",           // surrogate U+DFFF
        "f4 90 80 80, 1",        // U+110000, above the Unicode range
        "f5 80 80 80, 0",        // lead byte for above U+10FFFF
        "ff, 0",
        "fe, 0",
        "41 42 c3 41, 3",        // lead byte followed by ASCII
        "e2 82 41, 2",           // three-byte sequence cut short by ASCII
        "f0 9f 98 41, 3",        // four-byte sequence cut short by ASCII
        "61 62 63 64 65 66 67 68 69 6a 80, 10", // after an eight-byte ASCII run
        "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64, 12",
    })
    void findsTheFirstInvalidByte(String bytes, int invalidAt) {
        byte[] data = hex(bytes);
        Utf8Validator validator = new Utf8Validator();
        assertEquals(invalidAt, validator.validate(data, 0, data.length));
        assertTrue(validator.isFailed());
        assertFalse(validator.isComplete());
        assertFalse(Utf8Validator.isValid(data, 0, data.length));
        assertEquals(invalidAt, splitAnywhere(data), "same index when fed in pieces");
    }

    @ParameterizedTest(name = "{0} is incomplete")
    @CsvSource({"c3", "e2 82", "e2", "f0 9f 98", "f0 9f", "f4 8f bf", "41 42 43 44 45 46 47 48 e2 82"})
    void truncatedSequenceIsValidSoFarButNotComplete(String bytes) {
        byte[] data = hex(bytes);
        Utf8Validator validator = new Utf8Validator();
        assertEquals(-1, validator.validate(data, 0, data.length));
        assertFalse(validator.isComplete());
        assertFalse(validator.isFailed());
        assertFalse(Utf8Validator.isValid(data, 0, data.length));
    }

    @Test
    void acceptsTheEdgesOfEveryRange() {
        String text = "\u0000\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff κόσμε 😀 ascii";
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8Validator.isValid(data, 0, data.length));
        for (int split = 0; split <= data.length; split++) {
            Utf8Validator validator = new Utf8Validator();
            assertEquals(-1, validator.validate(data, 0, split));
            assertEquals(-1, validator.validate(data, split, data.length - split));
            assertTrue(validator.isComplete(), "split at " + split);
        }
    }

    @Test
    void indexIsAbsoluteWithinTheArray() {
        byte[] data = hex("ff ff 41 42 c0 80 ff");
        assertEquals(4, new Utf8Validator().validate(data, 2, 4));
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator validator = new Utf8Validator();
        byte[] bad = hex("41 ff");
        assertEquals(1, validator.validate(bad, 0, 2));
        byte[] good = hex("41 42");
        assertTrue(validator.validate(good, 0, 2) >= 0);
        assertTrue(validator.isFailed());
        validator.reset();
        assertEquals(-1, validator.validate(good, 0, 2));
        assertTrue(validator.isComplete());
    }

    @Test
    void validityMatchesTheJdkDecoderOnRandomBytes() {
        Random random = new Random(3629);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(12)];
            random.nextBytes(data);
            checkAgainstJdk(data);
        }
    }

    @Test
    void validityAndFirstInvalidIndexMatchTheJdkDecoderOnMostlyValidText() {
        Random random = new Random(2279);
        for (int i = 0; i < 3_000; i++) {
            byte[] data = randomText(random, random.nextInt(60)).getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean() && data.length > 0) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0 && data.length > 0) {
                data = Arrays.copyOf(data, random.nextInt(data.length));
            }
            checkAgainstJdk(data);
        }
    }

    /** Checks validity against the JDK, and the reported index against the definition of "first invalid byte". */
    private static void checkAgainstJdk(byte[] data) {
        boolean jdkValid = jdkValid(data, data.length);
        assertEquals(jdkValid, Utf8Validator.isValid(data, 0, data.length), () -> Arrays.toString(data));
        Utf8Validator validator = new Utf8Validator();
        int invalidAt = validator.validate(data, 0, data.length);
        if (invalidAt < 0) {
            assertTrue(isValidPrefix(data, data.length), () -> "missed an error in " + Arrays.toString(data));
            assertEquals(jdkValid, validator.isComplete());
        } else {
            assertTrue(isValidPrefix(data, invalidAt), () -> "too early in " + Arrays.toString(data));
            assertFalse(isValidPrefix(data, invalidAt + 1), () -> "too late in " + Arrays.toString(data));
        }
        assertEquals(invalidAt, splitAnywhere(data));
    }

    /** Whether the first {@code length} bytes of {@code data} can be completed to valid UTF-8 (by the JDK's rules). */
    private static boolean isValidPrefix(byte[] data, int length) {
        if (jdkValid(data, length)) {
            return true;
        }
        // Only the byte after a lead byte has a narrowed range, and every range is bounded by these values;
        // later continuation bytes may be any of 80-BF.
        byte[] candidate = Arrays.copyOf(data, length + 3);
        for (int next : new int[] {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF}) {
            candidate[length] = (byte) next;
            Arrays.fill(candidate, length + 1, length + 3, (byte) 0x80);
            for (int extra = 1; extra <= 3; extra++) {
                if (jdkValid(candidate, length + extra)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean jdkValid(byte[] data, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(data, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Validates in two pieces at every split, and one byte at a time; all must report the same index. */
    private static int splitAnywhere(byte[] data) {
        int whole = new Utf8Validator().validate(data, 0, data.length);
        for (int split = 0; split <= data.length; split++) {
            Utf8Validator validator = new Utf8Validator();
            int result = validator.validate(data, 0, split);
            if (result < 0) {
                result = validator.validate(data, split, data.length - split);
            }
            assertEquals(whole, result, "split at " + split);
        }
        Utf8Validator bytewise = new Utf8Validator();
        int result = -1;
        for (int i = 0; i < data.length && result < 0; i++) {
            result = bytewise.validate(data, i, 1);
        }
        assertEquals(whole, result, "one byte at a time");
        return whole;
    }

    /** Random text with code points of every encoded length, ASCII runs included. */
    static String randomText(Random random, int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int codePoint = switch (random.nextInt(5)) {
                case 0, 1 -> random.nextInt(0x80);
                case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 3 -> {
                    int c = 0x800 + random.nextInt(0x10000 - 0x800);
                    yield c >= 0xD800 && c <= 0xDFFF ? 'x' : c;
                }
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }
}
