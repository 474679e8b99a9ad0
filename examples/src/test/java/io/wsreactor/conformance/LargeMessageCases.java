package io.wsreactor.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autobahn group 9: large messages in one frame (64 KiB–16 MiB), a 4 MiB message in fragments of 64 B–4 MiB,
 * a 1 MiB message written in chops of 64 B–2 KiB, and 1000 small messages, each sent after the previous echo.
 * The server must accept messages of 16 MiB (the in-process server is started with that limit).
 */
final class LargeMessageCases {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private LargeMessageCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        int[] sizes = {64 * KIB, 256 * KIB, MIB, 4 * MIB, 8 * MIB, 16 * MIB};
        int[] fragmentSizes = {64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB};
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        int[] smallSizes = {0, 16, 64, 256, KIB, 4 * KIB};
        for (int kindIndex = 0; kindIndex < 2; kindIndex++) {
            int opcode = kindIndex == 0 ? WireFrame.TEXT : WireFrame.BINARY;
            String kind = kindIndex == 0 ? "text" : "binary";
            for (int i = 0; i < sizes.length; i++) {
                int size = sizes[i];
                cases.add(new ConformanceCase("9." + (1 + kindIndex) + "." + (i + 1), "Send " + kind
                        + " message of " + human(size) + " in one frame", "Echo of the message; clean close with normal code",
                        java.util.Map.of(), TIMEOUT, s -> {
                            byte[] payload = payload(opcode, size);
                            s.send(new WireFrame(true, 0, opcode, payload));
                            s.expectMessage(opcode, payload);
                            s.closeNormally();
                        }));
            }
            for (int i = 0; i < fragmentSizes.length; i++) {
                int fragment = fragmentSizes[i];
                cases.add(new ConformanceCase("9." + (3 + kindIndex) + "." + (i + 1), "Send " + kind
                        + " message of 4 MiB in fragments of " + human(fragment),
                        "Echo of the message; clean close with normal code", java.util.Map.of(), TIMEOUT, s -> {
                            byte[] payload = payload(opcode, 4 * MIB);
                            s.send(fragments(opcode, payload, fragment));
                            s.expectMessage(opcode, payload);
                            s.closeNormally();
                        }));
            }
            for (int i = 0; i < chops.length; i++) {
                int chop = chops[i];
                cases.add(new ConformanceCase("9." + (5 + kindIndex) + "." + (i + 1), "Send " + kind
                        + " message of 1 MiB in one frame, written in chops of " + chop + " octets",
                        "Echo of the message; clean close with normal code", java.util.Map.of(), TIMEOUT, s -> {
                            byte[] payload = payload(opcode, MIB);
                            s.sendChopped(chop, new WireFrame(true, 0, opcode, payload));
                            s.expectMessage(opcode, payload);
                            s.closeNormally();
                        }));
            }
            for (int i = 0; i < smallSizes.length; i++) {
                int size = smallSizes[i];
                cases.add(new ConformanceCase("9." + (7 + kindIndex) + "." + (i + 1), "Send 1000 " + kind
                        + " messages of " + human(size) + ", each after the echo of the one before",
                        "Each message echoed; clean close with normal code", java.util.Map.of(), TIMEOUT, s -> {
                            byte[] payload = payload(opcode, size);
                            for (int n = 0; n < 1000; n++) {
                                s.send(new WireFrame(true, 0, opcode, payload));
                                s.expectMessage(opcode, payload);
                            }
                            s.closeNormally();
                        }));
            }
        }
        addLimitCases(cases);
        return cases;
    }

    /**
     * 9.9 (wsreactor addition): past the server's message limit ({@code -Dws.max.message}, default 16 MiB, the
     * in-process server's limit) the connection fails with 1009 as soon as a frame header announces too much; the
     * payload is never sent.
     */
    private static void addLimitCases(List<ConformanceCase> cases) {
        long limit = Long.getLong("ws.max.message", 16L * MIB);
        String fail = "The connection is failed with 1009/message too big as soon as the header arrives";
        cases.add(ConformanceCase.of("9.9.1", "Send only the header of a binary frame of limit + 1 bytes (limit "
                + limit + ", wsreactor addition)", fail, s -> {
                    s.sendHeaderOnly(false, WireFrame.BINARY, true, limit + 1);
                    s.expectFailure(1009);
                }));
        long half = limit / 2 + 1;
        cases.add(new ConformanceCase("9.9.2", "Send a text fragment of limit/2 + 1 bytes, then only the header of a "
                + "continuation of limit/2 + 1 more (limit " + limit + ", wsreactor addition)", fail, java.util.Map.of(),
                Duration.ofSeconds(30), s -> {
                    byte[] first = payload(WireFrame.TEXT, (int) half);
                    s.send(new WireFrame(false, 0, WireFrame.TEXT, first));
                    s.sendHeaderOnly(false, WireFrame.CONTINUATION, true, half);
                    s.expectFailure(1009);
                }));
    }

    /** A text payload of printable ASCII with some two-byte characters, or binary bytes of every value. */
    static byte[] payload(int opcode, int size) {
        byte[] payload = new byte[size];
        if (opcode == WireFrame.TEXT) {
            Arrays.fill(payload, (byte) 'A');
            for (int i = 0; i + 1 < size; i += 101) {
                payload[i] = (byte) 0xC3; // "é": a two-byte code point every 101 bytes
                payload[i + 1] = (byte) 0xA9;
            }
        } else {
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (i * 31 + 7);
            }
        }
        return payload;
    }

    static WireFrame[] fragments(int opcode, byte[] payload, int size) {
        int count = Math.max(1, (payload.length + size - 1) / size);
        WireFrame[] frames = new WireFrame[count];
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(payload, i * size, Math.min(payload.length, (i + 1) * size));
            frames[i] = new WireFrame(i == count - 1, 0, i == 0 ? opcode : WireFrame.CONTINUATION, part);
        }
        return frames;
    }

    static String human(int size) {
        if (size >= MIB && size % MIB == 0) {
            return size / MIB + " MiB";
        }
        if (size >= KIB && size % KIB == 0) {
            return size / KIB + " KiB";
        }
        return size + " B";
    }
}
