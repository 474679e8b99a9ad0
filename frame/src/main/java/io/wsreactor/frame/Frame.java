package io.wsreactor.frame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One WebSocket frame: an opcode, the FIN bit and the (unmasked) payload.
 *
 * <p>Frames are immutable by contract: the payload array is not copied, for speed, so neither the creator nor
 * a reader may change it after the frame is made. Frames are safe to share between threads.
 */
public final class Frame {
    /** The largest payload of a control frame (CLOSE, PING, PONG), RFC 6455 §5.5. */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The largest close reason in UTF-8 bytes: a control payload less the two-byte code (RFC 6455 §5.5.1). */
    public static final int MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;

    private static final byte[] EMPTY = new byte[0];

    private final Opcode opcode;
    private final boolean fin;
    private final byte[] payload;

    /**
     * Makes a frame. No RFC rule is checked here (a control frame of 200 bytes can be built); the decoder checks
     * what it receives and everything that sends calls {@link #checkSendable}.
     *
     * @throws NullPointerException if {@code opcode} or {@code payload} is null
     */
    public Frame(Opcode opcode, boolean fin, byte[] payload) {
        if (opcode == null || payload == null) {
            throw new NullPointerException(opcode == null ? "opcode" : "payload");
        }
        this.opcode = opcode;
        this.fin = fin;
        this.payload = payload;
    }

    /** A final TEXT frame holding {@code text} encoded as UTF-8. */
    public static Frame text(String text) {
        return new Frame(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A TEXT frame that starts a message; {@code fin} false means CONTINUATION frames follow. */
    public static Frame text(String text, boolean fin) {
        return new Frame(Opcode.TEXT, fin, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final BINARY frame. The array is not copied. */
    public static Frame binary(byte[] data) {
        return new Frame(Opcode.BINARY, true, data);
    }

    /** A BINARY frame that starts a message; {@code fin} false means CONTINUATION frames follow. */
    public static Frame binary(byte[] data, boolean fin) {
        return new Frame(Opcode.BINARY, fin, data);
    }

    /** A CONTINUATION frame of a fragmented message; {@code fin} true ends the message. */
    public static Frame continuation(byte[] data, boolean fin) {
        return new Frame(Opcode.CONTINUATION, fin, data);
    }

    /** A PING frame; the payload must be at most {@value #MAX_CONTROL_PAYLOAD} bytes to be sent. */
    public static Frame ping(byte[] data) {
        return new Frame(Opcode.PING, true, data);
    }

    /** A PONG frame; the payload must be at most {@value #MAX_CONTROL_PAYLOAD} bytes to be sent. */
    public static Frame pong(byte[] data) {
        return new Frame(Opcode.PONG, true, data);
    }

    /**
     * A CLOSE frame with a status code and a reason.
     *
     * @throws IllegalArgumentException if the code may not be sent ({@link CloseCode#isValid}) or the reason
     *     is longer than {@value #MAX_CLOSE_REASON} bytes in UTF-8
     */
    public static Frame close(int code, String reason) {
        if (!CloseCode.isValid(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        byte[] utf8 = reason == null ? EMPTY : reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_CLOSE_REASON) {
            throw new IllegalArgumentException("close reason is " + utf8.length + " bytes, the limit is "
                    + MAX_CLOSE_REASON);
        }
        byte[] payload = new byte[2 + utf8.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(utf8, 0, payload, 2, utf8.length);
        return new Frame(Opcode.CLOSE, true, payload);
    }

    /**
     * Checks the rule every frame sent must meet (RFC 6455 §5.5): a control frame (CLOSE, PING, PONG) is final and
     * carries at most {@value #MAX_CONTROL_PAYLOAD} bytes. The encoder and the server's write path both check here,
     * so the rule has one wording.
     *
     * @throws IllegalArgumentException if the frame breaks the rule
     */
    public static void checkSendable(Opcode opcode, boolean fin, int payloadLength) {
        if (opcode.isControl() && (!fin || payloadLength > MAX_CONTROL_PAYLOAD)) {
            throw new IllegalArgumentException(opcode + " frame must be final and at most " + MAX_CONTROL_PAYLOAD
                    + " bytes, was fin=" + fin + ", " + payloadLength + " bytes");
        }
    }

    /** The opcode. */
    public Opcode opcode() {
        return opcode;
    }

    /** Whether this is the final frame of its message. Control frames are always final. */
    public boolean fin() {
        return fin;
    }

    /** The payload, not copied: callers must not change it. */
    public byte[] payload() {
        return payload;
    }

    /** The payload length in bytes. */
    public int length() {
        return payload.length;
    }

    /** The payload decoded as UTF-8 (meaningful for TEXT frames and their continuations). */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Equal when opcode, FIN and payload bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that
                && opcode == that.opcode
                && fin == that.fin
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return (opcode.hashCode() * 31 + Boolean.hashCode(fin)) * 31 + Arrays.hashCode(payload);
    }

    /** Opcode, FIN and length; the payload itself only when it is short. */
    @Override
    public String toString() {
        String body = payload.length <= 64
                ? (opcode == Opcode.TEXT || opcode == Opcode.CONTINUATION ? '"' + text() + '"' : payload.length + " bytes")
                : payload.length + " bytes";
        return "Frame{" + opcode + (fin ? "" : ", fin=false") + ", " + body + '}';
    }
}
