package io.wsreactor.conformance;

import static io.wsreactor.conformance.WireFrame.utf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autobahn group 7: the closing handshake. Valid close codes are echoed (or answered with 1000); a 1-byte payload,
 * a reason over 123 bytes, a code that may not be sent and a reason that is not UTF-8 fail the connection; nothing
 * sent after the client's close is processed.
 */
final class CloseCases {
    /** Autobahn's 7.7.1–7.7.13, then the IANA-registered 1012–1014 (wsreactor addition, 7.7.14–7.7.16). */
    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000,
        4999, 1012, 1013, 1014};
    /** Autobahn's 7.9.1–7.9.9, then 1015 (wsreactor addition, 7.9.10): reserved, never on the wire. */
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015};

    private CloseCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        byte[] hello = utf8("Hello World!");
        cases.add(ConformanceCase.of("7.1.1", "Send a message followed by a close frame",
                "Echo of the message, then a clean close with normal code", s -> {
                    s.send(WireFrame.text("Hello World!"));
                    s.expectMessage(WireFrame.TEXT, hello);
                    s.closeNormally();
                }));
        cases.add(ConformanceCase.of("7.1.2", "Send two close frames",
                "Clean close with normal code; the second close frame is ignored", s -> {
                    s.send(WireFrame.close(1000), WireFrame.close(1000));
                    s.expectCloseReply(1000);
                }));
        cases.add(ConformanceCase.of("7.1.3", "Send a ping after the close frame",
                "Clean close with normal code; no pong", s -> {
                    s.send(WireFrame.close(1000), WireFrame.ping(utf8("Hello World!")));
                    s.expectCloseReply(1000);
                }));
        cases.add(ConformanceCase.of("7.1.4", "Send a text message after the close frame",
                "Clean close with normal code; the text message is not echoed", s -> {
                    s.send(WireFrame.close(1000), WireFrame.text("Hello World!"));
                    s.expectCloseReply(1000);
                }));
        cases.add(ConformanceCase.of("7.1.5", "Send a message fragment, then a close frame, then the last fragment",
                "Clean close with normal code; no complete message comes back", s -> {
                    s.send(WireFrame.text(utf8("fragment1"), false), WireFrame.close(1000),
                            WireFrame.continuation(utf8("fragment2"), true));
                    s.expectCloseReply(1000);
                }));
        byte[] big = new byte[256 * 1024];
        Arrays.fill(big, (byte) '*');
        cases.add(ConformanceCase.of("7.1.6", "Send a 256 KiB text message, then a close frame, then a ping",
                "The echo may or may not come before the close (implementation defined); clean close with normal code; "
                        + "no pong", s -> {
                    s.send(WireFrame.text(big, true), WireFrame.close(1000), WireFrame.ping(utf8("Hello World!")));
                    s.expectCloseReply(s.acceptOptionalMessage(WireFrame.TEXT, big), 1000);
                }));
        cases.add(ConformanceCase.of("7.3.1", "Send a close frame with payload length 0 (no code, no reason)",
                "Clean close, answered with no code or with 1000", s -> {
                    s.send(new WireFrame(true, 0, WireFrame.CLOSE, new byte[0]));
                    s.expectCloseReply(CaseSession.NO_STATUS, 1000);
                }));
        cases.add(ConformanceCase.of("7.3.2", "Send a close frame with payload length 1",
                "The connection is failed with 1002/protocol error", s -> {
                    s.send(new WireFrame(true, 0, WireFrame.CLOSE, new byte[] {0x03}));
                    s.expectCloseReply(1002);
                }));
        cases.add(ConformanceCase.of("7.3.3", "Send a close frame with code 1000 and no reason",
                "Clean close with normal code", s -> {
                    s.send(WireFrame.close(1000));
                    s.expectCloseReply(1000);
                }));
        cases.add(ConformanceCase.of("7.3.4", "Send a close frame with code 1000 and a reason",
                "Clean close with normal code", s -> {
                    s.send(WireFrame.close(1000, utf8("Hello World!")));
                    s.expectCloseReply(1000);
                }));
        byte[] reason123 = new byte[123];
        Arrays.fill(reason123, (byte) '*');
        cases.add(ConformanceCase.of("7.3.5", "Send a close frame with code 1000 and a reason of 123 bytes (payload 125)",
                "Clean close with normal code", s -> {
                    s.send(WireFrame.close(1000, reason123));
                    s.expectCloseReply(1000);
                }));
        byte[] reason124 = new byte[124];
        Arrays.fill(reason124, (byte) '*');
        cases.add(ConformanceCase.of("7.3.6", "Send a close frame with code 1000 and a reason of 124 bytes (payload 126)",
                "The connection is failed with 1002/protocol error", s -> {
                    s.send(WireFrame.close(1000, reason124));
                    s.expectCloseReply(1002);
                }));
        byte[] badReason = Utf8Cases.concat(Utf8Vectors.KOSME, Utf8Vectors.hex("eda080"), utf8("edited")); // a surrogate
        cases.add(ConformanceCase.of("7.5.1", "Send a close frame with code 1000 and a reason that is not valid UTF-8",
                "The connection is failed with 1007/invalid payload (Autobahn also accepts 1002; strict here: 1007)", s -> {
                    s.send(WireFrame.close(1000, badReason));
                    s.expectCloseReply(1007);
                }));
        for (int i = 0; i < VALID_CODES.length; i++) {
            int code = VALID_CODES[i];
            cases.add(ConformanceCase.of("7.7." + (i + 1), "Send a close frame with valid code " + code
                    + (i >= 13 ? " (wsreactor addition)" : ""),
                    "Clean close, answered with " + code + " or 1000", s -> {
                        s.send(WireFrame.close(code));
                        s.expectCloseReply(code, 1000);
                    }));
        }
        for (int i = 0; i < INVALID_CODES.length; i++) {
            int code = INVALID_CODES[i];
            cases.add(ConformanceCase.of("7.9." + (i + 1), "Send a close frame with invalid code " + code
                    + (i >= 9 ? " (wsreactor addition)" : ""),
                    "The connection is failed with 1002/protocol error", s -> {
                        s.send(WireFrame.close(code));
                        s.expectCloseReply(1002);
                    }));
        }
        int[] outOfRange = {5000, 65535};
        for (int i = 0; i < outOfRange.length; i++) {
            int code = outOfRange[i];
            cases.add(ConformanceCase.of("7.13." + (i + 1), "Send a close frame with out-of-range code " + code,
                    "The connection is failed with 1002/protocol error (Autobahn: informational; strict here, as RFC 6455 "
                            + "§7.4.2 leaves codes of 5000 and above undefined)", s -> {
                        s.send(WireFrame.close(code));
                        s.expectCloseReply(1002);
                    }));
        }
        return cases;
    }
}
