package io.wsreactor.conformance;

import java.util.List;
import java.util.Map;

/**
 * Groups 12 and 13 of Autobahn test permessage-deflate, which wsreactor does not implement. What applies instead:
 * an offered extension is declined (no Sec-WebSocket-Extensions in the 101), and a compressed-looking frame (RSV1)
 * then fails the connection with 1002.
 */
final class ExtensionCases {
    private static final Map<String, String> OFFER = Map.of("Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits, permessage-deflate");

    private ExtensionCases() {
    }

    static List<ConformanceCase> all() {
        return List.of(
                ConformanceCase.of("12.0.1", "Offer permessage-deflate in the opening handshake, then send a text message",
                        "101 without Sec-WebSocket-Extensions (the offer is declined); echo of the uncompressed message; "
                                + "clean close with normal code", s -> {
                            s.send(WireFrame.text("Hello, world!"));
                            s.expectMessage(WireFrame.TEXT, WireFrame.utf8("Hello, world!"));
                            s.closeNormally();
                        }).withUpgradeHeaders(OFFER),
                ConformanceCase.of("12.0.2", "Offer permessage-deflate, then send a frame with RSV1 set as if compressed",
                        "101 without Sec-WebSocket-Extensions; the RSV1 frame fails the connection with 1002", s -> {
                            s.send(WireFrame.withRsv(WireFrame.text("Hello, world!"), 4));
                            s.expectFailure(1002);
                        }).withUpgradeHeaders(OFFER));
    }
}
