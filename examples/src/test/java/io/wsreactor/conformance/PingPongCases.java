package io.wsreactor.conformance;

import static io.wsreactor.conformance.WireFrame.utf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Autobahn group 2: pings answered with pongs carrying the same payload, the 125-byte limit, unsolicited pongs. */
final class PingPongCases {
    private PingPongCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        cases.add(pingCase("2.1", "Send ping without payload", new byte[0], false));
        cases.add(pingCase("2.2", "Send ping with small text payload", utf8("Hello, world!"), false));
        cases.add(pingCase("2.3", "Send ping with small binary (non UTF-8) payload",
                new byte[] {0x00, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD, (byte) 0xFC, (byte) 0xFB, 0x00, (byte) 0xFF}, false));
        cases.add(pingCase("2.4", "Send ping with binary payload of 125 octets", filled(125), false));
        byte[] tooLong = filled(126);
        cases.add(ConformanceCase.of("2.5", "Send ping with binary payload of 126 octets",
                "Connection is failed immediately (1002/protocol error), as control frames may carry at most 125 octets; no pong",
                s -> {
                    s.send(WireFrame.ping(tooLong));
                    s.expectFailure(1002);
                }));
        cases.add(pingCase("2.6", "Send ping with binary payload of 125 octets, written in octet-wise chops", filled(125), true));
        cases.add(ConformanceCase.of("2.7", "Send unsolicited pong without payload",
                "Nothing in reply; clean close with normal code",
                s -> {
                    s.send(WireFrame.pong(new byte[0]));
                    s.closeNormally();
                }));
        cases.add(ConformanceCase.of("2.8", "Send unsolicited pong with payload",
                "Nothing in reply; clean close with normal code",
                s -> {
                    s.send(WireFrame.pong(utf8("unsolicited pong payload")));
                    s.closeNormally();
                }));
        cases.add(ConformanceCase.of("2.9", "Send unsolicited pong with payload, then ping with payload",
                "A pong for the ping only; clean close with normal code",
                s -> {
                    s.send(WireFrame.pong(utf8("unsolicited pong payload")), WireFrame.ping(utf8("ping payload")));
                    s.expectPong(utf8("ping payload"));
                    s.closeNormally();
                }));
        cases.add(tenPings("2.10", false));
        cases.add(tenPings("2.11", true));
        return cases;
    }

    private static ConformanceCase pingCase(String id, String description, byte[] payload, boolean chopped) {
        return ConformanceCase.of(id, description, "A pong with the same payload; clean close with normal code", s -> {
            if (chopped) {
                s.sendChopped(1, WireFrame.ping(payload));
            } else {
                s.send(WireFrame.ping(payload));
            }
            s.expectPong(payload);
            s.closeNormally();
        });
    }

    private static ConformanceCase tenPings(String id, boolean chopped) {
        return ConformanceCase.of(id, "Send 10 pings with payload" + (chopped ? ", written in octet-wise chops" : ""),
                "10 pongs with the same payloads, in order; clean close with normal code",
                s -> {
                    WireFrame[] pings = new WireFrame[10];
                    for (int i = 0; i < pings.length; i++) {
                        pings[i] = WireFrame.ping(utf8("payload-" + i));
                    }
                    if (chopped) {
                        s.sendChopped(1, pings);
                    } else {
                        s.send(pings);
                    }
                    for (int i = 0; i < pings.length; i++) {
                        s.expectPong(utf8("payload-" + i));
                    }
                    s.closeNormally();
                });
    }

    static byte[] filled(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 0xFE);
        return payload;
    }
}
