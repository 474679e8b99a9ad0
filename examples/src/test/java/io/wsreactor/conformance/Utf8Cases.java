package io.wsreactor.conformance;

import static io.wsreactor.conformance.WireFrame.utf8;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autobahn group 6: UTF-8 in text messages. Valid text is echoed whatever its fragmentation; invalid text fails the
 * connection with 1007 as soon as the first invalid byte arrives. Besides Autobahn's cases, each invalid vector of
 * 6.5–6.23 is also sent as 1-octet fragments ({@code -frag}) and as one frame written a byte at a time
 * ({@code -tcp}); both stop right after the first invalid byte and wait for the close without sending the rest.
 * 6.24 and 6.25 (wsreactor additions) echo every scalar value of every plane.
 */
final class Utf8Cases {
    private static final byte[] HELLO = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
    private static final byte[] INVALID = concat(Utf8Vectors.KOSME, Utf8Vectors.hex("f4908080"), utf8("edited"));
    private static final String FAIL_FAST = "The connection is failed with 1007 as soon as the invalid byte arrives, "
            + "without waiting for the rest of the frame or message";

    /** Fail-fast cases wait for a close that must follow a few bytes at once; 5 s is generous on localhost. */
    private static final Duration FAIL_FAST_TIMEOUT = Duration.ofSeconds(5);

    private Utf8Cases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        cases.add(echo("6.1.1", "Send text message of length 0", new WireFrame[] {WireFrame.text("")}, new byte[0]));
        cases.add(echo("6.1.2", "Send fragmented text message, 3 fragments each of length 0",
                new WireFrame[] {WireFrame.text(new byte[0], false), WireFrame.continuation(new byte[0], false),
                    WireFrame.continuation(new byte[0], true)}, new byte[0]));
        cases.add(echo("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty",
                new WireFrame[] {WireFrame.text(new byte[0], false), WireFrame.continuation(utf8("middle frame payload"), false),
                    WireFrame.continuation(new byte[0], true)}, utf8("middle frame payload")));
        cases.add(echo("6.2.1", "Send a valid UTF-8 text message in one fragment", new WireFrame[] {WireFrame.text(HELLO, true)}, HELLO));
        int boundary = 8; // "Hello-µ" is 8 bytes: a code point boundary
        cases.add(echo("6.2.2", "Send a valid UTF-8 text message in two fragments, fragmented on a code point boundary",
                new WireFrame[] {WireFrame.text(Arrays.copyOf(HELLO, boundary), false),
                    WireFrame.continuation(Arrays.copyOfRange(HELLO, boundary, HELLO.length), true)}, HELLO));
        cases.add(echo("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, splitting code points",
                fragments(HELLO, 1), HELLO));
        cases.add(echo("6.2.4", "Send the valid UTF-8 text message \u03ba\u1f79\u03c3\u03bc\u03b5 in fragments of 1 octet",
                fragments(Utf8Vectors.KOSME, 1), Utf8Vectors.KOSME));
        cases.add(ConformanceCase.of("6.3.1", "Send invalid UTF-8 text message unfragmented, payload "
                + WireFrame.preview(INVALID), "The connection is failed with 1007", s -> {
                    s.send(WireFrame.text(INVALID, true));
                    s.expectFailure(1007);
                }));
        cases.add(ConformanceCase.of("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet",
                "The connection is failed with 1007", s -> {
                    s.send(fragments(INVALID, 1));
                    s.expectFailure(1007);
                }));
        addFailFast(cases);
        for (Utf8Vectors.Section section : Utf8Vectors.sections()) {
            List<byte[]> payloads = section.payloads();
            for (int i = 0; i < payloads.size(); i++) {
                String id = "6." + section.number() + "." + (i + 1);
                byte[] payload = payloads.get(i);
                if (Utf8Oracle.isValid(payload)) {
                    cases.add(echo(id, section.title() + ": valid text message " + WireFrame.preview(payload),
                            new WireFrame[] {WireFrame.text(payload, true)}, payload));
                } else {
                    addInvalid(cases, id, section.title(), payload);
                }
            }
        }
        for (int plane = 0; plane <= 16; plane++) {
            byte[] text = Utf8Vectors.wholePlane(plane);
            cases.add(echo("6.24." + (plane + 1), "Send every scalar value of plane " + plane + " in one text message"
                    + " (wsreactor addition)", new WireFrame[] {WireFrame.text(text, true)}, text));
        }
        ByteArrayOutputStream everything = new ByteArrayOutputStream();
        for (int plane = 0; plane <= 16; plane++) {
            everything.writeBytes(Utf8Vectors.wholePlane(plane));
        }
        byte[] all = everything.toByteArray();
        cases.add(echo("6.25.1", "Send every scalar value of all planes in one text message of " + all.length
                + " bytes, in 1001-octet fragments splitting code points (wsreactor addition)", fragments(all, 1001), all)
                .withTimeout(Duration.ofSeconds(60)));
        return cases;
    }

    private static void addFailFast(List<ConformanceCase> cases) {
        byte[] part1 = Utf8Vectors.KOSME;
        byte[] part2 = Utf8Vectors.hex("f4908080");
        cases.add(ConformanceCase.of("6.4.1", "Send a text message in fragments: first " + WireFrame.preview(part1)
                + ", pause, then " + WireFrame.preview(part2) + " (U+110000, out of range); the third fragment is never sent",
                FAIL_FAST, s -> {
                    s.send(WireFrame.text(part1, false));
                    s.pause(300);
                    s.send(WireFrame.continuation(part2, false));
                    s.expectFailure(1007);
                }).withTimeout(FAIL_FAST_TIMEOUT));
        byte[] withLead = concat(part1, new byte[] {(byte) 0xF4});
        cases.add(ConformanceCase.of("6.4.2", "Send a text message in fragments: first " + WireFrame.preview(withLead)
                + ", pause, then the single octet 0x90 that makes it invalid; the rest is never sent",
                FAIL_FAST, s -> {
                    s.send(WireFrame.text(withLead, false));
                    s.pause(300);
                    s.send(WireFrame.continuation(new byte[] {(byte) 0x90}, false));
                    s.expectFailure(1007);
                }).withTimeout(FAIL_FAST_TIMEOUT));
        WireFrame whole = WireFrame.text(INVALID, true);
        cases.add(ConformanceCase.of("6.4.3", "Send one text frame of " + INVALID.length + " bytes in TCP writes: header and "
                + WireFrame.preview(part1) + ", pause, then " + WireFrame.preview(part2) + "; the rest is never sent",
                FAIL_FAST, s -> {
                    s.sendPrefix(whole, part1.length);
                    s.pause(300);
                    s.sendSuffix(whole, part1.length, part1.length + part2.length);
                    s.expectFailure(1007);
                }).withTimeout(FAIL_FAST_TIMEOUT));
        cases.add(ConformanceCase.of("6.4.4", "Send one text frame of " + INVALID.length + " bytes in TCP writes: header and "
                + WireFrame.preview(withLead) + ", pause, then the single octet 0x90; the rest is never sent",
                FAIL_FAST, s -> {
                    s.sendPrefix(whole, withLead.length);
                    s.pause(300);
                    s.sendSuffix(whole, withLead.length, withLead.length + 1);
                    s.expectFailure(1007);
                }).withTimeout(FAIL_FAST_TIMEOUT));
    }

    private static void addInvalid(List<ConformanceCase> cases, String id, String title, byte[] payload) {
        int bad = Utf8Oracle.firstInvalidByte(payload);
        boolean atEnd = bad == payload.length;
        cases.add(ConformanceCase.of(id, title + ": invalid text message " + WireFrame.preview(payload),
                "The connection is failed with 1007", s -> {
                    s.send(WireFrame.text(payload, true));
                    s.expectFailure(1007);
                }));
        int sentFragments = atEnd ? payload.length : bad + 1;
        WireFrame[] frames = Arrays.copyOf(fragments(payload, 1), sentFragments);
        cases.add(ConformanceCase.of(id + "-frag", title + ": the same payload in 1-octet fragments, "
                + (atEnd ? "all of them (it is only invalid where it ends)" : "only up to the first invalid octet (index " + bad + ")"),
                atEnd ? "The connection is failed with 1007 when the final fragment ends inside a code point" : FAIL_FAST, s -> {
                    s.send(frames);
                    s.expectFailure(1007);
                }).withTimeout(FAIL_FAST_TIMEOUT));
        WireFrame frame = WireFrame.text(payload, true);
        cases.add(ConformanceCase.of(id + "-tcp", title + ": the same payload in one frame written an octet at a time, "
                + (atEnd ? "all of it" : "only up to the first invalid octet (index " + bad + ")"),
                atEnd ? "The connection is failed with 1007 when the frame ends inside a code point" : FAIL_FAST, s -> {
                    s.sendPrefix(frame, 0);
                    for (int i = 0; i < sentFragments; i++) {
                        s.sendSuffix(frame, i, i + 1);
                    }
                    s.expectFailure(1007);
                }).withTimeout(FAIL_FAST_TIMEOUT));
    }

    private static ConformanceCase echo(String id, String description, WireFrame[] frames, byte[] expected) {
        return ConformanceCase.of(id, description, "Echo of the text message; clean close with normal code", s -> {
            s.send(frames);
            s.expectMessage(WireFrame.TEXT, expected);
            s.closeNormally();
        });
    }

    /** {@code payload} as a text message in fragments of {@code size} bytes (at least one frame). */
    static WireFrame[] fragments(byte[] payload, int size) {
        int count = Math.max(1, (payload.length + size - 1) / size);
        WireFrame[] frames = new WireFrame[count];
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(payload, i * size, Math.min(payload.length, (i + 1) * size));
            boolean fin = i == count - 1;
            frames[i] = i == 0 ? WireFrame.text(part, fin) : WireFrame.continuation(part, fin);
        }
        return frames;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
