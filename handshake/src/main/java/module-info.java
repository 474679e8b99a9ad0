/** The RFC 6455 opening handshake as pure code: no sockets, threads or clocks. */
module io.wsreactor.handshake {
    exports io.wsreactor.handshake;
}
