package io.wsreactor.conformance;

import static io.wsreactor.conformance.WireFrame.utf8;

import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn group 4: frames with reserved opcodes 3–7 (data) and 11–15 (control). Strict: a text message sent
 * before the bad frame is echoed first; then the connection fails with 1002 and the ping after it gets no pong.
 */
final class ReservedOpcodeCases {
    private ReservedOpcodeCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        addFor(cases, "4.1", new int[] {3, 4, 5, 6, 7}, "non-control");
        addFor(cases, "4.2", new int[] {11, 12, 13, 14, 15}, "control");
        return cases;
    }

    private static void addFor(List<ConformanceCase> cases, String prefix, int[] opcodes, String kind) {
        byte[] hello = utf8("Hello, world!");
        String fail = "The connection is failed with 1002/protocol error";
        int a = opcodes[0];
        cases.add(ConformanceCase.of(prefix + ".1", "Send frame with reserved " + kind + " opcode = " + a, fail, s -> {
            s.send(new WireFrame(true, 0, a, new byte[0]));
            s.expectFailure(1002);
        }));
        int b = opcodes[1];
        cases.add(ConformanceCase.of(prefix + ".2", "Send frame with reserved " + kind + " opcode = " + b
                + " and non-empty payload", fail, s -> {
            s.send(new WireFrame(true, 0, b, hello));
            s.expectFailure(1002);
        }));
        for (int i = 2; i < 5; i++) {
            int opcode = opcodes[i];
            boolean withPayload = i > 2;
            cases.add(ConformanceCase.of(prefix + "." + (i + 1), "Send small text message, then frame with reserved "
                    + kind + " opcode = " + opcode + (withPayload ? " and non-empty payload" : "") + ", then ping",
                    "Echo of the text message, then the connection is failed with 1002/protocol error; no pong",
                    s -> {
                        s.send(WireFrame.text("Hello, world!"), new WireFrame(true, 0, opcode, withPayload ? hello : new byte[0]),
                                WireFrame.ping(utf8("ping")));
                        s.expectMessage(WireFrame.TEXT, hello);
                        s.expectFailure(1002);
                    }));
        }
    }
}
