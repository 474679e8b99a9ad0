package io.wsreactor;

/**
 * Whether connections start with a PROXY protocol header (version 1 or 2), the way a layer-4 load balancer (HAProxy,
 * nginx {@code stream} with {@code proxy_protocol on}, AWS NLB) tells the server the client's address. With a header,
 * {@link WsPeer#remoteAddress()} and {@link io.wsreactor.handshake.HandshakeRequest#remoteAddress()} are the client's
 * address from the header instead of the proxy's.
 *
 * <p>A connection whose header is malformed, or missing when required, is closed without an answer (a proxy does not
 * read HTTP error pages) and counted in {@link ServerStats#proxyProtocolRejected()}.
 */
public enum ProxyProtocol {
    /** No header is read: the first byte is the HTTP request's. The default. */
    OFF,
    /**
     * A header is read when the connection starts with one, else the request is read as usual. Any client reaching the
     * port can then claim any address: use it only while moving to {@link #REQUIRED}, or when only proxies and trusted
     * hosts can connect.
     */
    OPTIONAL,
    /** Every connection must start with a header; one without is closed. Use it when only the proxy can connect. */
    REQUIRED
}
