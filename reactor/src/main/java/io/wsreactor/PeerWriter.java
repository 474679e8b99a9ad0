package io.wsreactor;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A peer's write side: the checks on each frame, the slow-consumer policy, and the handoff to {@link Outbound}.
 *
 * <p>Lock-free for writers: a whole message costs two atomic increments and one queue swap. Fragmented messages are
 * kept whole with one state word: values from 0 up count whole-message writers in flight, {@link #SENDING} means a
 * fragmented message is open, {@link #DROPPING} that one is being dropped (DROP policy). A new message may not start
 * while one is open; a fragmented message starts only when no whole-message writer is between its check and its
 * queueing, so nothing can land inside it. Writers that wait at the high-water mark (BLOCK) park on a lock made on
 * first need. Any thread.
 *
 * <p>It knows no connection: it queues into the {@link Outbound} it was given, and the CLOSE policy asks for the
 * connection's end through {@code slowConsumerClose}.
 */
final class PeerWriter {
    private static final VarHandle MESSAGE_STATE;
    private static final VarHandle CLOSING;
    /** Message state: a fragmented message is being sent. */
    private static final int SENDING = -1;
    /** Message state: a fragmented message is being dropped (DROP policy): its continuations are discarded. */
    private static final int DROPPING = -2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MESSAGE_STATE = lookup.findVarHandle(PeerWriter.class, "messageState", int.class);
            CLOSING = lookup.findVarHandle(PeerWriter.class, "closing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Outbound outbound;
    private final ServerOptions options;
    private final StatsRecorder stats;
    private final BooleanSupplier onReactorThread;
    private final Consumer<String> slowConsumerClose;
    volatile SlowConsumerPolicy policy;
    /** How a BLOCK writer waits at the high-water mark. */
    volatile WaitStrategy waitStrategy;
    @SuppressWarnings("unused") // accessed through MESSAGE_STATE
    private volatile int messageState;
    /** 1 once a close frame is queued or the connection is closed: writes are refused from then on. */
    @SuppressWarnings("unused") // accessed through CLOSING
    private volatile int closing;
    private volatile WriteGate writeGate;
    /** Whether a blocking write may go in place now (a reply to the last frame read); consumed by each ask. */
    private volatile BooleanSupplier replyDue = () -> false;
    /** Published messages held while a fragmented message is open; made on first need. */
    private volatile Deferred deferred;
    /** The topics this peer is subscribed to; made on its first subscription. */
    private volatile Subscriptions subscriptions;

    /**
     * @param outbound where frames are queued, and whose byte count the policy watches
     * @param options the high-water mark, the hard limit and the initial policy
     * @param stats where slow-consumer events are counted
     * @param onReactorThread whether the calling thread is the reactor's, which must never wait for the queue
     *     it drains
     * @param slowConsumerClose asks for the connection to be failed with 1008 for the given reason (CLOSE policy);
     *     called on the writing thread, at most once, by the writer that set the close fence
     */
    PeerWriter(Outbound outbound, ServerOptions options, StatsRecorder stats, BooleanSupplier onReactorThread,
            Consumer<String> slowConsumerClose) {
        this.outbound = outbound;
        this.options = options;
        this.stats = stats;
        this.onReactorThread = onReactorThread;
        this.slowConsumerClose = slowConsumerClose;
        this.policy = options.slowConsumerPolicy();
        this.waitStrategy = options.waitStrategy();
        outbound.onRelease(this::released);
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
        if (closing != 0) {
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

    /** Applies the slow-consumer policy. @return QUEUED to go on, or what became of the frame instead */
    private WriteResult applyPolicy(int length, boolean starts, long waitNanos, boolean async)
            throws InterruptedException {
        long queued = outboundBytes();
        SlowConsumerPolicy current = policy;
        boolean overBudget = outbound.overBudget(); // the server's budget presses: as past the hard limit
        if (queued < options.outboundHighWaterMark() && current != SlowConsumerPolicy.CLOSE && !overBudget) {
            return WriteResult.QUEUED;
        }
        long hardLimit = options.outboundHardLimit();
        boolean pastHardLimit = overBudget || queued + length > hardLimit;
        return switch (current) {
            case BLOCK -> {
                if (!async) {
                    stats.slowConsumer(current);
                    yield awaitBelowHighWaterMark(waitNanos);
                }
                if (!pastHardLimit) {
                    yield WriteResult.QUEUED; // writeAsync never waits: its late future is the backpressure
                }
                stats.slowConsumer(current);
                yield WriteResult.REFUSED;
            }
            case FAIL -> {
                stats.slowConsumer(current);
                yield WriteResult.REFUSED;
            }
            case DROP -> {
                if (!starts) {
                    yield WriteResult.QUEUED; // a message begun is finished: never half a message
                }
                stats.slowConsumer(current);
                yield WriteResult.DROPPED;
            }
            case CLOSE -> {
                if (!pastHardLimit) {
                    yield WriteResult.QUEUED;
                }
                stats.slowConsumer(current);
                if (fence()) {
                    slowConsumerClose.accept("slow consumer: outbound bytes passed " + hardLimit);
                }
                yield WriteResult.REFUSED;
            }
        };
    }

    private WriteResult awaitBelowHighWaterMark(long nanos) throws InterruptedException {
        if (onReactorThread.getAsBoolean()) {
            return WriteResult.REFUSED; // waiting here would stop the reactor that drains the queue
        }
        WaitStrategy strategy = waitStrategy;
        boolean spun = false;
        WriteGate gate = writeGate();
        gate.lock.lockInterruptibly();
        try {
            // Counted as waiting before the check, so a release that lowers the bytes after it sees this writer.
            gate.writerWaits();
            try {
                while (!isWritable()) {
                    if (closing != 0) {
                        return WriteResult.CLOSED;
                    }
                    if (nanos <= 0) {
                        return WriteResult.TIMED_OUT;
                    }
                    if (Waiting.spinsNow(strategy, spun)) {
                        spun = true;
                        gate.writerLeaves(); // a spinner watches the bytes itself: releases need not signal it
                        gate.lock.unlock();
                        try {
                            nanos = Waiting.spin(strategy, () -> isWritable() || closing != 0, nanos);
                        } finally {
                            gate.lock.lock();
                            gate.writerWaits();
                        }
                        continue;
                    }
                    nanos = gate.writable.awaitNanos(nanos);
                }
            } finally {
                gate.writerLeaves();
            }
        } finally {
            gate.lock.unlock();
        }
        return closing != 0 ? WriteResult.CLOSED : WriteResult.QUEUED;
    }

    private WriteResult offerMessageStart(Frame frame, CompletableFuture<Void> future, boolean drop) {
        if (frame.fin()) {
            // A whole message: count this writer in, so no fragmented message starts until it is queued.
            while (true) {
                int state = messageState;
                if (state < 0) {
                    throw messageUnfinished(frame.opcode());
                }
                if (MESSAGE_STATE.compareAndSet(this, state, state + 1)) {
                    break;
                }
            }
            try {
                if (drop) {
                    return WriteResult.DROPPED;
                }
                enqueue(frame, future);
                return WriteResult.QUEUED;
            } finally {
                MESSAGE_STATE.getAndAdd(this, -1);
            }
        }
        int next = drop ? DROPPING : SENDING;
        while (!MESSAGE_STATE.compareAndSet(this, 0, next)) {
            if (messageState < 0) {
                throw messageUnfinished(frame.opcode());
            }
            Thread.onSpinWait(); // whole-frame writers are between their check and their queueing
        }
        if (drop) {
            return WriteResult.DROPPED;
        }
        enqueue(frame, future);
        return WriteResult.QUEUED;
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
            Deferred held = deferred;
            if (held == null) {
                MESSAGE_STATE.compareAndSet(this, state, 0);
            } else {
                held.release(() -> MESSAGE_STATE.compareAndSet(this, state, 0));
            }
        }
        return outcome;
    }

    private static IllegalStateException messageUnfinished(Opcode opcode) {
        return new IllegalStateException("a new " + opcode + " message while a fragmented message is unfinished");
    }

    private static IllegalStateException noMessageToContinue() {
        return new IllegalStateException("CONTINUATION frame with no fragmented message started");
    }

    private void enqueue(Frame frame, CompletableFuture<Void> future) {
        if (future == null && replyDue.getAsBoolean() && outbound.tryWriteInPlace(frame)) {
            return; // a reply found nothing queued before it: on the wire without waking the reactor
        }
        outbound.offer(OutboundEntry.frame(Kind.DATA, frame.opcode(), frame.fin(), frame.payload(), future));
    }

    /**
     * Lets blocking writes go in place ({@link Outbound#tryWriteInPlace}) when {@code due} says so: the peer's reader
     * caught up, so this write answers the last frame read. Writes in a burst stay queued, for the reactor to batch.
     */
    void writeInPlaceWhen(BooleanSupplier due) {
        replyDue = due;
    }

    /** Outbound bytes were written or discarded, {@code left} remain: wakes writers waiting at the high-water mark. */
    private void released(long left) {
        if (left < options.outboundHighWaterMark() && writersWaiting()) {
            signalWriters();
        }
    }

    private void signalWriters() {
        writeGate().open();
    }

    private WriteGate writeGate() {
        WriteGate gate = writeGate;
        if (gate == null) {
            synchronized (this) {
                gate = writeGate;
                if (gate == null) {
                    gate = new WriteGate();
                    writeGate = gate;
                }
            }
        }
        return gate;
    }

    private boolean writersWaiting() {
        WriteGate gate = writeGate;
        return gate != null && gate.hasWaiters();
    }

    /** Whether a write now would meet no slow-consumer policy: below the high-water mark and within the budget. */
    boolean isWritable() {
        return outboundBytes() < options.outboundHighWaterMark() && !outbound.overBudget();
    }

    /** A future completed when {@link #isWritable()} (at once if it is) or when the peer is closing. */
    CompletableFuture<Void> whenWritable() {
        if (isWritable() || closing != 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        writeGate().await(future);
        if (isWritable() || closing != 0) {
            signalWriters(); // the bytes drained or the peer closed between the check and the wait
        }
        return future;
    }

    /** Bytes queued for this peer and not yet handed to the socket. */
    long outboundBytes() {
        return outbound.queuedBytes();
    }

    /** Sets the close fence: writes are refused from now on. @return true for the caller that set it */
    boolean fence() {
        boolean first = CLOSING.compareAndSet(this, 0, 1);
        if (first && writersWaiting()) {
            signalWriters();
        }
        return first;
    }

    /** Marks the connection closed: writes are refused and waiting writers return. */
    void onClosed() {
        CLOSING.setVolatile(this, 1);
        if (writeGate != null) {
            signalWriters();
        }
        Subscriptions topics = subscriptions;
        if (topics != null) {
            topics.leaveAll(this);
        }
        Deferred held = deferred;
        if (held != null) {
            held.clear();
        }
    }

    /** Whether writes are refused from now on (a close frame is queued or the connection is closed). */
    boolean isClosing() {
        return closing != 0;
    }

    // ---- published messages (docs/ARCHITECTURE.md, "Fan-out") ----

    /**
     * Applies the slow-consumer policy to a published message of {@code length} bytes for this peer, as to a
     * {@code writeAsync} of it: never waits (BLOCK refuses only past the hard limit). Any thread.
     *
     * @return QUEUED to go on with {@link #enqueuePublished}, or what became of the message for this peer
     */
    WriteResult admitPublished(int length) {
        if (closing != 0) {
            return WriteResult.CLOSED;
        }
        try {
            return applyPolicy(length, true, 0, true);
        } catch (InterruptedException e) {
            throw new AssertionError("an async write never waits", e);
        }
    }

    /** {@link #enqueuePublished}: queued, and the queue was idle: the caller asks the reactor for a flush. */
    static final int QUEUED_IDLE = 0;
    /** {@link #enqueuePublished}: queued behind entries a flush is already asked for. */
    static final int QUEUED = 1;
    /** {@link #enqueuePublished}: held until the open fragmented message ends (queued then, with its flush). */
    static final int HELD = 2;
    /** {@link #enqueuePublished}: refused, as {@link Deferred#MAX_HELD} messages are held already. */
    static final int HELD_FULL = 3;

    /**
     * Queues a published message admitted by {@link #admitPublished}. While a fragmented message is open the entry
     * is held and queued right after its last fragment, so it never lands inside it. Any thread.
     *
     * @return {@link #QUEUED_IDLE}, {@link #QUEUED}, {@link #HELD} or {@link #HELD_FULL}
     */
    int enqueuePublished(OutboundEntry entry) {
        while (true) {
            int state = messageState;
            if (state < 0) {
                int held = deferred().hold(entry, this::isFragmentOpen);
                if (held >= 0) {
                    return held == 0 ? HELD : HELD_FULL;
                }
                continue; // the fragmented message ended meanwhile
            }
            if (MESSAGE_STATE.compareAndSet(this, state, state + 1)) {
                break;
            }
        }
        try {
            return outbound.offerPublished(entry) ? QUEUED_IDLE : QUEUED;
        } finally {
            MESSAGE_STATE.getAndAdd(this, -1);
        }
    }

    private boolean isFragmentOpen() {
        return messageState < 0;
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
