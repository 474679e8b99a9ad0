package io.wsreactor;

import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;

/**
 * Sees every valid upgrade request before it is answered (the seed's {@code set_proxy_handshake}).
 *
 * <p>Runs on the reactor thread: it must be quick and must not block (use {@link AsyncHandshakeHook} for I/O).
 */
@FunctionalInterface
public interface HandshakeHook {
    /**
     * Decides the answer to an upgrade request.
     *
     * @param request the client's upgrade request, already validated (RFC 6455 §4.2.1); its
     *     {@link HandshakeRequest#remoteAddress()} is the client's address (from the PROXY protocol header when one is
     *     read, see {@link ServerOptions#proxyProtocol()})
     * @param response the 101 response the server would send
     * @return the response to send: the (possibly changed) 101 accepts the connection, any other status rejects it
     *     with that response; null answers 500 and is logged
     * @throws Exception any exception answers 500 and is logged; the server goes on
     */
    HandshakeResponse handle(HandshakeRequest request, HandshakeResponse response) throws Exception;
}
