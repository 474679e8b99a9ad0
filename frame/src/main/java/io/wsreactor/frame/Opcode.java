package io.wsreactor.frame;

/** The frame opcodes of RFC 6455 §5.2. Reserved opcodes have no constant: the decoder fails on them. */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
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
