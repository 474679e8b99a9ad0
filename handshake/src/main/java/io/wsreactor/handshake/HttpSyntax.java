package io.wsreactor.handshake;

/**
 * Character classes of RFC 7230 (HTTP/1.1 message syntax) as lookup tables, shared by the parser and the
 * response builder so that what we accept and what we emit follow the same grammar.
 */
final class HttpSyntax {
    /** {@code tchar} of RFC 7230 §3.2.6: the characters of a token (method, header name). */
    private static final boolean[] TOKEN = new boolean[256];
    /** {@code field-vchar / SP / HTAB} of RFC 7230 §3.2: what may appear in a header value or reason phrase. */
    private static final boolean[] FIELD = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        FIELD['\t'] = true;
        for (int c = 0x20; c <= 0xFF; c++) {
            FIELD[c] = c != 0x7F; // obs-text (0x80-0xFF) is allowed, DEL is a control character
        }
    }

    private HttpSyntax() {
    }

    static boolean isTokenByte(int b) {
        return TOKEN[b & 0xFF];
    }

    static boolean isFieldByte(int b) {
        return FIELD[b & 0xFF];
    }

    /** Whether {@code s} is a non-empty token. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /** Whether every char of {@code s} may be sent in a header value or reason phrase (ISO-8859-1, no CTL). */
    static boolean isFieldText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !FIELD[c]) {
                return false;
            }
        }
        return true;
    }

    /** Optional whitespace ({@code OWS}): space or horizontal tab. */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /** {@code s} without leading and trailing OWS. */
    static String trimWhitespace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * Whether the comma-separated list {@code value} holds {@code token} as a whole element, compared
     * case-insensitively, ignoring OWS around elements and empty elements (RFC 7230 §7). Allocates nothing.
     */
    static boolean listContains(String value, String token) {
        int length = value.length();
        int start = 0;
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            while (from < to && isWhitespace(value.charAt(from))) {
                from++;
            }
            while (to > from && isWhitespace(value.charAt(to - 1))) {
                to--;
            }
            if (to - from == token.length() && value.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }
}
