/**
 * The RFC 6455 opening handshake as pure code: {@link io.wsreactor.handshake.HandshakeParser} reads the request
 * head from bytes, {@link io.wsreactor.handshake.Handshake#respond} validates it and builds the
 * {@link io.wsreactor.handshake.HandshakeResponse} (101 or a rejection); the
 * {@link io.wsreactor.handshake.ProxyProtocolParser} reads the PROXY protocol header a layer-4 proxy may send first.
 * No sockets, threads or clocks.
 */
package io.wsreactor.handshake;
