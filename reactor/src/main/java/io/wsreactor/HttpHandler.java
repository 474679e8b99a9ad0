package io.wsreactor;

import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;
import java.util.Objects;

/**
 * Answers requests on the server's port that are not WebSocket upgrades (no {@code Upgrade: websocket}), such as the
 * plain {@code GET} a load balancer or Kubernetes sends to probe health. Set with {@link WsServer#setHttpHandler}.
 *
 * <p>One request per connection: the answer is sent with {@code Connection: close} and the connection is closed after
 * it (no keep-alive). The request line and headers are read under the handshake's limits
 * ({@link ServerOptions#maxHandshakeBytes()}, {@link ServerOptions#maxHandshakeHeaders()},
 * {@link ServerOptions#handshakeTimeout()}); a request body is not read. Runs on the reactor thread, so it must be
 * quick and must not block. Without a handler, or when it answers null, such requests get the usual rejection (426
 * without {@code Upgrade}, 405 for a method other than GET).
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Decides the answer to a request that is not a WebSocket upgrade.
     *
     * @param request the request line and headers; {@link HandshakeRequest#remoteAddress()} is the client's address
     * @return the response to send, typically {@code HandshakeResponse.reject(200, "ok")} (a small body, status 200 to
     *     599; {@code Connection: close} is set whatever the response says, and a {@code HEAD} request gets the head
     *     only); or null for the usual rejection
     * @throws Exception any exception, or a status outside 200-599, answers 500 and is logged; the server goes on
     */
    HandshakeResponse handle(HandshakeRequest request) throws Exception;

    /**
     * A health check: {@code GET} or {@code HEAD} of {@code path} (the query is ignored) is answered
     * {@code 200 OK} with the body {@code ok}; every other request gets the usual rejection.
     *
     * @param path the path to answer, starting with {@code /}, e.g. {@code /healthz}
     * @throws IllegalArgumentException if the path does not start with {@code /}
     */
    static HttpHandler healthCheck(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a health check path starts with /, got " + path);
        }
        HandshakeResponse ok = HandshakeResponse.reject(200, "ok").withHeader("Cache-Control", "no-store");
        return request -> (request.method().equals("GET") || request.method().equals("HEAD"))
                && request.path().equals(path) ? ok : null;
    }
}
