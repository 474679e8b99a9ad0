package io.wsreactor;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One peer's subscription to one {@link Topic}. In a conflating topic it also remembers, per key, the entry still
 * queued for this peer, so a newer message with that key can replace it (docs/ARCHITECTURE.md, "Conflation"); the
 * entry forgets itself when the reactor takes it, so the map holds only what is queued.
 */
final class Subscription {
    final WsPeer peer;
    /** Queued entries by key; null unless the topic conflates. */
    private final ConcurrentHashMap<Object, ConflatedEntry> queued;

    Subscription(WsPeer peer, boolean conflating) {
        this.peer = peer;
        this.queued = conflating ? new ConcurrentHashMap<>() : null;
    }

    /** The entry with this key still waiting in the peer's queue, or null. */
    ConflatedEntry queued(Object key) {
        return queued.get(key);
    }

    void remember(Object key, ConflatedEntry entry) {
        queued.put(key, entry);
    }

    /** The reactor took {@code entry}: a newer message with its key needs an entry of its own. */
    void forget(Object key, ConflatedEntry entry) {
        queued.remove(key, entry);
    }
}
