package io.wsreactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free multi-producer, single-consumer queue of {@link OutboundEntry} nodes (Vyukov's intrusive queue).
 *
 * <p>Any thread may {@link #offer}; only the reactor thread may {@link #poll}. Each producer's entries come out in
 * the order it offered them, so each writer thread's frames keep their order on the wire. An offer costs one atomic
 * swap and no lock.
 */
final class OutboundQueue {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(OutboundQueue.class, "tail", OutboundEntry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // written through TAIL
    private volatile OutboundEntry tail;
    /** The consumer's node: the stub or the last entry polled. */
    private OutboundEntry head;

    OutboundQueue() {
        OutboundEntry stub = OutboundEntry.stub();
        head = stub;
        tail = stub;
    }

    /** Appends an entry. Any thread. */
    void offer(OutboundEntry entry) {
        OutboundEntry previous = (OutboundEntry) TAIL.getAndSet(this, entry);
        previous.next = entry;
    }

    /**
     * The oldest entry, or null when empty (or when a producer is between its swap and its link, in which case
     * that producer schedules another flush after linking). Reactor thread only.
     */
    OutboundEntry poll() {
        OutboundEntry next = head.next;
        if (next == null) {
            return null;
        }
        head = next;
        return next;
    }
}
