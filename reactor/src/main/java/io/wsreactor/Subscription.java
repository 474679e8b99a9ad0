package io.wsreactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One peer's place in one {@link Topic}, kept from its first subscribe until the peer closes: unsubscribing and
 * subscribing again only flip {@link #active}, so a publish iterating the topic's map never meets the peer twice (a
 * key removed and put back could be met once as each). In a conflating topic it also remembers, per key, the entry
 * still queued for this peer, so a newer message with that key can replace it (docs/ARCHITECTURE.md, "Conflation");
 * the entry forgets itself when the reactor takes it, so the map holds only what is queued.
 */
final class Subscription {
    private static final VarHandle ACTIVE;

    static {
        try {
            ACTIVE = MethodHandles.lookup().findVarHandle(Subscription.class, "active", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final WsPeer peer;
    /** Whether publishes reach the peer: true while subscribed. */
    volatile boolean active;
    /** Queued entries by key; null unless the topic conflates. */
    private final ConcurrentHashMap<Object, ConflatedEntry> queued;

    Subscription(WsPeer peer, boolean conflating) {
        this.peer = peer;
        this.queued = conflating ? new ConcurrentHashMap<>() : null;
    }

    /** @return true if this call made it active */
    boolean activate() {
        return ACTIVE.compareAndSet(this, false, true);
    }

    /** @return true if this call made it inactive */
    boolean deactivate() {
        return ACTIVE.compareAndSet(this, true, false);
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
