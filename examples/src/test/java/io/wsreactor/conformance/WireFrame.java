package io.wsreactor.conformance;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One frame as it travels on the wire, with every field free so that the suite can also build illegal frames
 * (reserved bits, reserved opcodes, oversized control frames). The encoding here is the suite's own, independent of
 * the server's codec.
 *
 * @param fin the FIN bit
 * @param rsv the three reserved bits RSV1..RSV3 as a number 0..7 (RSV1 is 4)
 * @param opcode the four-bit opcode, reserved values allowed
 * @param payload the unmasked payload
 */
record WireFrame(boolean fin, int rsv, int opcode, byte[] payload) {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static WireFrame text(String text) {
        return new WireFrame(true, 0, TEXT, utf8(text));
    }

    static WireFrame text(byte[] payload, boolean fin) {
        return new WireFrame(fin, 0, TEXT, payload);
    }

    static WireFrame binary(byte[] payload) {
        return new WireFrame(true, 0, BINARY, payload);
    }

    static WireFrame binary(byte[] payload, boolean fin) {
        return new WireFrame(fin, 0, BINARY, payload);
    }

    static WireFrame continuation(byte[] payload, boolean fin) {
        return new WireFrame(fin, 0, CONTINUATION, payload);
    }

    static WireFrame ping(byte[] payload) {
        return new WireFrame(true, 0, PING, payload);
    }

    static WireFrame pong(byte[] payload) {
        return new WireFrame(true, 0, PONG, payload);
    }

    /** A close frame with {@code code} (any 16-bit value, valid or not) and the raw reason bytes. */
    static WireFrame close(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return new WireFrame(true, 0, CLOSE, payload);
    }

    static WireFrame close(int code) {
        return close(code, new byte[0]);
    }

    static WireFrame withRsv(WireFrame frame, int rsv) {
        return new WireFrame(frame.fin, rsv, frame.opcode, frame.payload);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** This frame as a client sends it: masked with a fresh random key (RFC 6455 §5.3). */
    byte[] encodeMasked() {
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        return encode(key);
    }

    /** This frame encoded with {@code maskKey}, or unmasked when it is null. */
    byte[] encode(byte[] maskKey) {
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        int header = 2 + lengthBytes + (maskKey == null ? 0 : 4);
        byte[] out = new byte[header + length];
        out[0] = (byte) ((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xF));
        int maskBit = maskKey == null ? 0 : 0x80;
        out[1] = (byte) (maskBit | (lengthBytes == 0 ? length : lengthBytes == 2 ? 126 : 127));
        for (int i = 0; i < lengthBytes; i++) {
            out[2 + i] = (byte) ((long) length >>> (8 * (lengthBytes - 1 - i)));
        }
        if (maskKey == null) {
            System.arraycopy(payload, 0, out, header, length);
        } else {
            System.arraycopy(maskKey, 0, out, 2 + lengthBytes, 4);
            for (int i = 0; i < length; i++) {
                out[header + i] = (byte) (payload[i] ^ maskKey[i & 3]);
            }
        }
        return out;
    }

    /** A one-line description for transcripts: opcode, FIN, RSV, length and a short preview of the payload. */
    String describe() {
        StringBuilder text = new StringBuilder(opcodeName(opcode));
        if (!fin) {
            text.append(" fin=0");
        }
        if (rsv != 0) {
            text.append(" rsv=").append(rsv);
        }
        text.append(" len=").append(payload.length);
        if (opcode == CLOSE && payload.length >= 2) {
            text.append(" code=").append((payload[0] & 0xFF) << 8 | payload[1] & 0xFF);
        }
        if (payload.length > 0) {
            text.append(' ').append(preview(payload));
        }
        return text.toString();
    }

    static String opcodeName(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "CONT";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "OPCODE_" + opcode;
        };
    }

    /** At most 32 payload bytes in hex, then "…" when there are more. */
    static String preview(byte[] bytes) {
        StringBuilder hex = new StringBuilder("0x");
        int shown = Math.min(bytes.length, 32);
        for (int i = 0; i < shown; i++) {
            hex.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        if (shown < bytes.length) {
            hex.append('…');
        }
        return hex.toString();
    }
}
