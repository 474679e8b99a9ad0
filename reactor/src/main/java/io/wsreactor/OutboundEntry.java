package io.wsreactor;

import io.wsreactor.frame.FrameEncoder;
import io.wsreactor.frame.Opcode;
import java.util.concurrent.CompletableFuture;

/**
 * One frame (or the HTTP response to the upgrade request) waiting to be written, and a node of the
 * {@link OutboundQueue}.
 *
 * <p>Holds the frame's parts instead of encoded bytes: the reactor writes the header straight into its direct
 * write buffer next to the payload, so nothing is encoded into a temporary array and a payload is copied once.
 * {@link #written} is the reactor's progress through header and payload.
 */
final class OutboundEntry {
    /** What an entry is, which decides where {@link Outbound} puts it and whether it counts as a frame. */
    enum Kind {
        /** A data, ping or pong frame from the application: its bytes count against the slow-consumer limits. */
        DATA,
        /** A control frame made by the reactor (pong answer, keepalive ping): never counted in outbound bytes. */
        CONTROL,
        /** A close frame: the fence after which nothing more is written. */
        CLOSE,
        /** The HTTP response to the upgrade request (101 or a rejection): raw bytes, written before anything. */
        RESPONSE
    }

    final Kind kind;
    final byte opcodeAndFin;
    final int headerLength;
    final int total;
    byte[] payload;
    final CompletableFuture<Void> future;
    /** Whether {@link #total} was added to the outbound byte count (see {@link Outbound#queuedBytes()}). */
    boolean counted;
    /** Reactor only: bytes of header and payload already handed to the socket. */
    int written;
    /** The MPSC link, written by producers with release semantics (see {@link OutboundQueue}). */
    volatile OutboundEntry next;

    private OutboundEntry(Kind kind, Opcode opcode, boolean fin, byte[] payload, CompletableFuture<Void> future) {
        this.kind = kind;
        this.opcodeAndFin = opcode == null ? 0 : (byte) ((fin ? 0x80 : 0) | opcode.code());
        this.headerLength = kind == Kind.RESPONSE ? 0 : FrameEncoder.headerLength(payload.length);
        this.total = headerLength + payload.length;
        this.payload = payload;
        this.future = future;
    }

    /** A frame of {@code kind} (not {@link Kind#RESPONSE}); {@code future} completes when it is written, or null. */
    static OutboundEntry frame(Kind kind, Opcode opcode, boolean fin, byte[] payload,
            CompletableFuture<Void> future) {
        if (kind == Kind.RESPONSE) {
            throw new IllegalArgumentException("a handshake response is made with response(bytes)");
        }
        return new OutboundEntry(kind, opcode, fin, payload, future);
    }

    /** The HTTP response to the upgrade request, written as it is. */
    static OutboundEntry response(byte[] bytes) {
        return new OutboundEntry(Kind.RESPONSE, null, true, bytes, null);
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
