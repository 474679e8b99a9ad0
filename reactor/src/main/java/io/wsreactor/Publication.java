package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameEncoder;
import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A published message, encoded once and shared read-only by every recipient's queue (docs/ARCHITECTURE.md,
 * "Fan-out"): the header is made here, once; the payload is the frame's own array, never copied on the publishing
 * thread. Each recipient's reactor copies header and payload into its write buffer as it does for any frame.
 *
 * <p>The server's memory budget counts the shared bytes once, from the publish until the last recipient's entry is
 * written or discarded, and each recipient's node apart; each recipient's own limits count the whole message, which is
 * what it owes.
 */
final class Publication {
    private static final VarHandle HOLDERS;
    /** The publisher's own hold while it queues: larger than any count of recipients. */
    private static final int PUBLISHER_HOLD = 1 << 30;

    static {
        try {
            HOLDERS = MethodHandles.lookup().findVarHandle(Publication.class, "holders", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Opcode opcode;
    final byte[] header;
    final byte[] payload;
    final int total;
    /**
     * Who holds the shared bytes: the entries queued for recipients, plus {@link #PUBLISHER_HOLD} until the
     * publisher hands over, so that the count reaches 0 once, when the last holder lets go, however early the
     * reactor writes the first entries.
     */
    @SuppressWarnings("unused") // accessed through HOLDERS
    private volatile int holders = PUBLISHER_HOLD;

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

    /**
     * The publisher has queued {@code recipients} entries (on the reactor thread they may already be written): its
     * own hold becomes theirs.
     *
     * @return the bytes to give back to the memory budget now (when every holder let go already), else 0
     */
    long handOver(int recipients) {
        int before = (int) HOLDERS.getAndAdd(this, recipients - PUBLISHER_HOLD);
        return before + recipients - PUBLISHER_HOLD == 0 ? total : 0;
    }

    /** One recipient's entry is written or discarded. @return the bytes to give back to the budget, if it was last */
    long letGo() {
        return (int) HOLDERS.getAndAdd(this, -1) == 1 ? total : 0;
    }

    /** What one recipient's queued copy counts against its limits (see {@link MemoryBudget#cost}). */
    long cost() {
        return MemoryBudget.cost(total);
    }
}
