package io.wsreactor.conformance;

import java.net.URI;

/**
 * Where the server under test listens.
 *
 * @param host host name or address to connect to
 * @param port TCP port
 * @param path request target of the upgrade (path and query), at least "/"
 */
record ServerAddress(String host, int port, String path) {

    /** Parses a {@code ws://host:port/path} URL (wss is not supported by the raw client). */
    static ServerAddress of(String url) {
        URI uri = URI.create(url);
        if (!"ws".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// URLs are supported, got " + url);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new ServerAddress(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort(), path);
    }

    /** The Host header value. */
    String hostHeader() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** This address as a ws:// URL. */
    String url() {
        return "ws://" + hostHeader() + path;
    }
}
