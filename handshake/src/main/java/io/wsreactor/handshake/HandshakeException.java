package io.wsreactor.handshake;

/**
 * A request head that cannot be answered with 101: malformed (400) or too large (431). It carries the complete
 * rejection response, ready for {@link HandshakeResponse#toBytes()}; the caller writes it and closes the
 * connection.
 */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Not serialized: a response is only meaningful on the connection that produced it. */
    private final transient HandshakeResponse response;

    /**
     * Makes the exception; its message is the status line and the response's one-line body, e.g.
     * {@code 400 Bad Request: obsolete line folding is not allowed}.
     *
     * @throws NullPointerException if the response is null
     */
    public HandshakeException(HandshakeResponse response) {
        super(messageOf(response));
        this.response = response;
    }

    /** The rejection response to send before closing the connection. */
    public HandshakeResponse response() {
        return response;
    }

    private static String messageOf(HandshakeResponse response) {
        String line = response.bodyLine();
        String status = response.status() + " " + response.reason();
        return line.isEmpty() ? status : status + ": " + line;
    }
}
