package io.wsreactor;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A peer's write side: the checks on each frame, the slow-consumer policy, and the handoff to {@link Outbound}.
 *
 * <p>Lock-free for writers: a whole message costs two atomic increments and one queue swap. Any thread. One object
 * per peer, in three layers: messages are kept whole by {@link MessageOrder}, the close fence and the writers
 * waiting at the high-water mark (BLOCK) are {@link Writability}'s, and this class adds the checks, the policy and
 * the queueing.
 *
 * <p>It knows no connection: it queues into the {@link Outbound} it was given and asks the rest of its {@link Owner}.
 */
final class PeerWriter extends Writability {
    /** What the writer asks of its peer's connection: one interface, not lambdas, so a peer carries no extra objects. */
    interface Owner {
        /** Whether the calling thread is the reactor's, which must never wait for the queue it drains. */
        boolean isReactorThread();

        /**
         * The CLOSE policy: fail the connection with 1008 for {@code reason}. Called on the writing thread, at most
         * once, by the writer that set the close fence.
         */
        void closeSlowConsumer(String reason);

        /**
         * Whether a blocking write may go in place ({@link Outbound#tryWriteInPlace}) now: the peer's reader caught
         * up, so this write answers the last frame read (writes in a burst stay queued, for the reactor to batch).
         * Consumed by each ask.
         */
        boolean takeReplyDue();

        /** How a BLOCK writer waits at the high-water mark: the peer's strategy, which its readers wait by too. */
        WaitStrategy waitStrategy();
    }

    private final StatsRecorder stats;
    private final Owner owner;
    volatile SlowConsumerPolicy policy;
    /** The topics this peer is subscribed to; made on its first subscription. */
    private volatile Subscriptions subscriptions;

    /**
     * @param outbound where frames are queued, and whose byte count the policy watches
     * @param options the high-water mark, the hard limit and the initial policy
     * @param stats where slow-consumer events are counted
     * @param owner the peer's connection
     */
    PeerWriter(Outbound outbound, ServerOptions options, StatsRecorder stats, Owner owner) {
        super(outbound, options);
        this.stats = stats;
        this.owner = owner;
        this.policy = options.slowConsumerPolicy();
        outbound.onRelease(this);
    }

    /**
     * Checks a frame, applies the policy and queues it.
     *
     * @param waitNanos how long a BLOCK writer may wait at the high-water mark
     * @param future completed when the frame is written (null for a blocking write); an async write never waits
     * @return what became of the frame
     * @throws IllegalArgumentException for a CLOSE frame or a control frame {@link Frame#checkSendable} refuses
     * @throws IllegalStateException for a frame out of message order
     * @throws InterruptedException if interrupted while waiting at the high-water mark
     */
    WriteResult offer(Frame frame, long waitNanos, CompletableFuture<Void> future) throws InterruptedException {
        Objects.requireNonNull(frame, "frame");
        Opcode opcode = frame.opcode();
        if (opcode == Opcode.CLOSE) {
            throw new IllegalArgumentException("CLOSE frames are sent with shutdown(code, reason, timeout)");
        }
        Frame.checkSendable(opcode, frame.fin(), frame.length());
        if (isClosing()) {
            return WriteResult.CLOSED;
        }
        if (opcode.isControl()) {
            enqueue(frame, future);
            return WriteResult.QUEUED;
        }
        boolean starts = opcode != Opcode.CONTINUATION;
        if (!starts && messageState >= 0) {
            throw noMessageToContinue();
        }
        if (starts && messageState < 0) {
            throw messageUnfinished(opcode);
        }
        boolean dropping = !starts && messageState == DROPPING;
        if (!dropping) {
            WriteResult verdict = applyPolicy(frame.length(), starts, waitNanos, future != null);
            if (verdict == WriteResult.DROPPED) {
                dropping = true;
            } else if (verdict != WriteResult.QUEUED) {
                return verdict;
            }
        }
        return starts ? offerMessageStart(frame, future, dropping) : offerContinuation(frame, future);
    }

    /**
     * {@link #offer} without waiting, for {@link WsPeer#writeAsync}: what became of the frame as the future it returns.
     *
     * @param remoteAddress names the peer in a {@link SlowConsumerException}
     */
    CompletableFuture<Void> offerAsync(Frame frame, InetSocketAddress remoteAddress) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        WriteResult result;
        try {
            result = offer(frame, 0, future);
        } catch (InterruptedException e) {
            throw new AssertionError("writeAsync never waits", e);
        }
        return switch (result) {
            case QUEUED -> future;
            case DROPPED -> CompletableFuture.completedFuture(null);
            case CLOSED -> CompletableFuture.failedFuture(new ClosedChannelException());
            case REFUSED -> CompletableFuture.failedFuture(new SlowConsumerException("peer " + remoteAddress + " has "
                    + outboundBytes() + " outbound bytes queued (policy " + policy + ")"));
            case TIMED_OUT -> throw new AssertionError("writeAsync never waits");
        };
    }

    /**
     * Applies the slow-consumer policy ({@link Admission}).
     *
     * @return QUEUED to go on, or what became of the frame instead
     */
    private WriteResult applyPolicy(int length, boolean starts, long waitNanos, boolean async)
            throws InterruptedException {
        SlowConsumerPolicy current = policy;
        long hardLimit = options.outboundHardLimit();
        Admission admission = Admission.decide(current, outboundBytes(), length, options.outboundHighWaterMark(),
                hardLimit, outbound.overBudget(), starts, async);
        if (admission == Admission.QUEUE) {
            return WriteResult.QUEUED;
        }
        stats.slowConsumer(current);
        return switch (admission) {
            // waiting on the reactor thread would stop the reactor that drains the queue
            case WAIT -> owner.isReactorThread() ? WriteResult.REFUSED : awaitWritable(owner.waitStrategy(), waitNanos);
            case DROP -> WriteResult.DROPPED;
            case CLOSE_PEER -> {
                if (fence()) {
                    owner.closeSlowConsumer("slow consumer: outbound bytes passed " + hardLimit);
                }
                yield WriteResult.REFUSED;
            }
            case QUEUE, REFUSE -> WriteResult.REFUSED;
        };
    }

    private WriteResult offerMessageStart(Frame frame, CompletableFuture<Void> future, boolean drop) {
        if (!frame.fin()) {
            openFragmented(drop, frame.opcode());
        } else if (!enterWhole()) {
            throw messageUnfinished(frame.opcode());
        }
        try {
            if (drop) {
                return WriteResult.DROPPED;
            }
            enqueue(frame, future);
            return WriteResult.QUEUED;
        } finally {
            if (frame.fin()) {
                leaveWhole(); // a whole message: no fragmented message started while it was in flight
            }
        }
    }

    private WriteResult offerContinuation(Frame frame, CompletableFuture<Void> future) {
        int state = messageState;
        if (state >= 0) {
            throw noMessageToContinue();
        }
        WriteResult outcome = WriteResult.DROPPED;
        if (state == SENDING) {
            enqueue(frame, future);
            outcome = WriteResult.QUEUED;
        }
        if (frame.fin()) {
            closeFragmented(state);
        }
        return outcome;
    }

    private void enqueue(Frame frame, CompletableFuture<Void> future) {
        if (future == null && owner.takeReplyDue() && outbound.tryWriteInPlace(frame)) {
            return; // a reply found nothing queued before it: on the wire without waking the reactor
        }
        outbound.offer(OutboundEntry.frame(Kind.DATA, frame.opcode(), frame.fin(), frame.payload(), future));
    }

    /** Marks the connection closed: writes are refused and waiting writers return. */
    void onClosed() {
        fenceClosed();
        Subscriptions topics = subscriptions;
        if (topics != null) {
            topics.leaveAll(this);
        }
        clearHeld();
    }

    // ---- published messages (docs/ARCHITECTURE.md, "Fan-out") ----

    /**
     * Applies the slow-consumer policy to a published message of {@code length} bytes for this peer, as to a
     * {@code writeAsync} of it: never waits (BLOCK refuses only past the hard limit). Any thread.
     *
     * @return QUEUED to go on with {@link #enqueuePublished}, or what became of the message for this peer
     */
    WriteResult admitPublished(int length) {
        if (isClosing()) {
            return WriteResult.CLOSED;
        }
        try {
            return applyPolicy(length, true, 0, true);
        } catch (InterruptedException e) {
            throw new AssertionError("an async write never waits", e);
        }
    }

    /** This peer's topics, made on first need. */
    Subscriptions subscriptions() {
        Subscriptions topics = subscriptions;
        if (topics == null) {
            synchronized (this) {
                topics = subscriptions;
                if (topics == null) {
                    topics = new Subscriptions();
                    subscriptions = topics;
                }
            }
        }
        return topics;
    }
}
