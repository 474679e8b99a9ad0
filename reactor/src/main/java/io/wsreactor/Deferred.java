package io.wsreactor;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Published messages waiting for a peer's open fragmented message to end, so they never land inside it
 * (docs/ARCHITECTURE.md, "Fan-out"). Made on the first such message; the lock is held only to add or to move the
 * entries to the queue, never across a wait.
 */
final class Deferred {
    /** Published messages held per peer at most; past it a message is refused for that peer. */
    static final int MAX_HELD = 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Outbound outbound;
    private ArrayDeque<OutboundEntry> entries;

    Deferred(Outbound outbound) {
        this.outbound = outbound;
    }

    /**
     * Holds an entry while {@code fragmentOpen} says the message is still open.
     *
     * @return 0 when held, 1 when refused (full), -1 when the message had ended: the caller queues it itself
     */
    int hold(OutboundEntry entry, BooleanSupplier fragmentOpen) {
        lock.lock();
        try {
            if (!fragmentOpen.getAsBoolean()) {
                return -1;
            }
            if (entries == null) {
                entries = new ArrayDeque<>(8);
            }
            if (entries.size() >= MAX_HELD) {
                return 1;
            }
            entries.add(entry);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The fragmented message's last frame is queued: queues the held entries behind it, then runs
     * {@code endMessage} (which lets new messages start) before anyone else can hold or queue.
     */
    void release(Runnable endMessage) {
        lock.lock();
        try {
            if (entries != null) {
                for (OutboundEntry entry; (entry = entries.poll()) != null; ) {
                    outbound.offer(entry);
                }
                entries = null;
            }
            endMessage.run();
        } finally {
            lock.unlock();
        }
    }

    /** The connection closed: the held entries go nowhere. */
    void clear() {
        lock.lock();
        try {
            if (entries != null) {
                for (OutboundEntry entry; (entry = entries.poll()) != null; ) {
                    outbound.letGo(entry);
                }
                entries = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
