package io.wsreactor;

import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Keeps a peer's messages whole on the wire: nothing lands inside a fragmented message, neither another writer's
 * message nor a published one (docs/ARCHITECTURE.md, "Fan-out", "Order").
 *
 * <p>One state word: values from 0 up count whole-message writers in flight (between their check and their
 * queueing), {@link #SENDING} means a fragmented message is open, {@link #DROPPING} that one is being dropped (DROP
 * policy). A new message may not start while one is open; a fragmented message starts only when no whole-message
 * writer is in flight. A published message that meets an open fragmented message waits in {@link Deferred} and is
 * queued right after its last fragment. Lock-free but for that hand-off. Any thread.
 *
 * <p>{@link Writability} extends it with the close fence and the waits at the high-water mark, and {@link PeerWriter}
 * with the checks, the slow-consumer policy and the queueing (one object per peer, as before).
 */
abstract class MessageOrder {
    private static final VarHandle MESSAGE_STATE;
    /** Message state: a fragmented message is being sent. */
    static final int SENDING = -1;
    /** Message state: a fragmented message is being dropped (DROP policy): its continuations are discarded. */
    static final int DROPPING = -2;

    static {
        try {
            MESSAGE_STATE = MethodHandles.lookup().findVarHandle(MessageOrder.class, "messageState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What became of a published message's entry for this peer ({@link #enqueuePublished}). */
    enum Enqueued {
        /** Queued, and the queue was idle: the caller asks the reactor for a flush. */
        QUEUED_IDLE,
        /** Queued behind entries a flush is already asked for. */
        QUEUED,
        /** Held until the open fragmented message ends (queued then, with its flush). */
        HELD,
        /** Refused, as {@link Deferred#MAX_HELD} messages are held already. */
        HELD_FULL
    }

    final Outbound outbound;
    /** The state word above; written through {@link #MESSAGE_STATE}. */
    volatile int messageState;
    /** Published messages held while a fragmented message is open; made on first need. */
    private volatile Deferred deferred;

    MessageOrder(Outbound outbound) {
        this.outbound = outbound;
    }

    /** Counts a whole-message writer in, unless a fragmented message is open. @return whether it was counted */
    final boolean enterWhole() {
        while (true) {
            int state = messageState;
            if (state < 0) {
                return false;
            }
            if (MESSAGE_STATE.compareAndSet(this, state, state + 1)) {
                return true;
            }
        }
    }

    /** A whole-message writer counted in by {@link #enterWhole} has queued (or dropped) its message. */
    final void leaveWhole() {
        MESSAGE_STATE.getAndAdd(this, -1);
    }

    /**
     * Opens a fragmented message, to be sent or, with {@code drop}, dropped; waits out whole-message writers in
     * flight (each is between its check and its queueing).
     *
     * @throws IllegalStateException if a fragmented message is open already
     */
    final void openFragmented(boolean drop, Opcode opcode) {
        int next = drop ? DROPPING : SENDING;
        while (!MESSAGE_STATE.compareAndSet(this, 0, next)) {
            if (messageState < 0) {
                throw messageUnfinished(opcode);
            }
            Thread.onSpinWait();
        }
    }

    /** The last fragment of the message opened with state {@code state} is queued: published messages held go next. */
    final void closeFragmented(int state) {
        Deferred held = deferred;
        if (held == null) {
            MESSAGE_STATE.compareAndSet(this, state, 0);
        } else {
            held.release(() -> MESSAGE_STATE.compareAndSet(this, state, 0));
        }
    }

    final boolean isFragmentOpen() {
        return messageState < 0;
    }

    static IllegalStateException messageUnfinished(Opcode opcode) {
        return new IllegalStateException("a new " + opcode + " message while a fragmented message is unfinished");
    }

    static IllegalStateException noMessageToContinue() {
        return new IllegalStateException("CONTINUATION frame with no fragmented message started");
    }

    /**
     * Queues a published message admitted by {@link PeerWriter#admitPublished}. While a fragmented message is open
     * the entry is held and queued right after its last fragment, so it never lands inside it. Any thread.
     *
     * @return what became of the entry
     */
    final Enqueued enqueuePublished(OutboundEntry entry) {
        while (!enterWhole()) {
            int held = deferred().hold(entry, this::isFragmentOpen);
            if (held >= 0) {
                return held == 0 ? Enqueued.HELD : Enqueued.HELD_FULL;
            }
            // the fragmented message ended meanwhile
        }
        try {
            return outbound.offerPublished(entry) ? Enqueued.QUEUED_IDLE : Enqueued.QUEUED;
        } finally {
            leaveWhole();
        }
    }

    /** The connection closed: held published messages go nowhere. */
    final void clearHeld() {
        Deferred held = deferred;
        if (held != null) {
            held.clear();
        }
    }

    private Deferred deferred() {
        Deferred held = deferred;
        if (held == null) {
            synchronized (this) {
                held = deferred;
                if (held == null) {
                    held = new Deferred(outbound);
                    deferred = held;
                }
            }
        }
        return held;
    }
}
