package io.wsreactor;

import io.wsreactor.frame.FrameEncoder;
import io.wsreactor.frame.Opcode;
import java.util.concurrent.CompletableFuture;

/**
 * A frame of one connection's own (a write, a pong, a ping, a close) or its upgrade response: the frame's parts,
 * not encoded bytes, so nothing is encoded into a temporary array and the payload is copied once, into the
 * reactor's direct write buffer.
 */
final class FrameEntry extends OutboundEntry {
    private final Kind kind;
    private final byte opcodeAndFin;
    private final int headerLength;
    private final int total;
    private byte[] payload;
    private final CompletableFuture<Void> future;

    FrameEntry(Kind kind, Opcode opcode, boolean fin, byte[] payload, CompletableFuture<Void> future) {
        this.kind = kind;
        this.opcodeAndFin = opcode == null ? 0 : (byte) ((fin ? 0x80 : 0) | opcode.code());
        this.headerLength = kind == Kind.RESPONSE ? 0 : FrameEncoder.headerLength(payload.length);
        this.total = headerLength + payload.length;
        this.payload = payload;
        this.future = future;
    }

    @Override
    Kind kind() {
        return kind;
    }

    @Override
    int total() {
        return total;
    }

    @Override
    int headerLength() {
        return headerLength;
    }

    @Override
    byte[] payload() {
        return payload;
    }

    @Override
    CompletableFuture<Void> future() {
        return future;
    }

    @Override
    Opcode opcode() {
        return Opcode.of(opcodeAndFin & 0x0F);
    }

    @Override
    boolean fin() {
        return (opcodeAndFin & 0x80) != 0;
    }

    @Override
    void clear() {
        payload = null;
    }
}
