package io.wsreactor;

import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A recipient's queue node in a conflating topic: until the reactor takes it, a newer message with the same key
 * replaces the one it carries, in place, so a subscriber that is behind gets the latest value rather than a backlog
 * (docs/ARCHITECTURE.md, "Conflation").
 *
 * <p>{@link #message} is swapped by publishers with a compare-and-set; the reactor's {@link #taken()} sets it to
 * null and keeps what it found, so a publisher that comes later queues a new entry instead.
 */
final class ConflatedEntry extends OutboundEntry {
    private static final VarHandle MESSAGE;

    static {
        try {
            MESSAGE = MethodHandles.lookup().findVarHandle(ConflatedEntry.class, "message", Publication.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The message to write while the entry waits in the queue; null once taken. */
    @SuppressWarnings("unused") // accessed through MESSAGE
    private volatile Publication message;
    /** The message taken for writing. Reactor thread only. */
    private Publication taken;
    private final Subscription owner;
    private final Object key;

    ConflatedEntry(Publication message, Subscription owner, Object key) {
        this.message = message;
        this.owner = owner;
        this.key = key;
    }

    /**
     * Replaces the queued message with a newer one, unless the reactor took the entry already. Any thread.
     *
     * @return the message replaced, or null when the entry was taken (queue a new one)
     */
    Publication replace(Publication newer) {
        while (true) {
            Publication current = message;
            if (current == null) {
                return null;
            }
            if (MESSAGE.compareAndSet(this, current, newer)) {
                return current;
            }
        }
    }

    @Override
    void taken() {
        taken = (Publication) MESSAGE.getAndSet(this, (Publication) null);
        owner.forget(key, this);
    }

    private Publication current() {
        Publication written = taken;
        return written != null ? written : message;
    }

    @Override
    Kind kind() {
        return Kind.DATA;
    }

    @Override
    int total() {
        return current().total;
    }

    @Override
    int headerLength() {
        return current().header.length;
    }

    @Override
    byte[] payload() {
        return current().payload;
    }

    @Override
    byte[] encodedHeader() {
        return current().header;
    }

    @Override
    Opcode opcode() {
        return current().opcode;
    }

    @Override
    boolean fin() {
        return true;
    }
}
