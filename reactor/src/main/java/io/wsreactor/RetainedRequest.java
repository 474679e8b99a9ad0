package io.wsreactor;

import io.wsreactor.handshake.HandshakeException;
import io.wsreactor.handshake.HandshakeParser;
import io.wsreactor.handshake.HandshakeRequest;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What an open peer keeps of its upgrade request for {@link WsPeer#request()}, which parses it again on each call:
 * the request head as received, less the handshake's own headers (docs/ARCHITECTURE.md, "Bounds"). Those —
 * {@code Connection}, {@code Upgrade} and the {@code Sec-WebSocket-Key}, {@code -Version} and {@code -Extensions}
 * headers — were checked and answered by the 101 and mean nothing afterwards, yet they are most of a typical
 * request's bytes, kept by every idle peer.
 */
final class RetainedRequest {
    /** The headers answered by the handshake, in lower case. */
    static final Set<String> HANDSHAKE_HEADERS = Set.of(
            "connection", "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions");

    private RetainedRequest() {
    }

    /**
     * The first {@code length} bytes of {@code head}, a complete request head that parsed, with the lines of the
     * {@link #HANDSHAKE_HEADERS} left out; line ends are kept as received.
     */
    static byte[] compact(byte[] head, int length) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(length);
        for (int start = 0; start < length; ) {
            int end = start;
            while (end < length && head[end] != '\n') {
                end++;
            }
            end = Math.min(end + 1, length); // past the LF
            // The head parsed, so each line is the request line, a header or the blank line (no folded lines).
            if (start == 0 || !isHandshakeHeader(head, start, end)) {
                kept.write(head, start, end - start);
            }
            start = end;
        }
        return kept.toByteArray();
    }

    /**
     * The request {@link #compact} kept, parsed again, with the client's address.
     *
     * @throws IllegalStateException if the bytes no longer parse as a whole request (a bug: they parsed once)
     */
    static HandshakeRequest parse(byte[] retained, InetSocketAddress remoteAddress) {
        try {
            HandshakeRequest request = new HandshakeParser(Integer.MAX_VALUE, Integer.MAX_VALUE)
                    .parse(ByteBuffer.wrap(retained));
            if (request == null) {
                throw new IllegalStateException("the retained upgrade request is incomplete");
            }
            return request.withRemoteAddress(remoteAddress);
        } catch (HandshakeException e) {
            throw new IllegalStateException("the retained upgrade request no longer parses", e);
        }
    }

    private static boolean isHandshakeHeader(byte[] head, int start, int end) {
        for (int colon = start; colon < end; colon++) {
            if (head[colon] == ':') {
                String name = new String(head, start, colon - start, StandardCharsets.ISO_8859_1);
                return HANDSHAKE_HEADERS.contains(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return false; // the blank line that ends the head
    }
}
