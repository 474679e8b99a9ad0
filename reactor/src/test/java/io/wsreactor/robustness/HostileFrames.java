package io.wsreactor.robustness;

import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random client frame streams for the fuzz test: well-formed frames (a server must accept them) mixed with each kind
 * of protocol violation a server must reject. Every frame is whole (its payload matches its length field) except a
 * length over the limit, which is sent as a header alone: the server must refuse it on the header.
 */
final class HostileFrames {
    /** The bytes to send and a readable list of what they hold. */
    record Stream(byte[] bytes, List<String> kinds) {
        String description() {
            return kinds.toString();
        }
    }

    private HostileFrames() {
    }

    static Stream generate(Random random, int maxFrame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> kinds = new ArrayList<>();
        int frames = 1 + random.nextInt(8);
        for (int i = 0; i < frames; i++) {
            kinds.add(appendOne(out, random, maxFrame));
        }
        return new Stream(out.toByteArray(), kinds);
    }

    private static String appendOne(ByteArrayOutputStream out, Random random, int maxFrame) {
        switch (random.nextInt(24)) {
            case 0, 1, 2 -> {
                out.writeBytes(masked(0x81, utf8Text(random, random.nextInt(300)), random));
                return "text";
            }
            case 3, 4 -> {
                out.writeBytes(masked(0x82, HostileRequests.randomBytes(random, random.nextInt(3000)), random));
                return "binary";
            }
            case 5, 6 -> {
                // a fragmented text message with its UTF-8 split anywhere, empty fragments allowed
                byte[] text = utf8Text(random, 1 + random.nextInt(200));
                int parts = 1 + random.nextInt(5);
                int from = 0;
                for (int p = 0; p < parts; p++) {
                    int to = p == parts - 1 ? text.length : from + random.nextInt(text.length - from + 1);
                    int first = (p == 0 ? 0x1 : 0x0) | (p == parts - 1 ? 0x80 : 0);
                    out.writeBytes(masked(first, java.util.Arrays.copyOfRange(text, from, to), random));
                    from = to;
                }
                return "fragmented-text(" + parts + ")";
            }
            case 7 -> {
                out.writeBytes(masked(0x89, HostileRequests.randomBytes(random, random.nextInt(126)), random));
                return "ping";
            }
            case 8 -> {
                out.writeBytes(masked(0x8A, HostileRequests.randomBytes(random, random.nextInt(126)), random));
                return "pong";
            }
            case 9 -> {
                byte[] payload = HostileRequests.randomBytes(random, random.nextInt(100));
                out.writeBytes(RawClient.frameBytes(0x82, payload, false, random));
                return "unmasked";
            }
            case 10 -> {
                out.writeBytes(masked(0x80 | (0x10 << random.nextInt(3)) | 0x2, new byte[random.nextInt(10)], random));
                return "rsv";
            }
            case 11 -> {
                int[] reserved = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
                out.writeBytes(masked(0x80 | reserved[random.nextInt(reserved.length)], new byte[3], random));
                return "reserved-opcode";
            }
            case 12 -> {
                out.writeBytes(masked(0x89, new byte[126 + random.nextInt(200)], random));
                return "long-control";
            }
            case 13 -> {
                out.writeBytes(masked(0x09, new byte[2], random));
                return "fragmented-control";
            }
            case 14 -> {
                out.writeBytes(masked(0x80, new byte[4], random));
                return "orphan-continuation";
            }
            case 15 -> {
                out.writeBytes(masked(0x01, bytes("open"), random));
                out.writeBytes(masked(0x81, bytes("nested"), random));
                return "message-inside-message";
            }
            case 16 -> {
                byte[] bad = {(byte) 0xC3, (byte) 0x28, 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF5};
                int at = random.nextInt(bad.length);
                out.writeBytes(masked(0x81, java.util.Arrays.copyOfRange(bad, at, bad.length), random));
                return "invalid-utf8";
            }
            case 17 -> {
                // bad UTF-8 split across fragments: a lead byte, then a non-continuation byte
                out.writeBytes(masked(0x01, new byte[] {'x', (byte) 0xE2, (byte) 0x82}, random));
                out.writeBytes(masked(0x80, new byte[] {'y'}, random));
                return "invalid-utf8-split";
            }
            case 18 -> {
                int[] codes = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535};
                out.writeBytes(masked(0x88, RawClient.closePayload(codes[random.nextInt(codes.length)], ""), random));
                return "close-bad-code";
            }
            case 19 -> {
                out.writeBytes(masked(0x88, new byte[] {3}, random));
                return "close-one-byte";
            }
            case 20 -> {
                byte[] payload = {0x03, (byte) 0xE8, (byte) 0xFF, (byte) 0xFE};
                out.writeBytes(masked(0x88, payload, random));
                return "close-bad-utf8-reason";
            }
            case 21 -> {
                // length over the limit (or with the 64-bit length's top bit set): header only
                out.write(0x82);
                out.write(0x80 | 127);
                long length = random.nextBoolean() ? maxFrame + 1 + random.nextInt(1 << 20) : Long.MIN_VALUE + 5;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (length >>> shift));
                }
                out.writeBytes(new byte[4]);
                return "too-long";
            }
            case 22 -> {
                // a 5-byte payload with a 16-bit length: not the minimal encoding
                out.write(0x82);
                out.write(0x80 | 126);
                out.write(0);
                out.write(5);
                out.writeBytes(new byte[4]);
                out.writeBytes(new byte[5]);
                return "non-minimal-length";
            }
            default -> {
                int[] codes = {1000, 1001, 3000, 4999};
                out.writeBytes(masked(0x88, RawClient.closePayload(codes[random.nextInt(codes.length)], "é"), random));
                return "close";
            }
        }
    }

    private static byte[] masked(int firstByte, byte[] payload, Random random) {
        return RawClient.frameBytes(firstByte, payload, true, random);
    }

    /** Valid UTF-8 of about {@code length} code points, with 1- to 4-byte sequences. */
    private static byte[] utf8Text(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> text.append((char) ('a' + random.nextInt(26)));
                case 1 -> text.append((char) (0xC0 + random.nextInt(0x100)));
                case 2 -> text.append((char) (0x4E00 + random.nextInt(0x1000)));
                default -> text.appendCodePoint(0x1F600 + random.nextInt(0x40));
            }
        }
        return bytes(text.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
