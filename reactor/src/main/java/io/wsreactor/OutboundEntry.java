package io.wsreactor;

import io.wsreactor.frame.FrameEncoder;
import io.wsreactor.frame.Opcode;
import java.util.concurrent.CompletableFuture;

/**
 * One frame (or raw handshake bytes) waiting to be written, and a node of the {@link OutboundQueue}.
 *
 * <p>Holds the frame's parts instead of encoded bytes: the reactor writes the header straight into its direct
 * write buffer next to the payload, so nothing is encoded into a temporary array and a payload is copied once.
 * {@link #written} is the reactor's progress through header and payload.
 */
final class OutboundEntry {
    /** A data, ping or pong frame from the application. */
    static final int DATA = 0;
    /** A control frame made by the reactor (pong answer, keepalive ping): never counted in outbound bytes. */
    static final int CONTROL = 1;
    /** A close frame: the fence after which nothing more is written. */
    static final int CLOSE = 2;
    /** Raw bytes (the HTTP handshake response). */
    static final int RAW = 3;

    final int kind;
    final byte opcodeAndFin;
    final int headerLength;
    final int total;
    byte[] payload;
    final CompletableFuture<Void> future;
    /** Whether {@link #total} was added to the peer's outbound byte count. */
    boolean counted;
    /** Reactor only: bytes of header and payload already handed to the socket. */
    int written;
    /** The MPSC link, written by producers with release semantics (see {@link OutboundQueue}). */
    volatile OutboundEntry next;

    private OutboundEntry(int kind, Opcode opcode, boolean fin, byte[] payload, CompletableFuture<Void> future) {
        this.kind = kind;
        this.opcodeAndFin = opcode == null ? 0 : (byte) ((fin ? 0x80 : 0) | opcode.code());
        this.headerLength = kind == RAW ? 0 : FrameEncoder.headerLength(payload.length);
        this.total = headerLength + payload.length;
        this.payload = payload;
        this.future = future;
    }

    static OutboundEntry frame(int kind, Opcode opcode, boolean fin, byte[] payload, CompletableFuture<Void> future) {
        return new OutboundEntry(kind, opcode, fin, payload, future);
    }

    static OutboundEntry raw(byte[] bytes) {
        return new OutboundEntry(RAW, null, true, bytes, null);
    }

    int remaining() {
        return total - written;
    }

    Opcode opcode() {
        return Opcode.of(opcodeAndFin & 0x0F);
    }

    boolean fin() {
        return (opcodeAndFin & 0x80) != 0;
    }
}
