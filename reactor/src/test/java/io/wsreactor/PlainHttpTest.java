package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failing HTTP handler: every request gets 500, and the log says so once per window, not once per request. */
class PlainHttpTest {
    private static final HandshakeRequest PROBE = HandshakeRequest.of("GET", "/health", "HTTP/1.1",
            List.of(Map.entry("Host", "127.0.0.1")));

    private final RepeatedFailureLog failures = new RepeatedFailureLog(
            System.getLogger("io.wsreactor.test.quiet"), Level.DEBUG, "the HTTP handler failed");

    @Test
    void aHandlerThrowingOnEveryRequestGets500AndOneLogLinePerWindow() {
        HttpHandler broken = request -> {
            throw new IllegalStateException("bug");
        };
        for (int i = 0; i < 1_000; i++) {
            assertEquals(500, PlainHttp.answer(broken, PROBE, failures, i * 1_000_000L).status());
        }
        assertEquals(999, failures.suppressed(), "one line written, the rest counted for the next window's line");
    }

    @Test
    void aHandlerAnsweringAnInterimStatusGets500AndIsLimitedTheSameWay() {
        HttpHandler wrong = request -> HandshakeResponse.reject(101, "Switching Protocols");
        for (int i = 0; i < 10; i++) {
            assertEquals(500, PlainHttp.answer(wrong, PROBE, failures, i).status());
        }
        assertEquals(9, failures.suppressed());
    }
}
