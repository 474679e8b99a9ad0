package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A server's fan-out: its topics and the publish loop (docs/ARCHITECTURE.md, "Fan-out"). Any thread.
 *
 * <p>The arrays that carry a publish's flush requests to a reactor are lent from a few spare slots and given back by
 * the reactor once it took the connections, so a steady publisher allocates none.
 */
final class Publisher {
    /** Batches kept for reuse; past it they are left to the garbage collector. */
    private static final int SPARE_BATCHES = 4;
    /** The largest batch kept for reuse (a publish to more connections makes its own). */
    private static final int MAX_SPARE_LENGTH = 1 << 20;

    final MemoryBudget budget;
    private final WsServer server;
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Connection[]> spare = new AtomicReferenceArray<>(SPARE_BATCHES);

    Publisher(WsServer server, MemoryBudget budget) {
        this.server = server;
        this.budget = budget;
    }

    Topic topic(String name, boolean conflating) {
        Objects.requireNonNull(name, "name");
        Topic topic = topics.computeIfAbsent(name, n -> new Topic(n, conflating, this));
        if (topic.isConflating() != conflating) {
            throw new IllegalArgumentException("topic " + name + " exists and is "
                    + (topic.isConflating() ? "conflating" : "not conflating"));
        }
        return topic;
    }

    PublishResult publish(Frame frame, Collection<? extends WsPeer> peers) {
        Objects.requireNonNull(peers, "peers");
        Fanout fanout = new Fanout(new Publication(Objects.requireNonNull(frame, "frame")), this, peers.size());
        try {
            for (WsPeer peer : peers) {
                fanout.deliver(checkPeer(peer));
            }
        } catch (RuntimeException | Error e) {
            fanout.finish(); // the entries queued before the bad peer still get their flush
            throw e;
        }
        return fanout.finish();
    }

    /** @throws IllegalArgumentException for a peer of another server */
    WsPeer checkPeer(WsPeer peer) {
        if (Objects.requireNonNull(peer, "peer").connection.reactor.server != server) {
            throw new IllegalArgumentException("the peer " + peer.remoteAddress() + " belongs to another server");
        }
        return peer;
    }

    /** A batch for flush requests with room for about {@code sizeHint} connections. */
    Connection[] borrowBatch(int sizeHint) {
        int wanted = Math.max(16, Math.min(sizeHint, MAX_SPARE_LENGTH));
        for (int i = 0; i < SPARE_BATCHES; i++) {
            Connection[] batch = spare.get(i);
            if (batch != null && batch.length >= wanted && spare.compareAndSet(i, batch, null)) {
                return batch;
            }
        }
        return new Connection[wanted];
    }

    /** The reactor took the batch's connections: it may serve another publish. */
    void giveBack(Connection[] batch, int count) {
        Arrays.fill(batch, 0, count, null);
        if (batch.length > MAX_SPARE_LENGTH) {
            return;
        }
        for (int i = 0; i < SPARE_BATCHES; i++) {
            if (spare.get(i) == null && spare.compareAndSet(i, null, batch)) {
                return;
            }
        }
    }
}
