package io.wsreactor.handshake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP response to an upgrade request: {@code 101 Switching Protocols}, or a rejection.
 *
 * <p>Immutable and safe to share between threads; the {@code with*} methods return a new response. A handshake
 * hook receives the response {@link Handshake#respond} chose and may add headers (e.g.
 * {@code Sec-WebSocket-Protocol}, {@code Set-Cookie}), remove some, or replace the whole response with a
 * {@link #reject rejection}. Whatever the hook does, {@link #toBytes()} yields one well-formed HTTP/1.1 response:
 * header names must be tokens and values and reason phrases are refused when they hold CR, LF or any other
 * control character, so no header or response can be injected.
 *
 * <p>{@code Content-Length} is managed here and cannot be set by {@link #withHeader}: {@link #withBody} and
 * {@link #reject} set it, {@link #toBytes()} adds it to any non-101 response that lacks it, and a 101 response
 * never carries a body (RFC 7230 §3.3.2).
 */
public final class HandshakeResponse {
    private static final byte[] NO_BODY = new byte[0];
    private static final String CONTENT_LENGTH = "Content-Length";
    private static final String CONTENT_TYPE = "Content-Type";
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private final int status;
    private final String reason;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    private HandshakeResponse(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
    }

    /**
     * The {@code 101 Switching Protocols} response accepting a WebSocket upgrade (RFC 6455 §4.2.2): headers
     * {@code Upgrade: websocket}, {@code Connection: Upgrade} and {@code Sec-WebSocket-Accept}, no extension, no
     * subprotocol, no body. The key is not validated here; {@link Handshake#respond} does that.
     *
     * @param secWebSocketKey the request's {@code Sec-WebSocket-Key} value
     * @throws NullPointerException if the key is null
     */
    public static HandshakeResponse upgrade(String secWebSocketKey) {
        String accept = Handshake.acceptKey(secWebSocketKey);
        return new HandshakeResponse(101, "Switching Protocols", List.of(
                Map.entry("Upgrade", "websocket"),
                Map.entry("Connection", "Upgrade"),
                Map.entry("Sec-WebSocket-Accept", accept)), NO_BODY);
    }

    /**
     * A rejection: a complete HTTP/1.1 response with the standard reason phrase for {@code status},
     * {@code Connection: close}, {@code Content-Type: text/plain; charset=utf-8}, {@code Content-Length} and a
     * one-line body: {@code message} followed by a newline. Line breaks and other control characters in
     * {@code message} are replaced by spaces so the body stays one line.
     *
     * @param status an HTTP status from 200 to 599 (typically 4xx or 5xx)
     * @param message what was wrong, for a human reading the body
     * @throws IllegalArgumentException if the status is outside 200..599
     * @throws NullPointerException if the message is null
     */
    public static HandshakeResponse reject(int status, String message) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("a rejection needs a status from 200 to 599, got " + status);
        }
        byte[] body = (oneLine(message) + "\n").getBytes(StandardCharsets.UTF_8);
        return new HandshakeResponse(status, reasonPhrase(status), List.of(
                Map.entry("Connection", "close"),
                Map.entry(CONTENT_TYPE, TEXT_PLAIN),
                Map.entry(CONTENT_LENGTH, Integer.toString(body.length))), body);
    }

    /** The status code, e.g. 101 or 400. */
    public int status() {
        return status;
    }

    /** The reason phrase, e.g. {@code Switching Protocols}; may be empty. */
    public String reason() {
        return reason;
    }

    /** Whether this response accepts the upgrade (status 101). */
    public boolean isUpgrade() {
        return status == 101;
    }

    /** All header lines in the order they are sent, as unmodifiable (name, value) entries. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * The value of the first header named {@code name} (compared case-insensitively), or null if there is none.
     */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** A copy of the body; empty for a 101 response. */
    public byte[] body() {
        return body.clone();
    }

    /**
     * This response with one more header line appended (existing ones of the same name are kept).
     *
     * @throws IllegalArgumentException if the name is not an HTTP token, if the value holds CR, LF, another
     *     control character or a char above U+00FF, or if the name is {@code Content-Length} (set by
     *     {@link #withBody})
     * @throws NullPointerException if name or value is null
     */
    public HandshakeResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("header name is not an HTTP token: " + printable(name));
        }
        if (!HttpSyntax.isFieldText(value)) {
            throw new IllegalArgumentException("header value of " + name
                    + " holds a control character (CR, LF, NUL...) or a char above U+00FF");
        }
        if (name.equalsIgnoreCase(CONTENT_LENGTH)) {
            throw new IllegalArgumentException("Content-Length is set by withBody, not withHeader");
        }
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers.size() + 1);
        copy.addAll(headers);
        copy.add(Map.entry(name, value));
        return new HandshakeResponse(status, reason, List.copyOf(copy), body);
    }

    /** This response without any header named {@code name} (compared case-insensitively). */
    public HandshakeResponse withoutHeader(String name) {
        Objects.requireNonNull(name, "name");
        List<Map.Entry<String, String>> kept = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> header : headers) {
            if (!header.getKey().equalsIgnoreCase(name)) {
                kept.add(header);
            }
        }
        return kept.size() == headers.size() ? this : new HandshakeResponse(status, reason, List.copyOf(kept), body);
    }

    /**
     * This response with another status line; headers and body are kept, except that turning it into a 101
     * drops the body and {@code Content-Length} (a 101 carries no body). Turning a 101 into a rejection keeps
     * its upgrade headers; prefer {@link #reject} for a clean rejection.
     *
     * @param status an HTTP status from 100 to 599
     * @param reason the reason phrase (may be empty)
     * @throws IllegalArgumentException if the status is out of range or the reason holds a control character
     *     or a char above U+00FF
     * @throws NullPointerException if the reason is null
     */
    public HandshakeResponse withStatus(int status, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be from 100 to 599, got " + status);
        }
        if (!HttpSyntax.isFieldText(reason)) {
            throw new IllegalArgumentException("reason phrase holds a control character or a char above U+00FF");
        }
        if (status == 101) {
            HandshakeResponse bodiless = withoutHeader(CONTENT_LENGTH);
            return new HandshakeResponse(status, reason, bodiless.headers, NO_BODY);
        }
        return new HandshakeResponse(status, reason, headers, body);
    }

    /**
     * This response with {@code text} as body, encoded as UTF-8, and its {@code Content-Type} and
     * {@code Content-Length} headers replaced to match ({@code text/plain; charset=utf-8}).
     *
     * @throws IllegalStateException if this is a 101 response, which carries no body
     * @throws NullPointerException if the text is null
     */
    public HandshakeResponse withBody(String text) {
        Objects.requireNonNull(text, "text");
        if (isUpgrade()) {
            throw new IllegalStateException("a 101 Switching Protocols response carries no body");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> copy = new ArrayList<>(withoutHeader(CONTENT_TYPE)
                .withoutHeader(CONTENT_LENGTH).headers);
        copy.add(Map.entry(CONTENT_TYPE, TEXT_PLAIN));
        copy.add(Map.entry(CONTENT_LENGTH, Integer.toString(bytes.length)));
        return new HandshakeResponse(status, reason, List.copyOf(copy), bytes);
    }

    /**
     * The response as bytes ready for the socket: status line, header lines in order, {@code Content-Length}
     * (added for a non-101 response that lacks it), the blank line and the body. Headers are ISO-8859-1, which
     * every accepted value fits. Returns a new array on each call.
     */
    public byte[] toBytes() {
        StringBuilder head = new StringBuilder(64 + 48 * headers.size());
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        boolean hasLength = false;
        for (Map.Entry<String, String> header : headers) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            hasLength |= header.getKey().equalsIgnoreCase(CONTENT_LENGTH);
        }
        if (!isUpgrade() && !hasLength) {
            head.append(CONTENT_LENGTH).append(": ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body.length == 0) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** The status line and headers, one per line, for logging (the body is not included). */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(status).append(' ').append(reason);
        for (Map.Entry<String, String> header : headers) {
            text.append("\n").append(header.getKey()).append(": ").append(header.getValue());
        }
        return text.toString();
    }

    /** The standard reason phrase of {@code status} (RFC 9110 §15 and RFC 6585), or "Error" when unknown. */
    static String reasonPhrase(int status) {
        switch (status) {
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 303: return "See Other";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 426: return "Upgrade Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default: return status < 500 ? "Client Error" : "Server Error";
        }
    }

    /** The first line of the body without its newline, or "" ; used as the exception message. */
    String bodyLine() {
        String text = new String(body, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String oneLine(String message) {
        StringBuilder line = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            line.append(c < 0x20 || c == 0x7F ? ' ' : c);
        }
        return line.toString();
    }

    /** {@code s} with control characters escaped, for an exception message. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
