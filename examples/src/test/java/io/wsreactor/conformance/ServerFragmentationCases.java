package io.wsreactor.conformance;

import java.time.Duration;
import java.util.List;

/**
 * Autobahn group 10: the server may fragment what it sends; the suite reassembles whatever fragmentation comes back
 * and compares whole messages.
 */
final class ServerFragmentationCases {
    private ServerFragmentationCases() {
    }

    static List<ConformanceCase> all() {
        byte[] text = LargeMessageCases.payload(WireFrame.TEXT, 65536);
        byte[] binary = LargeMessageCases.payload(WireFrame.BINARY, 1024 * 1024);
        return List.of(
                ConformanceCase.of("10.1.1", "Send text message of 65536 bytes in fragments of 1300 bytes",
                        "Echo of the message, in any fragmentation; clean close with normal code", s -> {
                            s.send(LargeMessageCases.fragments(WireFrame.TEXT, text, 1300));
                            s.expectMessage(WireFrame.TEXT, text);
                            s.closeNormally();
                        }),
                ConformanceCase.of("10.1.2", "Send binary message of 1 MiB in fragments of 4000 bytes (wsreactor addition)",
                        "Echo of the message, in any fragmentation; clean close with normal code", s -> {
                            s.send(LargeMessageCases.fragments(WireFrame.BINARY, binary, 4000));
                            s.expectMessage(WireFrame.BINARY, binary);
                            s.closeNormally();
                        }).withTimeout(Duration.ofSeconds(30)));
    }
}
