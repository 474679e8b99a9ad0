/** The wsreactor server: one java.nio Selector thread and the public API. */
module io.wsreactor {
    requires transitive io.wsreactor.frame;
    requires transitive io.wsreactor.handshake;

    exports io.wsreactor;
}
