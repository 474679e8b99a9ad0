package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadPatternTest {
    private final PayloadPattern pattern = new PayloadPattern(64, new SplittableRandom(1));

    @Test
    void acceptsTheExactPayloadOfItsSequenceNumber() {
        byte[] payload = new byte[70];
        pattern.fill(payload, 3, 123_456);
        assertNull(pattern.verify(payload, 3, 64, 123_456));
    }

    @Test
    void detectsOneCorruptedByteAnywhere() {
        for (int at = 0; at < 64; at++) {
            byte[] payload = new byte[64];
            pattern.fill(payload, 0, 9);
            payload[at] ^= 0x20;
            assertNotNull(pattern.verify(payload, 0, 64, 9), "corruption at " + at);
        }
    }

    @Test
    void detectsAnEchoOfAnotherMessage() {
        byte[] payload = new byte[64];
        pattern.fill(payload, 0, 10);
        assertTrue(pattern.verify(payload, 0, 64, 11).contains("sequence"));
    }

    @Test
    void detectsATruncatedEcho() {
        byte[] payload = new byte[64];
        pattern.fill(payload, 0, 1);
        assertNotNull(pattern.verify(payload, 0, 63, 1));
    }

    @Test
    void textPayloadsAreValidUtf8() {
        byte[] payload = new byte[64];
        pattern.fill(payload, 0, Long.MAX_VALUE);
        String text = new String(payload, StandardCharsets.UTF_8);
        assertTrue(text.chars().allMatch(c -> c < 128));
    }
}
