package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameEncoder;
import io.wsreactor.frame.Opcode;
import java.nio.ByteBuffer;

/**
 * A published message, encoded once and shared read-only by every recipient's queue (docs/ARCHITECTURE.md,
 * "Fan-out"): the header is made here, once; the payload is the frame's own array, never copied on the publishing
 * thread. Each recipient's reactor copies header and payload into its write buffer as it does for any frame.
 */
final class Publication {
    final Opcode opcode;
    final byte[] header;
    final byte[] payload;
    final int total;

    /** @throws IllegalArgumentException unless the frame is a whole TEXT or BINARY message */
    Publication(Frame frame) {
        Opcode opcode = frame.opcode();
        if ((opcode != Opcode.TEXT && opcode != Opcode.BINARY) || !frame.fin()) {
            throw new IllegalArgumentException("only whole TEXT or BINARY messages are published, not " + opcode
                    + (frame.fin() ? "" : " with fin=false"));
        }
        this.opcode = opcode;
        this.payload = frame.payload();
        this.header = new byte[FrameEncoder.headerLength(payload.length)];
        FrameEncoder.writeHeader(ByteBuffer.wrap(header), opcode, true, payload.length);
        this.total = header.length + payload.length;
    }

    /** What one recipient's queued copy counts against its limits (see {@link MemoryBudget#cost}). */
    long cost() {
        return MemoryBudget.cost(total);
    }
}
