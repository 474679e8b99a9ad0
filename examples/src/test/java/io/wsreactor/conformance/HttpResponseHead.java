package io.wsreactor.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status line and headers of an HTTP response as the suite read them off the socket.
 *
 * @param statusLine the first line, for example {@code HTTP/1.1 101 Switching Protocols}
 * @param status the status code, or -1 when the status line could not be parsed
 * @param headers header values by lower-case name, in arrival order
 */
record HttpResponseHead(String statusLine, int status, Map<String, List<String>> headers) {

    /** Parses the text before the blank line; never throws, a broken head yields status -1. */
    static HttpResponseHead parse(String head) {
        String[] lines = head.split("\r\n");
        int status = -1;
        String[] parts = lines[0].split(" ", 3);
        if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException ignored) {
                status = -1;
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        return new HttpResponseHead(lines[0], status, headers);
    }

    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether a comma-separated header holds {@code token}, compared without regard to case. */
    boolean headerHasToken(String name, String token) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return statusLine + " " + headers;
    }
}
