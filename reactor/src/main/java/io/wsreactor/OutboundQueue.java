package io.wsreactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free multi-producer, single-consumer queue of {@link OutboundEntry} nodes (Vyukov's intrusive queue).
 *
 * <p>Any thread may {@link #offer}; only the reactor thread may {@link #poll}. Each producer's entries come out in
 * the order it offered them, so each writer thread's frames keep their order on the wire. An offer costs one atomic
 * swap and no lock.
 *
 * <p>The queue's own {@link #first} field plays the part of Vyukov's stub node, and the consumer lets go of the last
 * entry it polled once the queue is empty, so an idle connection's queue holds no node at all (a server keeps one
 * queue per idle connection).
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

    /** The last entry offered; null when the queue is empty and the consumer holds no entry. */
    @SuppressWarnings("unused") // written through TAIL
    private volatile OutboundEntry tail;
    /** The stub's link: the first entry offered after the queue was empty (written by that producer). */
    private volatile OutboundEntry first;
    /** The consumer's node: the last entry polled, or null when at the stub. Reactor thread only. */
    private OutboundEntry head;

    /** Whether nothing is queued and the consumer holds no entry. Any thread. */
    boolean isEmpty() {
        return tail == null;
    }

    /** Appends an entry. Any thread. */
    void offer(OutboundEntry entry) {
        OutboundEntry previous = (OutboundEntry) TAIL.getAndSet(this, entry);
        if (previous == null) {
            first = entry;
        } else {
            previous.next = entry;
        }
    }

    /**
     * The oldest entry, or null when empty (or when a producer is between its swap and its link, in which case
     * that producer schedules another flush after linking). Reactor thread only.
     */
    OutboundEntry poll() {
        OutboundEntry next;
        if (head == null) {
            next = first;
            if (next == null) {
                return null;
            }
            // No producer writes first again until the queue is empty: tail is not null from here on.
            first = null;
        } else {
            next = head.next;
            if (next == null) {
                return null;
            }
        }
        head = next;
        if (next.next == null && TAIL.compareAndSet(this, next, (OutboundEntry) null)) {
            // The queue is empty again: back to the stub, so the polled entry is not kept while idle.
            head = null;
        }
        return next;
    }
}
