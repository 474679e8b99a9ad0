package io.wsreactor.handshake;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser of the PROXY protocol header (HAProxy's specification, versions 1 and 2) that a layer-4 proxy
 * (HAProxy, nginx {@code stream}, AWS NLB) sends before the client's bytes, to tell the server the client's address.
 *
 * <p>Fed bytes as they arrive, it answers null ("more bytes needed") until the header is complete, then the
 * {@link ProxyHeader}, leaving the bytes that follow it (the HTTP request) in the caller's buffer. It keeps at most
 * {@code maxBytes} bytes between calls and never takes more than that from the caller. One parser per connection,
 * one thread at a time; no sockets, clocks or name lookups (addresses are parsed from their literal form).
 *
 * <p>Rules, each broken one answered with a {@link ProxyProtocolException}:
 * <ul>
 *   <li>version 1: {@code PROXY TCP4|TCP6 src dst sport dport\r\n} with single spaces, dotted-quad IPv4 or textual
 *       IPv6 addresses of the named family, decimal ports 0-65535 without leading zeros, at most
 *       {@value #V1_MAX_BYTES} bytes with the CRLF; {@code PROXY UNKNOWN} followed by anything up to the CRLF gives
 *       no address;</li>
 *   <li>version 2: the 12-byte signature, version 2, command {@code LOCAL} (no address; the family is ignored) or
 *       {@code PROXY}; family and transport one of the combinations the specification defines (unspecified, INET,
 *       INET6 or UNIX over STREAM or DGRAM); an address block at least as long as its family needs; the whole header
 *       (16 bytes plus its length field) within {@code maxBytes}. TLVs after the addresses are skipped unread;</li>
 *   <li>when the header is required, a connection starting with anything else is refused at the first byte that
 *       cannot begin one; when it is optional, such a connection gives {@link ProxyHeader#NONE}.</li>
 * </ul>
 */
public final class ProxyProtocolParser {
    /** The fixed part of a version 2 header: signature, version and command, family, length. */
    private static final int V2_FIXED_BYTES = 16;
    /** The longest version 1 header, CRLF included (the specification's bound). */
    public static final int V1_MAX_BYTES = 107;
    /** The smallest {@code maxBytes} accepted: a version 2 header with an {@code AF_UNIX} address block. */
    public static final int MIN_MAX_BYTES = V2_FIXED_BYTES + 216;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] NOTHING = new byte[0];
    private static final int UNDECIDED = 0;
    private static final int NOT_A_HEADER = -1;

    private final boolean required;
    private final int maxBytes;
    /** The header's bytes so far, taken from earlier calls and this one; at most maxBytes. */
    private byte[] spill = NOTHING;
    private int length;
    private byte[] replay = NOTHING;
    private boolean finished;

    /**
     * A parser.
     *
     * @param required whether the connection must start with a header (else one is read when present)
     * @param maxBytes the longest version 2 header accepted, its 16 fixed bytes included (at least
     *     {@value #MIN_MAX_BYTES})
     * @throws IllegalArgumentException if {@code maxBytes} is below {@link #MIN_MAX_BYTES}
     */
    public ProxyProtocolParser(boolean required, int maxBytes) {
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES + ", got " + maxBytes);
        }
        this.required = required;
        this.maxBytes = maxBytes;
    }

    /**
     * Consumes the header's bytes from {@code in}.
     *
     * <p>Returns the header once it is complete, with {@code in.position()} just after it; returns
     * {@link ProxyHeader#NONE} when the header is optional and the bytes are not one: {@code in.position()} is then
     * where it was, and bytes taken by earlier calls are in {@link #replay()}. Returns null when more bytes are
     * needed; all of {@code in} was consumed.
     *
     * @throws ProxyProtocolException when the header is malformed, too long, or missing though required;
     *     {@code in.position()} is then unspecified, but at most {@code maxBytes} bytes were taken in all
     * @throws IllegalStateException if called again after a result other than null or after an exception
     */
    public ProxyHeader parse(ByteBuffer in) throws ProxyProtocolException {
        if (finished) {
            throw new IllegalStateException("this parser already returned a header or failed");
        }
        int start = in.position();
        int before = length;
        try {
            while (true) {
                int version = version();
                if (version == NOT_A_HEADER) {
                    if (required) {
                        throw new ProxyProtocolException("the connection does not start with a PROXY protocol header");
                    }
                    replay = Arrays.copyOf(spill, before);
                    finish();
                    in.position(start);
                    return ProxyHeader.NONE;
                }
                int need;
                if (version == 1) {
                    int end = v1End();
                    if (end > 0) {
                        return complete(in, start, before, end, parseV1(end));
                    }
                    if (length >= V1_MAX_BYTES) {
                        throw new ProxyProtocolException("no CRLF within the " + V1_MAX_BYTES
                                + " bytes of a version 1 header");
                    }
                    need = V1_MAX_BYTES;
                } else if (version == 2 && length >= V2_FIXED_BYTES) {
                    int total = V2_FIXED_BYTES + ((spill[14] & 0xFF) << 8 | (spill[15] & 0xFF));
                    if (total > maxBytes) {
                        throw new ProxyProtocolException("version 2 header of " + total + " bytes exceeds "
                                + maxBytes);
                    }
                    if (length >= total) {
                        return complete(in, start, before, total, parseV2(total));
                    }
                    need = total;
                } else {
                    need = version == 2 ? V2_FIXED_BYTES : V2_SIGNATURE.length;
                }
                if (!in.hasRemaining()) {
                    return null;
                }
                take(in, need - length);
            }
        } catch (ProxyProtocolException e) {
            finish();
            throw e;
        }
    }

    /**
     * The bytes earlier calls took that turned out not to start a header, once {@link #parse} returned
     * {@link ProxyHeader#NONE}: they come before the rest of the caller's buffer. Empty otherwise.
     */
    public ByteBuffer replay() {
        return ByteBuffer.wrap(replay).asReadOnlyBuffer();
    }

    /** How many bytes the parser holds between calls (its spill array's capacity); for tests. */
    int retainedBytes() {
        return spill.length;
    }

    private ProxyHeader complete(ByteBuffer in, int start, int before, int end, ProxyHeader header) {
        // Every call before this one ended inside the header, so the header ends in this call's bytes.
        in.position(start + end - before);
        finish();
        return header;
    }

    private void finish() {
        finished = true;
        spill = NOTHING;
    }

    /**
     * Appends up to {@code count} bytes of {@code in} to the spill array, which is sized for all {@code count} at once
     * so a header trickling in a byte at a time is not copied over and over.
     */
    private void take(ByteBuffer in, int count) {
        int n = Math.min(count, in.remaining());
        if (length + n > spill.length) {
            spill = Arrays.copyOf(spill, Math.max(length + count, 128));
        }
        in.get(spill, length, n);
        length += n;
    }

    /** 1 or 2 once the signature is read, NOT_A_HEADER at the first byte that cannot start one, else UNDECIDED. */
    private int version() {
        if (length == 0) {
            return UNDECIDED;
        }
        byte[] signature = spill[0] == V1_PREFIX[0] ? V1_PREFIX : V2_SIGNATURE;
        int n = Math.min(length, signature.length);
        for (int i = 0; i < n; i++) {
            if (spill[i] != signature[i]) {
                return NOT_A_HEADER;
            }
        }
        if (n < signature.length) {
            return UNDECIDED;
        }
        return signature == V1_PREFIX ? 1 : 2;
    }

    /** The index after the version 1 line's LF, or -1 when it has not arrived yet. */
    private int v1End() throws ProxyProtocolException {
        int limit = Math.min(length, V1_MAX_BYTES);
        for (int i = V1_PREFIX.length; i < limit; i++) {
            if (spill[i] == '\n') {
                if (spill[i - 1] != '\r') {
                    throw new ProxyProtocolException("version 1 header ends in LF without CR");
                }
                return i + 1;
            }
        }
        return -1;
    }

    private ProxyHeader parseV1(int end) throws ProxyProtocolException {
        String line = new String(spill, 0, end - 2, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ", -1);
        if (parts[1].equals("UNKNOWN")) {
            return new ProxyHeader(1, null, null); // whatever follows UNKNOWN is to be ignored
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new ProxyProtocolException("version 1 header holds a control or non-ASCII byte");
            }
        }
        boolean ipv4 = parts[1].equals("TCP4");
        if (!ipv4 && !parts[1].equals("TCP6")) {
            throw new ProxyProtocolException("version 1 protocol must be TCP4, TCP6 or UNKNOWN");
        }
        if (parts.length != 6) {
            throw new ProxyProtocolException("version 1 header needs exactly: PROXY " + parts[1]
                    + " source destination sourcePort destinationPort, single spaces");
        }
        byte[] source = ipv4 ? Addresses.parseIpv4(parts[2]) : Addresses.parseIpv6(parts[2]);
        byte[] destination = ipv4 ? Addresses.parseIpv4(parts[3]) : Addresses.parseIpv6(parts[3]);
        if (source == null || destination == null) {
            throw new ProxyProtocolException("version 1 address is not a valid " + (ipv4 ? "IPv4" : "IPv6")
                    + " literal");
        }
        return new ProxyHeader(1, socketAddress(source, port(parts[4])), socketAddress(destination, port(parts[5])));
    }

    private ProxyHeader parseV2(int total) throws ProxyProtocolException {
        int versionAndCommand = spill[12] & 0xFF;
        if (versionAndCommand >> 4 != 2) {
            throw new ProxyProtocolException("version 2 signature with version " + (versionAndCommand >> 4));
        }
        int command = versionAndCommand & 0x0F;
        if (command == 0) {
            return new ProxyHeader(2, null, null); // LOCAL: the proxy's own connection, e.g. a health check
        }
        if (command != 1) {
            throw new ProxyProtocolException("version 2 command " + command + " is neither LOCAL nor PROXY");
        }
        int addressBytes = total - V2_FIXED_BYTES;
        int familyAndTransport = spill[13] & 0xFF;
        int addressLength = switch (familyAndTransport) {
            case 0x00 -> 0;
            case 0x11, 0x12 -> 4;
            case 0x21, 0x22 -> 16;
            case 0x31, 0x32 -> 108;
            default -> throw new ProxyProtocolException(String.format(
                    "version 2 family and transport 0x%02X is not one the specification defines", familyAndTransport));
        };
        // AF_UNIX addresses carry no ports; the unspecified family carries nothing
        int needed = familyAndTransport >> 4 == 3 || addressLength == 0 ? 2 * addressLength : 2 * addressLength + 4;
        if (addressBytes < needed) {
            throw new ProxyProtocolException("version 2 address block of " + addressBytes + " bytes is shorter than "
                    + needed);
        }
        if (addressLength == 0 || addressLength == 108) {
            return new ProxyHeader(2, null, null); // unspecified or AF_UNIX: no IP address to report
        }
        int at = V2_FIXED_BYTES;
        byte[] source = Arrays.copyOfRange(spill, at, at + addressLength);
        byte[] destination = Arrays.copyOfRange(spill, at + addressLength, at + 2 * addressLength);
        int ports = at + 2 * addressLength;
        int sourcePort = (spill[ports] & 0xFF) << 8 | (spill[ports + 1] & 0xFF);
        int destinationPort = (spill[ports + 2] & 0xFF) << 8 | (spill[ports + 3] & 0xFF);
        return new ProxyHeader(2, socketAddress(source, sourcePort), socketAddress(destination, destinationPort));
    }

    private static int port(String text) throws ProxyProtocolException {
        int port = Addresses.parseDecimal(text, 65535);
        if (port < 0) {
            throw new ProxyProtocolException("version 1 port is not a decimal 0-65535 without leading zeros");
        }
        return port;
    }

    private static InetSocketAddress socketAddress(byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port); // no lookup: raw bytes
        } catch (UnknownHostException e) {
            throw new AssertionError("an address of 4 or 16 bytes is always valid", e);
        }
    }
}
