package io.wsreactor.robustness;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Mutations of a valid upgrade request and of byte streams, for the fuzz test; deterministic for a given Random. */
final class HostileRequests {
    private static final String[] HEADERS = {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
        "Sec-WebSocket-Version"};

    private HostileRequests() {
    }

    /** One random mutation of {@code valid} (an upgrade request). */
    static byte[] mutate(byte[] valid, Random random) {
        String text = new String(valid, StandardCharsets.ISO_8859_1);
        return switch (random.nextInt(16)) {
            case 0 -> flipBytes(valid, random, 1 + random.nextInt(5));
            case 1 -> deleteRange(valid, random);
            case 2 -> insertRandom(valid, random);
            case 3 -> withoutHeader(text, HEADERS[random.nextInt(HEADERS.length)]);
            case 4 -> bytes(text.replaceFirst("GET", pick(random, "POST", "get", "G ET", "", "GET\u0000",
                    "CONNECT")));
            case 5 -> bytes(text.replaceFirst("HTTP/1.1", pick(random, "HTTP/1.0", "HTTP/2", "HTTP/1.1x", "", "http/1.1",
                    "HTTP/9.9")));
            case 6 -> bytes(text.replace("\r\n\r\n", "\r\nX-Big: " + "a".repeat(5000 + random.nextInt(5000))
                    + "\r\n\r\n"));
            case 7 -> randomBytes(random, random.nextInt(600));
            case 8 -> bytes(text.replace("\r\n", "\n"));
            case 9 -> Arrays.copyOf(valid, random.nextInt(valid.length - 1));
            case 10 -> bytes(text.replace("\r\n\r\n", "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
            case 11 -> bytes(text.replaceFirst("Sec-WebSocket-Key: [^\r]*", "Sec-WebSocket-Key: "
                    + pick(random, "", "short", "!!!!!!!!!!!!!!!!!!!!!!==", "dGhlIHNhbXBsZSBub25jZQ", "  ")));
            case 12 -> bytes(text.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: "
                    + pick(random, "8", "", "13, 8", "1300", "-1")));
            case 13 -> bytes(text.replace("\r\n\r\n", "\r\n" + "X-H: v\r\n".repeat(150 + random.nextInt(100))
                    + "\r\n"));
            case 14 -> bytes(text.replace("Host: 127.0.0.1", "Host: 127.0.0.1" + (char) random.nextInt(32)
                    + (char) (128 + random.nextInt(128))));
            default -> bytes(text.replace("Upgrade: websocket", pick(random, "Upgrade: h2c", "Upgrade:",
                    "Upgrade websocket", "Upgrade: websocket\r\nUpgrade: websocket")));
        };
    }

    /** A byte stream with a few bytes changed, perhaps cut short and perhaps with random bytes put in. */
    static byte[] flipAndCut(byte[] bytes, Random random) {
        byte[] result = flipBytes(bytes, random, 1 + random.nextInt(4));
        if (random.nextBoolean() && result.length > 1) {
            result = Arrays.copyOf(result, 1 + random.nextInt(result.length - 1));
        }
        if (random.nextInt(4) == 0) {
            result = insertRandom(result, random);
        }
        return result;
    }

    static byte[] flipBytes(byte[] bytes, Random random, int count) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < count && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static byte[] deleteRange(byte[] bytes, Random random) {
        int from = random.nextInt(bytes.length);
        int to = Math.min(bytes.length, from + 1 + random.nextInt(40));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, from);
        out.write(bytes, to, bytes.length - to);
        return out.toByteArray();
    }

    private static byte[] insertRandom(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(randomBytes(random, 1 + random.nextInt(64)));
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private static byte[] withoutHeader(String request, String header) {
        List<String> lines = new ArrayList<>(Arrays.asList(request.split("\r\n", -1)));
        lines.removeIf(line -> line.startsWith(header + ":"));
        return bytes(String.join("\r\n", lines));
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
