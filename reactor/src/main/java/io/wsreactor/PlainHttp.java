package io.wsreactor;

import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;
import java.util.Arrays;

/** The answer to a request that is not a WebSocket upgrade, from the server's {@link HttpHandler}. */
final class PlainHttp {
    private PlainHttp() {
    }

    /** Whether {@code request} goes to the handler rather than to the upgrade rules: it asks for no WebSocket. */
    static boolean isPlain(HandshakeRequest request) {
        return !request.hasToken("Upgrade", "websocket");
    }

    /**
     * The response to send for {@code request}, or null when the handler leaves it to the usual rejection. A failing
     * handler, or one answering a status outside 200-599, gets 500, logged to {@code failures} at time {@code now}
     * (a bug fails every request, so the log is rate-limited).
     */
    static HandshakeResponse answer(HttpHandler handler, HandshakeRequest request, RepeatedFailureLog failures,
            long now) {
        HandshakeResponse response;
        try {
            response = handler.handle(request);
        } catch (Throwable e) { // a user callback: contain whatever it throws
            failures.log("the HTTP handler threw " + e, e, now);
            return HandshakeResponse.reject(500, "Internal Server Error");
        }
        if (response == null) {
            return null;
        }
        if (response.status() < 200) {
            failures.log("the HTTP handler answered " + response.status(), null, now);
            return HandshakeResponse.reject(500, "Internal Server Error");
        }
        // One request per connection: whatever the handler said, the connection closes after the answer.
        return response.withoutHeader("Connection").withHeader("Connection", "close");
    }

    /** The response's bytes; for HEAD the head only (RFC 9110 §9.3.2), Content-Length still that of the body. */
    static byte[] bytes(HandshakeResponse response, HandshakeRequest request) {
        byte[] all = response.toBytes();
        return request.method().equals("HEAD") ? Arrays.copyOf(all, all.length - response.body().length) : all;
    }
}
