package io.wsreactor.frame;

/** The frame opcodes of RFC 6455 §5.2. Reserved opcodes have no constant: the decoder fails on them. */
public enum Opcode {
    /** 0x0: a later fragment of a fragmented text or binary message. */
    CONTINUATION(0x0),
    /** 0x1: a text message (or its first fragment), UTF-8. */
    TEXT(0x1),
    /** 0x2: a binary message (or its first fragment). */
    BINARY(0x2),
    /** 0x8: a close frame, with an optional status code and reason. */
    CLOSE(0x8),
    /** 0x9: a ping, which the other side answers with a pong carrying the same payload. */
    PING(0x9),
    /** 0xA: a pong, the answer to a ping (or an unsolicited heartbeat). */
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The four-bit value sent on the wire. */
    public int code() {
        return code;
    }

    /** Whether this is a control frame opcode (CLOSE, PING, PONG), RFC 6455 §5.5. */
    public boolean isControl() {
        return code >= 0x8;
    }

    /**
     * The opcode with the given wire value.
     *
     * @return the opcode, or null when {@code code} is reserved (3–7, 0xB–0xF) or out of range
     */
    public static Opcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
