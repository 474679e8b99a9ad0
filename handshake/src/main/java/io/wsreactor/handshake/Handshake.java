package io.wsreactor.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The server side of the RFC 6455 opening handshake: validation of the client's request (§4.2.1) and the
 * response to it (§4.2.2). Pure functions, safe to call from any thread.
 *
 * <p>Checks, in this order, and the answer to the first that fails (each rejection is a complete response from
 * {@link HandshakeResponse#reject} with {@code Connection: close} and a one-line body naming the problem):
 * <ol>
 *   <li>method is {@code GET}, else <b>405</b> with {@code Allow: GET};</li>
 *   <li>version is {@code HTTP/1.x} with x &ge; 1: {@code HTTP/1.0}, older or unparsable gets <b>400</b>; a major
 *       version above 1 gets <b>505</b> (RFC 7230 §2.6: HTTP/2 has its own WebSocket bootstrap, RFC 8441);</li>
 *   <li>exactly one non-empty {@code Host}, else <b>400</b> (RFC 7230 §5.4);</li>
 *   <li>no request body ({@code Transfer-Encoding}, or {@code Content-Length} other than 0), else <b>400</b>:
 *       bytes after the head are WebSocket frames, so a body could be smuggled in as frames;</li>
 *   <li>{@code Upgrade} has token {@code websocket}, else <b>426</b> with {@code Upgrade: websocket}:
 *       RFC 7231 §6.5.15 defines 426 for "this resource needs a protocol upgrade", which is what a plain
 *       request to a WebSocket endpoint lacks, and tells the client which protocol to use;</li>
 *   <li>{@code Connection} has token {@code upgrade}, else <b>400</b> (the client asked for an upgrade without
 *       marking it hop-by-hop: a malformed upgrade request, RFC 6455 §4.2.1 item 4);</li>
 *   <li>exactly one {@code Sec-WebSocket-Key}, base64 of exactly 16 bytes, else <b>400</b>;</li>
 *   <li>exactly one {@code Sec-WebSocket-Version} equal to {@code 13}, else <b>426</b> with
 *       {@code Sec-WebSocket-Version: 13} (RFC 6455 §4.4).</li>
 * </ol>
 * Every 426 also carries {@code Upgrade: websocket} and {@code Connection: Upgrade, close}, since RFC 7231
 * §6.5.15 requires an {@code Upgrade} header on a 426 and RFC 7230 §6.7 requires {@code Connection: upgrade}
 * beside it.
 *
 * <p>Offered {@code Sec-WebSocket-Extensions} are never accepted (the 101 has no extensions header) and no
 * subprotocol is chosen here; a hook may add {@code Sec-WebSocket-Protocol}. {@code Origin} is not checked
 * here either: that policy belongs to the hook.
 */
public final class Handshake {
    /** The GUID of RFC 6455 §1.3 appended to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Cloned per call: cheaper than a provider lookup, and MessageDigest is not thread-safe. */
    private static final MessageDigest SHA1_PROTOTYPE = sha1();
    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);

    private Handshake() {
    }

    /**
     * The response to an upgrade request: 101 Switching Protocols when it is valid, else the fitting rejection
     * (see the class comment for the rules and statuses). Never throws for any request content.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public static HandshakeResponse respond(HandshakeRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.method().equals("GET")) {
            return HandshakeResponse.reject(405, "method must be GET for a WebSocket handshake")
                    .withHeader("Allow", "GET");
        }
        HandshakeResponse versionProblem = checkVersion(request.version());
        if (versionProblem != null) {
            return versionProblem;
        }
        List<String> hosts = request.headers("Host");
        if (hosts.size() != 1 || hosts.get(0).isEmpty()) {
            return HandshakeResponse.reject(400, hosts.isEmpty() ? "missing Host header"
                    : hosts.size() > 1 ? "more than one Host header" : "empty Host header");
        }
        if (request.header("Transfer-Encoding") != null) {
            return HandshakeResponse.reject(400, "a WebSocket handshake has no body (Transfer-Encoding sent)");
        }
        for (String length : request.headers("Content-Length")) {
            if (!length.equals("0")) {
                return HandshakeResponse.reject(400, "a WebSocket handshake has no body (Content-Length sent)");
            }
        }
        if (!request.hasToken("Upgrade", "websocket")) {
            return upgradeRequired(HandshakeResponse.reject(426, "Upgrade header must contain websocket"));
        }
        if (!request.hasToken("Connection", "upgrade")) {
            return HandshakeResponse.reject(400, "Connection header must contain Upgrade");
        }
        List<String> keys = request.headers("Sec-WebSocket-Key");
        if (keys.size() != 1) {
            return HandshakeResponse.reject(400, keys.isEmpty() ? "missing Sec-WebSocket-Key header"
                    : "more than one Sec-WebSocket-Key header");
        }
        String key = keys.get(0);
        if (!isValidKey(key)) {
            return HandshakeResponse.reject(400, "Sec-WebSocket-Key must be base64 of 16 bytes");
        }
        List<String> versions = request.headers("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).equals("13")) {
            return upgradeRequired(HandshakeResponse.reject(426, "Sec-WebSocket-Version must be 13"))
                    .withHeader("Sec-WebSocket-Version", "13");
        }
        return HandshakeResponse.upgrade(key);
    }

    /**
     * The {@code Sec-WebSocket-Accept} value for a key: base64(SHA-1(key + {@link #GUID})). For the RFC 6455
     * §1.3 key {@code dGhlIHNhbXBsZSBub25jZQ==} it is {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}. The key is hashed as
     * given (ISO-8859-1 bytes), not validated. Safe to call from any thread.
     *
     * @throws NullPointerException if the key is null
     */
    public static String acceptKey(String secWebSocketKey) {
        Objects.requireNonNull(secWebSocketKey, "secWebSocketKey");
        MessageDigest sha1 = newSha1();
        sha1.update(secWebSocketKey.getBytes(StandardCharsets.ISO_8859_1));
        sha1.update(GUID_BYTES);
        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    /**
     * Whether {@code key} is the base64 encoding of exactly 16 bytes: 22 characters of the base64 alphabet then
     * {@code ==}. Unused low bits of the last character are not required to be zero (the JDK decoder does not
     * require it either, and peers accept such keys).
     */
    static boolean isValidKey(String key) {
        if (key.length() != 24 || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            char c = key.charAt(i);
            boolean base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (!base64) {
                return false;
            }
        }
        return true;
    }

    /** A rejection for a version other than HTTP/1.x with x &ge; 1, or null when the version is fine. */
    private static HandshakeResponse checkVersion(String version) {
        boolean wellFormed = version.length() == 8 && version.startsWith("HTTP/") && version.charAt(6) == '.'
                && isDigit(version.charAt(5)) && isDigit(version.charAt(7));
        if (!wellFormed) {
            return HandshakeResponse.reject(400, "unparsable HTTP version");
        }
        int major = version.charAt(5) - '0';
        int minor = version.charAt(7) - '0';
        if (major > 1) {
            return HandshakeResponse.reject(505, "a WebSocket handshake over HTTP/1 syntax needs HTTP/1.1");
        }
        if (major < 1 || minor < 1) {
            return HandshakeResponse.reject(400, "a WebSocket handshake needs HTTP/1.1 or later");
        }
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static HandshakeResponse upgradeRequired(HandshakeResponse rejection) {
        return rejection.withoutHeader("Connection")
                .withHeader("Connection", "Upgrade, close")
                .withHeader("Upgrade", "websocket");
    }

    private static MessageDigest newSha1() {
        try {
            return (MessageDigest) SHA1_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha1();
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}
