package io.wsreactor.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Incremental HTTP/1.1 request-head parser (RFC 7230 §3), fed bytes as they arrive until the blank line.
 *
 * <p>One parser per connection, used by one thread at a time (the reactor); not thread-safe. Bytes are scanned
 * in the caller's buffer directly; a line is decoded to strings (ISO-8859-1) only once it is complete, and only
 * the unfinished tail of a line split across reads is copied and kept, so memory stays bounded by
 * {@code maxBytes}.
 *
 * <p>Rules, each answered with a {@link HandshakeException} carrying a complete rejection:
 * <ul>
 *   <li>request line {@code method SP request-target SP HTTP/d.d}, method a token, target of visible ASCII;
 *       anything else is 400;</li>
 *   <li>lines end in CRLF; a bare LF is accepted as a line end too (RFC 7230 §3.5 allows it, clients and
 *       peers such as Netty and nginx do so, and it cannot be confused with anything else); a bare CR anywhere
 *       is 400 (RFC 7230 §3.5 says to reject it or treat it as SP; we reject);</li>
 *   <li>empty lines before the request line are skipped (RFC 7230 §3.5 "SHOULD ignore at least one");</li>
 *   <li>header name a token directly followed by {@code :} (whitespace before the colon is 400, RFC 7230
 *       §3.2.4); the value is trimmed of spaces and tabs and may hold no control character but tab (NUL, CR,
 *       DEL... are 400);</li>
 *   <li>a line starting with a space or tab (obs-fold, or whitespace after the request line) is 400;</li>
 *   <li>more than {@code maxHeaders} header lines is 431; a head (request line, headers and the blank line,
 *       line ends included) longer than {@code maxBytes} is 431, detected at the first byte beyond the limit
 *       without reading or keeping more.</li>
 * </ul>
 * Whether the request is a valid WebSocket upgrade is judged afterwards by {@link Handshake#respond}.
 */
public final class HandshakeParser {
    /** Default limit on the size of the request head, in bytes: 8 KiB. */
    public static final int DEFAULT_MAX_BYTES = 8192;
    /** Default limit on the number of header lines. */
    public static final int DEFAULT_MAX_HEADERS = 100;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] NOTHING = new byte[0];

    private final int maxBytes;
    private final int maxHeaders;

    /** The start of a line split across calls; grows on demand up to {@code maxBytes}. */
    private byte[] partial = NOTHING;
    private int partialLength;
    /** Bytes of the head consumed so far, line ends included. */
    private int headBytes;
    /** Null until the request line is parsed. */
    private String method;
    private String target;
    private String version;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    /** Set once a request was returned or an exception thrown. */
    private boolean finished;
    /** Bytes of the method seen so far, checked as they arrive; -1 once the space after it was seen. */
    private int methodBytes;

    /** A parser with the default limits ({@value #DEFAULT_MAX_BYTES} bytes, {@value #DEFAULT_MAX_HEADERS} headers). */
    public HandshakeParser() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_HEADERS);
    }

    /**
     * A parser with the given limits.
     *
     * @param maxBytes the most bytes the head may have, line ends and the blank line included (at least 16)
     * @param maxHeaders the most header lines the head may have (at least 1)
     * @throws IllegalArgumentException if a limit is out of range
     */
    public HandshakeParser(int maxBytes, int maxHeaders) {
        if (maxBytes < 16) {
            throw new IllegalArgumentException("maxBytes must be at least 16, got " + maxBytes);
        }
        if (maxHeaders < 1) {
            throw new IllegalArgumentException("maxHeaders must be at least 1, got " + maxHeaders);
        }
        this.maxBytes = maxBytes;
        this.maxHeaders = maxHeaders;
    }

    /**
     * Consumes bytes up to and including the blank line that ends the head.
     *
     * <p>Returns the request once the blank line is read; {@code in.position()} is then just after it, so bytes
     * that follow (e.g. a first WebSocket frame in the same packet) stay in {@code in} for the caller. Returns
     * null when more bytes are needed; all of {@code in} was consumed. Works on heap and direct buffers, with
     * the head split at any byte.
     *
     * @throws HandshakeException when the head is malformed (400) or exceeds a limit (431); the exception carries
     *     the complete rejection response. {@code in.position()} is then unspecified.
     * @throws IllegalStateException if called again after a request was returned or an exception thrown
     */
    public HandshakeRequest parse(ByteBuffer in) throws HandshakeException {
        if (finished) {
            throw new IllegalStateException("this parser already returned a request or failed");
        }
        while (in.hasRemaining()) {
            int start = in.position();
            int budget = maxBytes - headBytes;
            int scanEnd = start + Math.min(in.remaining(), budget);
            int lineFeed = indexOfLineFeed(in, start, scanEnd);
            if (methodBytes >= 0) {
                checkMethodBytes(in, start, lineFeed < 0 ? scanEnd : lineFeed);
            }
            if (lineFeed < 0) {
                if (in.remaining() > budget) {
                    throw fail(431, "request head exceeds " + maxBytes + " bytes");
                }
                append(in, start, scanEnd);
                headBytes += scanEnd - start;
                in.position(scanEnd);
                return null;
            }
            headBytes += lineFeed + 1 - start;
            in.position(lineFeed + 1);
            boolean endOfHead;
            if (partialLength == 0 && in.hasArray()) {
                endOfHead = onLine(in.array(), in.arrayOffset() + start, lineFeed - start);
            } else {
                append(in, start, lineFeed);
                endOfHead = onLine(partial, 0, partialLength);
                partialLength = 0;
            }
            if (endOfHead) {
                finished = true;
                partial = NOTHING;
                return new HandshakeRequest(method, target, version, Collections.unmodifiableList(headers));
            }
        }
        return null;
    }

    /**
     * Rejects at once bytes that cannot begin an HTTP request (a TLS ClientHello, a binary protocol, a stray frame):
     * the method is a token, so its first byte that is not a token character fails with 400 rather than waiting for
     * the line to end or the handshake timeout. Empty lines before the request line are allowed (RFC 7230 §3.5).
     */
    private void checkMethodBytes(ByteBuffer in, int from, int to) throws HandshakeException {
        for (int i = from; i < to; i++) {
            int b = in.get(i) & 0xFF;
            if (b == ' ' && methodBytes > 0) {
                methodBytes = -1;
                return;
            }
            if (b == CR && methodBytes == 0) {
                continue;
            }
            if (!HttpSyntax.isTokenByte(b)) {
                throw fail(400, String.format("not an HTTP request: byte 0x%02x where a method was expected", b));
            }
            methodBytes++;
        }
    }

    /** How many bytes this parser holds for an unfinished line (its spill array's capacity); for tests. */
    int retainedBytes() {
        return partial.length;
    }

    /** Handles one complete line (without its LF); returns true for the blank line that ends the head. */
    private boolean onLine(byte[] bytes, int offset, int length) throws HandshakeException {
        if (length > 0 && bytes[offset + length - 1] == CR) {
            length--;
        }
        if (method == null) {
            if (length > 0) {
                parseRequestLine(bytes, offset, offset + length);
            }
            return false;
        }
        if (length == 0) {
            return true;
        }
        if (HttpSyntax.isWhitespace(bytes[offset])) {
            throw fail(400, "obsolete line folding (a header line starting with whitespace) is not allowed");
        }
        if (headers.size() == maxHeaders) {
            throw fail(431, "more than " + maxHeaders + " header fields");
        }
        parseHeaderLine(bytes, offset, offset + length);
        return false;
    }

    private void parseRequestLine(byte[] bytes, int from, int end) throws HandshakeException {
        int i = from;
        while (i < end && HttpSyntax.isTokenByte(bytes[i])) {
            i++;
        }
        if (i == from || i == end || bytes[i] != ' ') {
            throw fail(400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)");
        }
        int methodEnd = i;
        int targetStart = ++i;
        while (i < end && bytes[i] > 0x20 && bytes[i] < 0x7F) {
            i++;
        }
        if (i == targetStart || i == end || bytes[i] != ' ') {
            throw fail(400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)");
        }
        int targetEnd = i;
        int versionStart = ++i;
        if (!isHttpVersion(bytes, versionStart, end)) {
            throw fail(400, "malformed HTTP version in request line (expected: HTTP/1.1)");
        }
        method = latin1(bytes, from, methodEnd);
        target = latin1(bytes, targetStart, targetEnd);
        version = latin1(bytes, versionStart, end);
    }

    private void parseHeaderLine(byte[] bytes, int from, int end) throws HandshakeException {
        int colon = from;
        while (colon < end && HttpSyntax.isTokenByte(bytes[colon])) {
            colon++;
        }
        if (colon == end || bytes[colon] != ':') {
            throw fail(400, "malformed header line (expected: name \":\" value, name a token)");
        }
        if (colon == from) {
            throw fail(400, "header line with an empty name");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && HttpSyntax.isWhitespace(bytes[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && HttpSyntax.isWhitespace(bytes[valueEnd - 1])) {
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            if (!HttpSyntax.isFieldByte(bytes[i])) {
                throw fail(400, "control character (NUL, CR, ...) in a header value");
            }
        }
        headers.add(Map.entry(latin1(bytes, from, colon), latin1(bytes, valueStart, valueEnd)));
    }

    private static boolean isHttpVersion(byte[] bytes, int from, int end) {
        return end - from == 8 && bytes[from] == 'H' && bytes[from + 1] == 'T' && bytes[from + 2] == 'T'
                && bytes[from + 3] == 'P' && bytes[from + 4] == '/' && isDigit(bytes[from + 5])
                && bytes[from + 6] == '.' && isDigit(bytes[from + 7]);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String latin1(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The index of the first LF in {@code in} between {@code from} and {@code to}, or -1. */
    private static int indexOfLineFeed(ByteBuffer in, int from, int to) {
        if (in.hasArray()) {
            byte[] array = in.array();
            int shift = in.arrayOffset();
            for (int i = from + shift, end = to + shift; i < end; i++) {
                if (array[i] == LF) {
                    return i - shift;
                }
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            if (in.get(i) == LF) {
                return i;
            }
        }
        return -1;
    }

    /** Copies {@code in[from, to)} after the bytes kept in {@link #partial}. */
    private void append(ByteBuffer in, int from, int to) {
        int length = to - from;
        int needed = partialLength + length;
        if (needed > partial.length) {
            // Never above maxBytes: the budget check in parse keeps a line within the head limit.
            int grown = Math.max(needed, (int) Math.min(maxBytes, Math.max(128, 2L * partial.length)));
            byte[] bigger = new byte[grown];
            System.arraycopy(partial, 0, bigger, 0, partialLength);
            partial = bigger;
        }
        in.get(from, partial, partialLength, length);
        partialLength = needed;
    }

    private HandshakeException fail(int status, String message) {
        finished = true;
        partial = NOTHING;
        return new HandshakeException(HandshakeResponse.reject(status, message));
    }
}
