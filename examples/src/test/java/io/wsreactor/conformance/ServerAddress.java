package io.wsreactor.conformance;

import java.net.URI;

/**
 * Where the server under test listens.
 *
 * @param host host name or address to connect to
 * @param port TCP port
 * @param path request target of the upgrade (path and query), at least "/"
 * @param tls whether to speak TLS ({@code wss://}; the raw client then trusts any certificate)
 */
record ServerAddress(String host, int port, String path, boolean tls) {

    ServerAddress(String host, int port, String path) {
        this(host, port, path, false);
    }

    /** Parses a {@code ws://host:port/path} or {@code wss://host:port/path} URL. */
    static ServerAddress of(String url) {
        URI uri = URI.create(url);
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"ws".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// and wss:// URLs are supported, got " + url);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new ServerAddress(uri.getHost(), uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort(), path, tls);
    }

    /** The Host header value. */
    String hostHeader() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** This address as a ws:// or wss:// URL. */
    String url() {
        return (tls ? "wss://" : "ws://") + hostHeader() + path;
    }
}
