package io.wsreactor;

import io.wsreactor.frame.Opcode;
import java.util.concurrent.CompletableFuture;

/**
 * One frame (or the HTTP response to the upgrade request) waiting to be written, and a node of the
 * {@link OutboundQueue}.
 *
 * <p>The node itself holds only what is per connection: the queue link, the reactor's progress ({@link #written})
 * and whether its bytes are counted. What is written comes from the subclass: a frame of this connection's own
 * ({@link FrameEntry}: the frame's parts, the header written by the reactor straight into its direct write buffer),
 * or a published message shared read-only by every recipient ({@link PublishedEntry}, docs/ARCHITECTURE.md,
 * "Fan-out"), so a recipient costs one small node.
 */
abstract class OutboundEntry {
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

    /** The MPSC link, written by producers with release semantics (see {@link OutboundQueue}). */
    volatile OutboundEntry next;
    /** Reactor only: bytes of header and payload already handed to the socket. */
    int written;
    /** Whether {@link #total} was added to the outbound byte count (see {@link Outbound#queuedBytes()}). */
    boolean counted;

    /** A frame of {@code kind} (not {@link Kind#RESPONSE}); {@code future} completes when it is written, or null. */
    static OutboundEntry frame(Kind kind, Opcode opcode, boolean fin, byte[] payload,
            CompletableFuture<Void> future) {
        if (kind == Kind.RESPONSE) {
            throw new IllegalArgumentException("a handshake response is made with response(bytes)");
        }
        return new FrameEntry(kind, opcode, fin, payload, future);
    }

    /** The HTTP response to the upgrade request, written as it is. */
    static OutboundEntry response(byte[] bytes) {
        return new FrameEntry(Kind.RESPONSE, null, true, bytes, null);
    }

    abstract Kind kind();

    /** Header and payload bytes together. */
    abstract int total();

    abstract int headerLength();

    /** The payload; null once the entry was written or failed. */
    abstract byte[] payload();

    /** The header made once for every recipient, or null when the reactor writes it from the frame's parts. */
    byte[] encodedHeader() {
        return null;
    }

    /** Completed when the entry is written; null when nobody waits. */
    CompletableFuture<Void> future() {
        return null;
    }

    abstract Opcode opcode();

    abstract boolean fin();

    /**
     * What the entry costs the server's memory budget while queued: its bytes and {@link MemoryBudget#ENTRY_OVERHEAD},
     * unless they are shared with other recipients (see {@link #letGo}).
     */
    long budgetCost() {
        return MemoryBudget.cost(total());
    }

    /**
     * The entry is written or discarded: lets go of a share in bytes held for many recipients.
     *
     * @return the bytes to give back to the budget now that nobody holds them; 0 for bytes of this entry's own
     */
    long letGo() {
        return 0;
    }

    /** The reactor took the entry off the queue: from now on what it writes may not change (conflation). */
    void taken() {
    }

    /** The entry is done with (written or failed): let go of what only it holds. */
    void clear() {
    }

    int remaining() {
        return total() - written;
    }
}
