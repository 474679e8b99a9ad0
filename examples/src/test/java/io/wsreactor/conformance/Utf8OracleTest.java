package io.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pins the suite's own UTF-8 oracle: it is the judge of group 6, so it is checked against two other authorities. */
class Utf8OracleTest {

    @Test
    void agreesWithTheVerdictsOfEachAutobahnSection() {
        Set<Integer> allValid = Set.of(5, 7, 9, 22, 23);
        Set<Integer> allInvalid = Set.of(8, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21);
        for (Utf8Vectors.Section section : Utf8Vectors.sections()) {
            List<byte[]> payloads = section.payloads();
            for (int i = 0; i < payloads.size(); i++) {
                boolean valid = Utf8Oracle.isValid(payloads.get(i));
                String name = "6." + section.number() + "." + (i + 1);
                if (allValid.contains(section.number())) {
                    assertTrue(valid, name);
                } else if (allInvalid.contains(section.number())) {
                    assertFalse(valid, name);
                }
            }
        }
    }

    @Test
    void validPrefixesOfKosmeEndOnCodePointBoundaries() {
        Set<Integer> validLengths = Set.of(2, 5, 7, 9, 11);
        for (int length = 1; length <= Utf8Vectors.KOSME.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(Utf8Vectors.KOSME, length);
            assertEquals(validLengths.contains(length), Utf8Oracle.isValid(prefix), "prefix of " + length + " bytes");
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnEveryTwoAndThreeByteSequenceAndEveryFourByteLead() {
        for (int a = 0x80; a <= 0xFF; a++) {
            for (int b = 0; b <= 0xFF; b++) {
                check(new byte[] {(byte) a, (byte) b});
                for (int c : new int[] {0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}) {
                    check(new byte[] {(byte) a, (byte) b, (byte) c});
                    check(new byte[] {(byte) a, (byte) b, (byte) c, (byte) 0x80});
                }
            }
        }
    }

    @Test
    void reportsTheIndexOfTheFirstByteThatCannotContinue() {
        assertEquals(12, Utf8Oracle.firstInvalidByte(Utf8Vectors.hex("cebae1bdb9cf83cebcceb5f4908080")));
        assertEquals(0, Utf8Oracle.firstInvalidByte(Utf8Vectors.hex("c0af")));
        assertEquals(1, Utf8Oracle.firstInvalidByte(Utf8Vectors.hex("eda080")));
        assertEquals(1, Utf8Oracle.firstInvalidByte(Utf8Vectors.hex("e080af")));
        assertEquals(2, Utf8Oracle.firstInvalidByte(Utf8Vectors.hex("efbf")), "truncated: invalid only at the end");
        assertEquals(Utf8Oracle.VALID, Utf8Oracle.firstInvalidByte(Utf8Vectors.hex("f48fbfbf")));
    }

    private static void check(byte[] bytes) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, Utf8Oracle.isValid(bytes), () -> WireFrame.preview(bytes));
    }
}
