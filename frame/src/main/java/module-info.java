/** RFC 6455 framing as pure code: no sockets, threads or clocks. */
module io.wsreactor.frame {
    exports io.wsreactor.frame;
}
