package io.wsreactor.handshake;

import static io.wsreactor.handshake.ProxyHeaders.ascii;
import static io.wsreactor.handshake.ProxyHeaders.concat;
import static io.wsreactor.handshake.ProxyHeaders.inet6Block;
import static io.wsreactor.handshake.ProxyHeaders.inetBlock;
import static io.wsreactor.handshake.ProxyHeaders.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid headers, fed in random pieces: the parser either gives a header, asks for more,
 * or throws its own exception, and never takes more than its bound. A failure prints the seed and the input.
 */
class ProxyProtocolFuzzTest {
    private static final long SEED = 0x5EED_16L;
    private static final int CASES = 20_000;
    private static final int MAX = ProxyProtocolParser.MIN_MAX_BYTES;
    private static final byte[] REQUEST = ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    private static final List<byte[]> VALID = List.of(
            ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n"),
            ascii("PROXY TCP6 2001:db8::1 ::ffff:192.0.2.9 1 65535\r\n"),
            ascii("PROXY UNKNOWN\r\n"),
            v2(0x21, 0x11, inetBlock(new byte[0])),
            v2(0x21, 0x11, inetBlock(new byte[] {0x04, 0x00, 0x02, 'h', 'i'})),
            v2(0x21, 0x21, inet6Block()),
            v2(0x20, 0x00, new byte[0]),
            v2(0x21, 0x31, new byte[216]));

    @Test
    void mutatedHeadersGiveAHeaderOrTheParsersOwnExceptionWithinTheBound() {
        Random random = new Random(SEED);
        int[] outcomes = new int[4];
        for (int n = 0; n < CASES; n++) {
            byte[] input = mutate(random, concat(VALID.get(random.nextInt(VALID.size())), REQUEST));
            boolean required = random.nextBoolean();
            try {
                outcomes[feed(random, input, required)]++;
            } catch (AssertionError | RuntimeException e) {
                fail("case " + n + " (seed " + SEED + ", required " + required + ") input "
                        + HexFormat.of().formatHex(input), e);
            }
        }
        // the mutations reach every outcome, so the properties above were checked on each
        assertTrue(Arrays.stream(outcomes).allMatch(count -> count > 0), Arrays.toString(outcomes));
    }

    @Test
    void validHeadersGiveTheSameHeaderWhateverTheSplit() throws Exception {
        Random random = new Random(SEED);
        for (byte[] valid : VALID) {
            ProxyHeader whole = new ProxyProtocolParser(true, MAX).parse(ByteBuffer.wrap(concat(valid, REQUEST)));
            for (int n = 0; n < 200; n++) {
                ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
                byte[] input = concat(valid, REQUEST);
                ProxyHeader header = null;
                int at = 0;
                while (header == null) {
                    int size = 1 + random.nextInt(Math.min(20, input.length - at));
                    ByteBuffer piece = ByteBuffer.wrap(input, at, size);
                    header = parser.parse(piece);
                    at = header == null ? at + size : piece.position();
                }
                assertEquals(whole, header);
                assertEquals(valid.length, at);
            }
        }
    }

    /** Feeds {@code input} in random pieces: 0 rejected, 1 no header, 2 a header, 3 still needs more at its end. */
    private static int feed(Random random, byte[] input, boolean required) {
        ProxyProtocolParser parser = new ProxyProtocolParser(required, MAX);
        int taken = 0;
        int at = 0;
        while (at < input.length) {
            int size = 1 + random.nextInt(Math.min(64, input.length - at));
            ByteBuffer piece = ByteBuffer.wrap(input, at, size);
            ProxyHeader header;
            try {
                header = parser.parse(piece);
            } catch (ProxyProtocolException expected) {
                assertTrue(taken + piece.position() - at <= MAX, "took more than the bound before failing");
                return 0;
            }
            int consumed = piece.position() - at;
            taken += consumed;
            assertTrue(taken <= MAX, "took " + taken + " bytes, more than the bound " + MAX);
            if (header == ProxyHeader.NONE) {
                assertEquals(0, consumed, "NONE leaves the buffer where it was");
                assertTrue(!required, "NONE from a parser that requires a header");
                return 1;
            }
            if (header != null) {
                assertTrue(header.isPresent());
                return 2;
            }
            assertEquals(size, consumed, "null must consume the whole piece");
            at += size;
        }
        return 3;
    }

    private static byte[] mutate(Random random, byte[] bytes) {
        byte[] out = bytes;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> { // insert a byte
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) " :.\r\n0123456789abcdefPROXY".charAt(random.nextInt(26));
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
                case 3 -> { // delete a byte
                    if (out.length > 1) {
                        byte[] shorter = new byte[out.length - 1];
                        System.arraycopy(out, 0, shorter, 0, at);
                        System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                        out = shorter;
                    }
                }
                case 4 -> out = Arrays.copyOf(out, 1 + random.nextInt(out.length)); // truncate
                default -> { // a v2 length field anywhere from 0 to 0xFFFF
                    if (out.length > 15) {
                        out[14] = (byte) random.nextInt(256);
                        out[15] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return out;
    }
}
