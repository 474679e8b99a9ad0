package io.wsreactor.handshake;

import java.net.InetSocketAddress;

/**
 * What a PROXY protocol header said about a connection, as read by {@link ProxyProtocolParser}.
 *
 * <p>{@code source} is the client's address as the proxy saw it and {@code destination} the address the client
 * connected to. Both are null when the header carries no usable address: a v1 {@code PROXY UNKNOWN} line, a v2
 * {@code LOCAL} command (the proxy's own health check), or a v2 {@code PROXY} command with an unspecified or
 * {@code AF_UNIX} family; the connection's own endpoints are then the ones to use, as the specification says.
 * Immutable.
 *
 * @param version 1 (text) or 2 (binary), or 0 for {@link #NONE}
 * @param source the client's address, or null when the header gives none
 * @param destination the address the client connected to, or null when the header gives none
 */
public record ProxyHeader(int version, InetSocketAddress source, InetSocketAddress destination) {
    /** No header: the connection started with something else (only when the header is optional). */
    public static final ProxyHeader NONE = new ProxyHeader(0, null, null);

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the version is not 0, 1 or 2, or only one of the addresses is null
     */
    public ProxyHeader {
        if (version < 0 || version > 2) {
            throw new IllegalArgumentException("version must be 0, 1 or 2, got " + version);
        }
        if ((source == null) != (destination == null)) {
            throw new IllegalArgumentException("source and destination are both given or both null");
        }
    }

    /** Whether a header was read (false only for {@link #NONE}). */
    public boolean isPresent() {
        return version != 0;
    }

    /** Whether the header carries the client's address ({@link #source()} is not null). */
    public boolean hasAddresses() {
        return source != null;
    }
}
