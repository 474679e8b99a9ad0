package io.wsreactor.handshake;

/**
 * Strict parsers of IP address literals and decimal numbers, for the PROXY protocol's text header. Written out rather
 * than left to {@code InetAddress.getByName}, which looks a name up in DNS whenever the text is not a literal it
 * recognises: a header must never make the server wait on the network.
 */
final class Addresses {
    private Addresses() {
    }

    /** The 4 bytes of a dotted quad ({@code 192.0.2.1}: decimal 0-255, no leading zeros), or null. */
    static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = parseDecimal(parts[i], 255);
            if (value < 0) {
                return null;
            }
            address[i] = (byte) value;
        }
        return address;
    }

    /**
     * The 16 bytes of an IPv6 literal (RFC 4291 §2.2: eight groups of 1-4 hex digits, at most one {@code ::}, an
     * optional dotted quad in place of the last two groups; no zone id, no brackets), or null.
     */
    static byte[] parseIpv6(String text) {
        if (text.length() < 2 || text.length() > 45) {
            return null;
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = gap < 0 ? groups(text, true) : gap == 0 ? new int[0] : groups(text.substring(0, gap), false);
        int[] tail = gap < 0 ? new int[0]
                : gap + 2 == text.length() ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] address = new byte[16];
        for (int i = 0; i < head.length; i++) {
            address[2 * i] = (byte) (head[i] >> 8);
            address[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            int at = 2 * (8 - tail.length + i);
            address[at] = (byte) (tail[i] >> 8);
            address[at + 1] = (byte) tail[i];
        }
        return address;
    }

    /** Colon-separated 16-bit groups; the last may be a dotted quad (two groups) when {@code last} allows. */
    private static int[] groups(String text, boolean last) {
        String[] parts = text.split(":", -1);
        boolean quad = last && parts[parts.length - 1].indexOf('.') >= 0;
        int[] groups = new int[parts.length + (quad ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (quad && i == parts.length - 1) {
                byte[] ipv4 = parseIpv4(parts[i]);
                if (ipv4 == null) {
                    return null;
                }
                groups[i] = (ipv4[0] & 0xFF) << 8 | (ipv4[1] & 0xFF);
                groups[i + 1] = (ipv4[2] & 0xFF) << 8 | (ipv4[3] & 0xFF);
                continue;
            }
            int value = parseHexGroup(parts[i]);
            if (value < 0) {
                return null;
            }
            groups[i] = value;
        }
        return groups;
    }

    private static int parseHexGroup(String text) {
        if (text.isEmpty() || text.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') { // Character.digit also accepts non-ASCII digits
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** A decimal from 0 to {@code max} with ASCII digits and no leading zero, or -1. */
    static int parseDecimal(String text, int max) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }
}
