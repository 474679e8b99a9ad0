package io.wsreactor.handshake;

/**
 * A connection that does not start with a valid PROXY protocol header where one is required, or starts with a
 * malformed one. There is no response to send: the other side is a proxy, not an HTTP client, so the caller closes
 * the connection. The message names the problem, for a log line.
 */
public final class ProxyProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Makes the exception with a message naming the problem. */
    public ProxyProtocolException(String message) {
        super(message);
    }
}
