package io.wsreactor;

/** Who began the end of a connection, as counted by {@link ServerStats#closesByInitiator()}. */
public enum CloseInitiator {
    /** The client sent the first close frame. */
    CLIENT,
    /** The server sent the first close frame: a shutdown, a policy, or a protocol error it detected. */
    SERVER,
    /** Nobody closed: TCP dropped, a timeout expired, or the connection was closed at once. */
    ABORT
}
