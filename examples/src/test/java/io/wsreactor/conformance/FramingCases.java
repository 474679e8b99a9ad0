package io.wsreactor.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Autobahn group 1: text and binary messages of the lengths around each length-encoding boundary. */
final class FramingCases {
    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    private FramingCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        addFor(cases, "1.1", WireFrame.TEXT, "text");
        addFor(cases, "1.2", WireFrame.BINARY, "binary");
        return cases;
    }

    private static void addFor(List<ConformanceCase> cases, String prefix, int opcode, String kind) {
        for (int i = 0; i < LENGTHS.length; i++) {
            int length = LENGTHS[i];
            byte[] payload = payload(opcode, length);
            cases.add(ConformanceCase.of(prefix + "." + (i + 1),
                    "Send " + kind + " message with payload of length " + length,
                    "Receive the echo of the " + kind + " message; clean close with normal code",
                    s -> {
                        s.send(new WireFrame(true, 0, opcode, payload));
                        s.expectMessage(opcode, payload);
                        s.closeNormally();
                    }));
        }
        byte[] payload = payload(opcode, 65536);
        cases.add(ConformanceCase.of(prefix + ".8",
                "Send " + kind + " message with payload of length 65536, written in chops of 997 octets",
                "Receive the echo of the " + kind + " message; clean close with normal code",
                s -> {
                    s.sendChopped(997, new WireFrame(true, 0, opcode, payload));
                    s.expectMessage(opcode, payload);
                    s.closeNormally();
                }));
    }

    private static byte[] payload(int opcode, int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, opcode == WireFrame.TEXT ? (byte) '*' : (byte) 0xFE);
        return payload;
    }
}
