package io.wsreactor.handshake;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed HTTP request head: request line and header lines as sent.
 *
 * <p>Immutable and safe to share between threads. Header names keep the case the client sent and are looked up
 * case-insensitively; values are trimmed of surrounding whitespace; repeated headers are kept in order.
 * Strings are decoded as ISO-8859-1, byte for byte.
 */
public final class HandshakeRequest {
    private final String method;
    private final String target;
    private final String version;
    private final List<Map.Entry<String, String>> headers;
    private final InetSocketAddress remoteAddress;

    /** Trusted constructor: {@code headers} is already unmodifiable and its values trimmed. */
    HandshakeRequest(String method, String target, String version, List<Map.Entry<String, String>> headers) {
        this(method, target, version, headers, null);
    }

    private HandshakeRequest(String method, String target, String version, List<Map.Entry<String, String>> headers,
            InetSocketAddress remoteAddress) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
        this.remoteAddress = remoteAddress;
    }

    /**
     * A request built by hand, for tests and hooks. Nothing is validated beyond non-null values;
     * {@link Handshake#respond} judges it as it would a parsed one. Header values are trimmed of spaces and tabs.
     *
     * @throws NullPointerException if any argument, header name or header value is null
     */
    public static HandshakeRequest of(String method, String target, String version,
                                      List<Map.Entry<String, String>> headers) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> header : headers) {
            copy.add(Map.entry(header.getKey(), HttpSyntax.trimWhitespace(header.getValue())));
        }
        return new HandshakeRequest(method, target, version, List.copyOf(copy));
    }

    /**
     * The client's address: the connection's remote end, or the client named by a PROXY protocol header when the
     * server reads one. Null for a request parsed or built outside a server.
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** This request with {@link #remoteAddress()} set to {@code address} (null removes it). */
    public HandshakeRequest withRemoteAddress(InetSocketAddress address) {
        return new HandshakeRequest(method, target, version, headers, address);
    }

    /** The method as sent, e.g. {@code GET} (methods are case-sensitive). */
    public String method() {
        return method;
    }

    /** The request target as sent, e.g. {@code /chat?room=1}. */
    public String target() {
        return target;
    }

    /**
     * The path part of the target: everything before {@code ?}. For an absolute-form target
     * ({@code http://host/chat?x}) the scheme and authority are left out ({@code /chat}, or {@code /} when
     * there is no path).
     */
    public String path() {
        int end = target.indexOf('?');
        if (end < 0) {
            end = target.length();
        }
        int start = 0;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme > 0 && scheme < end) {
                int slash = target.indexOf('/', scheme + 3);
                if (slash < 0 || slash > end) {
                    return "/";
                }
                start = slash;
            }
        }
        return target.substring(start, end);
    }

    /** The query: what follows the first {@code ?} of the target, without it; null if there is no {@code ?}. */
    public String query() {
        int mark = target.indexOf('?');
        return mark < 0 ? null : target.substring(mark + 1);
    }

    /** The protocol version as sent, e.g. {@code HTTP/1.1}. */
    public String version() {
        return version;
    }

    /** The value of the first header named {@code name} (case-insensitive), or null if there is none. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** The values of all headers named {@code name} (case-insensitive) in order; an empty list if none. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>(2);
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                values.add(header.getValue());
            }
        }
        return List.copyOf(values);
    }

    /** All header lines in order, as unmodifiable (name as sent, trimmed value) entries. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * Whether the comma-separated token lists in the values of all headers named {@code name} contain
     * {@code token} as a whole element, compared case-insensitively. {@code Connection: keep-alive, Upgrade}
     * has token {@code upgrade}; {@code Connection: upgrader} does not.
     */
    public boolean hasToken(String name, String token) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name) && HttpSyntax.listContains(header.getValue(), token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The subprotocols offered in {@code Sec-WebSocket-Protocol} headers, in the client's order of preference,
     * trimmed, empty elements skipped; an empty list if none was offered.
     */
    public List<String> subprotocols() {
        List<String> offered = new ArrayList<>(2);
        for (String value : headers("Sec-WebSocket-Protocol")) {
            for (String element : value.split(",", -1)) {
                String protocol = HttpSyntax.trimWhitespace(element);
                if (!protocol.isEmpty()) {
                    offered.add(protocol);
                }
            }
        }
        return List.copyOf(offered);
    }

    /** The request line and headers, one per line, for logging. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(method).append(' ').append(target).append(' ').append(version);
        for (Map.Entry<String, String> header : headers) {
            text.append("\n").append(header.getKey()).append(": ").append(header.getValue());
        }
        return text.toString();
    }
}
