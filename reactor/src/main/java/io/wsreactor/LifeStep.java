package io.wsreactor;

/**
 * What the connection must do after an event of its life: {@link ConnectionLife} answers each event with one, the
 * {@link Connection} applies it (docs/ARCHITECTURE.md, "A connection's life").
 */
enum LifeStep {
    /** Nothing now. */
    NONE,
    /** Queue the close frame {@link ConnectionLife#closeCode()} / {@link ConnectionLife#closeReason()} behind the data
     *  already queued. */
    SEND_CLOSE,
    /** Half-close TCP (everything owed is written) and read until the client closes. */
    SHUTDOWN_OUTPUT,
    /** Close TCP now. */
    CLOSE,
    /** The pending upgrade was not decided within the handshake timeout: reject it with 503. */
    REJECT_UNAVAILABLE
}
