package io.wsreactor.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The client side of the RFC 6455 opening handshake, as the load generator needs it: a request with a random
 * {@code Sec-WebSocket-Key}, and a strict check of the server's 101 response, {@code Sec-WebSocket-Accept} included.
 *
 * <p>One instance per generator thread (it keeps a SHA-1 digest); not thread-safe.
 */
public final class ClientHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final MessageDigest sha1;
    private final SplittableRandom random;

    /** Makes a handshake helper whose keys come from {@code random}. */
    public ClientHandshake(SplittableRandom random) {
        this.random = random;
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** A fresh random key: 16 random bytes in base64, as RFC 6455 §4.1 asks. */
    public String newKey() {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} value a correct server answers to {@code key}. */
    public String expectedAccept(String key) {
        sha1.reset();
        byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** The bytes of an upgrade request for {@code path} on {@code hostAndPort} with {@code key}. */
    public static byte[] request(String hostAndPort, String path, String key) {
        String text = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostAndPort + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Where the response head ends in {@code data[0, length)}: the index just after the blank line, or -1 if the
     * blank line has not arrived yet.
     */
    public static int headEnd(byte[] data, int length) {
        for (int i = 3; i < length; i++) {
            if (data[i] == '\n' && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Checks a server's response head: status 101, {@code Upgrade: websocket}, a {@code Connection} header naming
     * {@code upgrade}, and the right {@code Sec-WebSocket-Accept} for {@code key}.
     *
     * @return null when the response is right, else what is wrong with it
     */
    public String check(String responseHead, String key) {
        String[] lines = responseHead.split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 101")) {
            return "status line is not 101: " + (lines.length == 0 ? "" : lines[0]);
        }
        boolean upgrade = false;
        boolean connection = false;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value.equalsIgnoreCase("websocket");
                case "connection" -> connection = value.toLowerCase(Locale.ROOT).contains("upgrade");
                case "sec-websocket-accept" -> accept = value;
                default -> { }
            }
        }
        if (!upgrade) {
            return "no Upgrade: websocket header";
        }
        if (!connection) {
            return "no Connection: upgrade header";
        }
        String expected = expectedAccept(key);
        if (!expected.equals(accept)) {
            return "Sec-WebSocket-Accept is " + accept + ", expected " + expected;
        }
        return null;
    }
}
