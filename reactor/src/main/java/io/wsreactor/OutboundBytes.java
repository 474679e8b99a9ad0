package io.wsreactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The bytes a connection's outbound path holds and the settling of each entry: a data entry's bytes are counted
 * against the peer's limits ({@link #queuedBytes}) and the server's {@link MemoryBudget} from its offer until it is
 * written or failed; then they are given back, the peer's writer is told ({@link #onRelease}) and the entry's future
 * completes.
 *
 * <p>{@link Outbound} extends it with the queue and the order of the wire (one object per connection, as before).
 * Any thread may read {@link #queuedBytes} and {@link #overBudget}; entries are settled on the reactor thread.
 */
abstract class OutboundBytes {
    /** Who is told the bytes left whenever counted bytes are written or discarded (the peer's writer). */
    interface ReleaseListener {
        /** Counted bytes were written or discarded; {@code left} remain queued. Reactor thread. */
        void released(long left);
    }

    private static final VarHandle QUEUED_BYTES;

    static {
        try {
            QUEUED_BYTES = MethodHandles.lookup().findVarHandle(OutboundBytes.class, "queuedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final StatsRecorder stats;
    final MemoryBudget budget;
    @SuppressWarnings("unused") // accessed through QUEUED_BYTES
    private volatile long queuedBytes;
    /** Told the bytes left each time counted bytes are written or discarded; null when nobody listens. */
    private volatile ReleaseListener releaseListener;

    OutboundBytes(StatsRecorder stats, MemoryBudget budget) {
        this.stats = stats;
        this.budget = budget;
    }

    /** Counts a data entry's bytes in {@link #queuedBytes} until it is settled. Any thread. */
    final void countIn(OutboundEntry entry) {
        entry.counted = true;
        QUEUED_BYTES.getAndAdd(this, MemoryBudget.cost(entry.total()));
    }

    /** Changes the bytes counted for a queued entry whose message was replaced by a newer one (conflation). */
    final void recount(long delta) {
        QUEUED_BYTES.getAndAdd(this, delta);
        budget.add(delta);
    }

    /** An entry that was never queued is let go (a published message held for a peer that closed). */
    final void letGo(OutboundEntry entry) {
        long shared = entry.letGo();
        if (shared != 0) {
            budget.release(shared);
        }
    }

    /**
     * Whether the server's memory budget says this peer's writes must meet its slow-consumer policy now, as past the
     * hard limit: the budget presses and this peer holds more than its share. Any thread.
     */
    final boolean overBudget() {
        return budget.overShare(queuedBytes);
    }

    /**
     * What the data frames queued and not yet handed to the socket cost: their bytes plus a fixed overhead each
     * ({@link MemoryBudget#ENTRY_OVERHEAD}), so that empty frames are not free. Any thread.
     */
    final long queuedBytes() {
        return (long) QUEUED_BYTES.getVolatile(this);
    }

    /** Sets who is told the bytes left whenever counted bytes are written or discarded (the peer's writer). */
    final void onRelease(ReleaseListener listener) {
        releaseListener = listener;
    }

    /** An entry reached the socket in full: count it, give back its bytes, complete its future. */
    final void settleWritten(OutboundEntry entry) {
        if (entry.kind() != OutboundEntry.Kind.RESPONSE) {
            stats.framesOut++;
        }
        stats.bytesOut += entry.total();
        release(entry);
        entry.clear();
        CompletableFuture<Void> future = entry.future();
        if (future != null) {
            future.complete(null);
        }
    }

    /** Fails every entry of {@code entries} with {@code why}, emptying it. */
    final void failAll(ArrayDeque<OutboundEntry> entries, Exception why) {
        for (OutboundEntry entry; (entry = entries.poll()) != null; ) {
            fail(entry, why);
        }
    }

    /** An entry will not be written: give back its bytes, fail its future with {@code why}. */
    final void fail(OutboundEntry entry, Exception why) {
        release(entry);
        entry.clear();
        CompletableFuture<Void> future = entry.future();
        if (future != null) {
            future.completeExceptionally(why);
        }
    }

    private void release(OutboundEntry entry) {
        if (!entry.counted) {
            return;
        }
        entry.counted = false;
        long cost = MemoryBudget.cost(entry.total());
        long left = (long) QUEUED_BYTES.getAndAdd(this, -cost) - cost;
        budget.release(entry.budgetCost() + entry.letGo());
        ReleaseListener listener = releaseListener;
        if (listener != null) {
            listener.released(left);
        }
    }
}
