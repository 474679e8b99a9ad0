package io.wsreactor;

import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous form of {@link HandshakeHook}, for hooks that need I/O (a token lookup, say).
 *
 * <p>Called on the reactor thread; it must return quickly with a future that any thread may complete. The future
 * must complete within {@link ServerOptions#handshakeTimeout()} (counted from the TCP accept), otherwise the
 * client gets 503. A future completed with null or exceptionally answers 500 and is logged.
 */
@FunctionalInterface
public interface AsyncHandshakeHook {
    /**
     * Starts deciding the answer to an upgrade request.
     *
     * @param request the client's upgrade request, already validated; {@link HandshakeRequest#remoteAddress()} is the
     *     client's address, as for {@link HandshakeHook}
     * @param response the 101 response the server would send
     * @return a future of the response to send: a 101 accepts, any other status rejects
     */
    CompletableFuture<HandshakeResponse> handle(HandshakeRequest request, HandshakeResponse response);
}
