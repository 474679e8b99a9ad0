package io.wsreactor;

import java.util.Arrays;

/**
 * One publish on its way to its recipients, on the publishing thread (docs/ARCHITECTURE.md, "Fan-out").
 *
 * <p>For each recipient: its slow-consumer policy, then one small node into its queue; no lock, no wait, no copy of
 * the payload. What would cost per recipient is paid once: the server's memory budget is charged with one add, and
 * the connections whose queue was idle are handed to their reactor in one batch, one command and at most one wake-up
 * per reactor, by {@link #finish()}, which must run however the loop ended.
 */
final class Fanout {
    private final Publication message;
    private final Publisher publisher;
    /** What each recipient owes for the message (its limits count this). */
    private final long cost;
    private final int sizeHint;
    private int queued;
    private int replaced;
    private int dropped;
    private int refused;
    private int closed;
    /** Entries queued or held, each holding the shared message. */
    private int holders;
    /** Budget for the nodes queued so far, charged at once at the end. */
    private long charged;
    /** Reactors with connections to flush, and their batches; almost always one. */
    private Reactor[] reactors = new Reactor[1];
    private Connection[][] batches = new Connection[1][];
    private int[] counts = new int[1];
    private int reactorCount;
    private boolean finished;

    Fanout(Publication message, Publisher publisher, int sizeHint) {
        this.message = message;
        this.publisher = publisher;
        this.cost = message.cost();
        this.sizeHint = sizeHint;
    }

    /** Offers the message to one peer. */
    void deliver(WsPeer peer) {
        if (admitted(peer)) {
            queue(peer, new PublishedEntry(message));
        }
    }

    /** Offers the message to one subscriber of a conflating topic under {@code key}. */
    void deliver(Subscription subscription, Object key) {
        WsPeer peer = subscription.peer;
        ConflatedEntry waiting = subscription.queued(key);
        if (waiting != null) {
            Publication older = waiting.replace(message);
            if (older != null) {
                peer.connection.outbound.recount(cost - older.cost());
                replaced++;
                return;
            }
        }
        if (admitted(peer)) {
            ConflatedEntry entry = new ConflatedEntry(message, subscription, key);
            if (queue(peer, entry)) {
                subscription.remember(key, entry);
            }
        }
    }

    private boolean admitted(WsPeer peer) {
        switch (peer.writer.admitPublished(message.payload.length)) {
            case QUEUED:
                return true;
            case DROPPED:
                dropped++;
                return false;
            case CLOSED:
                closed++;
                return false;
            default:
                refused++;
                return false;
        }
    }

    /** @return true when the entry went into the peer's queue (not held behind a fragmented message) */
    private boolean queue(WsPeer peer, OutboundEntry entry) {
        // A conflated entry may change its message, so it counts its bytes as its own instead of sharing them.
        int holds = entry instanceof PublishedEntry ? 1 : 0;
        // Read while the entry is still this thread's alone: once queued, the reactor may take and write it, and a
        // newer message may replace a conflated one (that replacement recounts from this cost).
        long cost = entry.budgetCost();
        return switch (peer.writer.enqueuePublished(entry)) {
            case QUEUED_IDLE -> {
                flushLater(peer.connection);
                yield queued(cost, holds);
            }
            case QUEUED -> queued(cost, holds);
            case HELD -> {
                queued++; // its node is charged when it is queued
                holders += holds;
                yield false;
            }
            case HELD_FULL -> {
                refused++;
                yield false;
            }
        };
    }

    private boolean queued(long cost, int holds) {
        queued++;
        holders += holds;
        charged += cost;
        return true;
    }

    private void flushLater(Connection connection) {
        Reactor reactor = connection.reactor;
        int i = 0;
        while (i < reactorCount && reactors[i] != reactor) {
            i++;
        }
        if (i == reactorCount) {
            if (i == reactors.length) {
                reactors = Arrays.copyOf(reactors, i * 2);
                batches = Arrays.copyOf(batches, i * 2);
                counts = Arrays.copyOf(counts, i * 2);
            }
            reactors[i] = reactor;
            batches[i] = publisher.borrowBatch(sizeHint);
            reactorCount++;
        }
        Connection[] batch = batches[i];
        if (counts[i] == batch.length) {
            batch = Arrays.copyOf(batch, batch.length * 2);
            batches[i] = batch;
        }
        batch[counts[i]++] = connection;
    }

    /** Charges the budget, hands each reactor its batch of connections to flush, and tells what became of it. */
    PublishResult finish() {
        if (!finished) {
            finished = true;
            MemoryBudget budget = publisher.budget;
            budget.add(charged + message.total);
            long free = message.handOver(holders);
            if (free != 0) {
                budget.release(free);
            }
        }
        for (int i = 0; i < reactorCount; i++) {
            Connection[] batch = batches[i];
            int count = counts[i];
            reactors[i].requestFlushes(batch, count, () -> publisher.giveBack(batch, count));
        }
        reactorCount = 0;
        return new PublishResult(queued, replaced, dropped, refused, closed);
    }
}
