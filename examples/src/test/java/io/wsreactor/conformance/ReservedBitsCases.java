package io.wsreactor.conformance;

import static io.wsreactor.conformance.WireFrame.utf8;

import java.util.List;

/**
 * Autobahn group 3: frames with RSV bits set, which no extension was negotiated for. Strict: what came before is
 * echoed, then the connection fails with 1002 and nothing after the bad frame (such as the ping) is answered.
 */
final class ReservedBitsCases {
    private static final String FAIL = "Echo of the frames before the bad one, then the connection is failed with "
            + "1002/protocol error; nothing after the bad frame is answered";

    private ReservedBitsCases() {
    }

    static List<ConformanceCase> all() {
        byte[] hello = utf8("Hello, world!");
        return List.of(
                ConformanceCase.of("3.1", "Send small text message with RSV = 1", FAIL, s -> {
                    s.send(WireFrame.withRsv(WireFrame.text("Hello, world!"), 1));
                    s.expectFailure(1002);
                }),
                ConformanceCase.of("3.2", "Send small text message, then another with RSV = 2, then ping", FAIL, s -> {
                    s.send(WireFrame.text("Hello, world!"), WireFrame.withRsv(WireFrame.text("Hello, world!"), 2),
                            WireFrame.ping(utf8("ping")));
                    s.expectMessage(WireFrame.TEXT, hello);
                    s.expectFailure(1002);
                }),
                ConformanceCase.of("3.3", "Send small text message, then another with RSV = 3, then ping, "
                        + "written in frame-wise chops", FAIL, s -> {
                    s.sendFramewise(WireFrame.text("Hello, world!"), WireFrame.withRsv(WireFrame.text("Hello, world!"), 3),
                            WireFrame.ping(utf8("ping")));
                    s.expectMessage(WireFrame.TEXT, hello);
                    s.expectFailure(1002);
                }),
                ConformanceCase.of("3.4", "Send small text message, then another with RSV = 4, then ping, "
                        + "written in octet-wise chops", FAIL, s -> {
                    s.sendChopped(1, WireFrame.text("Hello, world!"), WireFrame.withRsv(WireFrame.text("Hello, world!"), 4),
                            WireFrame.ping(utf8("ping")));
                    s.expectMessage(WireFrame.TEXT, hello);
                    s.expectFailure(1002);
                }),
                ConformanceCase.of("3.5", "Send small binary message with RSV = 5", FAIL, s -> {
                    s.send(WireFrame.withRsv(WireFrame.binary(new byte[] {0, 1, 2, (byte) 0xFF}), 5));
                    s.expectFailure(1002);
                }),
                ConformanceCase.of("3.6", "Send ping with RSV = 6", FAIL, s -> {
                    s.send(WireFrame.withRsv(WireFrame.ping(hello), 6));
                    s.expectFailure(1002);
                }),
                ConformanceCase.of("3.7", "Send close with RSV = 7", FAIL, s -> {
                    s.send(WireFrame.withRsv(WireFrame.close(1000), 7));
                    s.expectFailure(1002);
                }));
    }
}
