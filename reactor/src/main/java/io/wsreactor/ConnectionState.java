package io.wsreactor;

/**
 * Where a connection is in its life; {@link ConnectionLife} moves it from one to the next (docs/ARCHITECTURE.md, "A
 * connection's life").
 */
enum ConnectionState {
    /** Reading the HTTP upgrade request, under the handshake timeout. */
    HANDSHAKING,
    /** The upgrade waits, for an asynchronous hook's answer or for room in the accept queue; not read. */
    PENDING,
    /** Upgraded: frames flow both ways. */
    OPEN,
    /** Our close frame is queued or written; waiting for the client's answer or for it to go out. */
    CLOSING,
    /** We said our last (a rejection, or our close after a protocol error): once written, half-close and
     *  read until the client closes TCP or the deadline passes. */
    LINGERING,
    /** TCP is closed. */
    CLOSED
}
