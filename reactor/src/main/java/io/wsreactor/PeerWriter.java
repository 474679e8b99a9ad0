package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A peer's write side: the checks on each frame, the slow-consumer policy, and the handoff to {@link Outbound}.
 *
 * <p>Lock-free for writers: a whole message costs two atomic increments and one queue swap. Fragmented messages are
 * kept whole with one state word: values from 0 up count whole-message writers in flight, {@link #SENDING} means a
 * fragmented message is open, {@link #DROPPING} that one is being dropped (DROP policy). A new message may not start
 * while one is open; a fragmented message starts only when no whole-message writer is between its check and its
 * queueing, so nothing can land inside it. Writers that wait at the high-water mark (BLOCK) park on a lock made on
 * first need. Any thread.
 */
final class PeerWriter {
    private static final VarHandle OUTBOUND_BYTES;
    private static final VarHandle MESSAGE_STATE;
    private static final VarHandle CLOSING;
    /** Message state: a fragmented message is being sent. */
    private static final int SENDING = -1;
    /** Message state: a fragmented message is being dropped (DROP policy): its continuations are discarded. */
    private static final int DROPPING = -2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OUTBOUND_BYTES = lookup.findVarHandle(PeerWriter.class, "outboundBytes", long.class);
            MESSAGE_STATE = lookup.findVarHandle(PeerWriter.class, "messageState", int.class);
            CLOSING = lookup.findVarHandle(PeerWriter.class, "closing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Connection connection;
    private final ServerOptions options;
    volatile SlowConsumerPolicy policy;
    @SuppressWarnings("unused") // accessed through OUTBOUND_BYTES
    private volatile long outboundBytes;
    @SuppressWarnings("unused") // accessed through MESSAGE_STATE
    private volatile int messageState;
    /** 1 once a close frame is queued or the connection is closed: writes are refused from then on. */
    @SuppressWarnings("unused") // accessed through CLOSING
    private volatile int closing;
    private volatile int writersWaiting;
    private volatile WriteGate writeGate;

    PeerWriter(Connection connection, ServerOptions options) {
        this.connection = connection;
        this.options = options;
        this.policy = options.slowConsumerPolicy();
    }

    /** The outcomes of {@link #offer}, in order: the first two count as success. */
    static final class WriteOutcome {
        static final int QUEUED = 0;
        static final int DROPPED = 1;
        static final int CLOSED = 2;
        static final int REFUSED = 3;
    }

    int offer(Frame frame, long waitNanos, CompletableFuture<Void> future) throws InterruptedException {
        Objects.requireNonNull(frame, "frame");
        Opcode opcode = frame.opcode();
        if (opcode == Opcode.CLOSE) {
            throw new IllegalArgumentException("CLOSE frames are sent with shutdown(code, reason, timeout)");
        }
        if (opcode.isControl() && (!frame.fin() || frame.length() > 125)) {
            throw new IllegalArgumentException(opcode + " frame must be final and at most 125 bytes, was fin="
                    + frame.fin() + ", " + frame.length() + " bytes");
        }
        if (closing != 0) {
            return WriteOutcome.CLOSED;
        }
        if (opcode.isControl()) {
            enqueue(frame, future);
            return WriteOutcome.QUEUED;
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
            int verdict = applyPolicy(frame, starts, waitNanos, future != null);
            if (verdict == WriteOutcome.DROPPED) {
                dropping = true;
            } else if (verdict != WriteOutcome.QUEUED) {
                return verdict;
            }
        }
        return starts ? offerMessageStart(frame, future, dropping) : offerContinuation(frame, future);
    }

    /** Applies the slow-consumer policy. @return QUEUED to go on, DROPPED, CLOSED or REFUSED */
    private int applyPolicy(Frame frame, boolean starts, long waitNanos, boolean async)
            throws InterruptedException {
        long queued = outboundBytes();
        long highWaterMark = options.outboundHighWaterMark();
        long hardLimit = options.outboundHardLimit();
        SlowConsumerPolicy current = policy;
        if (queued < highWaterMark && current != SlowConsumerPolicy.CLOSE) {
            return WriteOutcome.QUEUED;
        }
        StatsRecorder stats = connection.reactor.stats;
        switch (current) {
            case FAIL -> {
                stats.slowConsumer(current);
                return WriteOutcome.REFUSED;
            }
            case DROP -> {
                if (!starts) {
                    return WriteOutcome.QUEUED;
                }
                stats.slowConsumer(current);
                return WriteOutcome.DROPPED;
            }
            case CLOSE -> {
                if (queued + frame.length() <= hardLimit) {
                    return WriteOutcome.QUEUED;
                }
                stats.slowConsumer(current);
                fence();
                String reason = "slow consumer: outbound bytes passed " + hardLimit;
                connection.execute(() -> connection.failSlowConsumer(reason));
                return WriteOutcome.REFUSED;
            }
            default -> {
                if (async) {
                    if (queued + frame.length() > hardLimit) {
                        stats.slowConsumer(current);
                        return WriteOutcome.REFUSED;
                    }
                    return WriteOutcome.QUEUED;
                }
                stats.slowConsumer(current);
                return awaitBelowHighWaterMark(waitNanos);
            }
        }
    }

    private int awaitBelowHighWaterMark(long nanos) throws InterruptedException {
        if (connection.isReactorThread()) {
            return WriteOutcome.REFUSED; // waiting here would stop the reactor that drains the queue
        }
        WriteGate gate = writeGate();
        gate.lock.lockInterruptibly();
        try {
            writersWaiting++;
            try {
                while (outboundBytes() >= options.outboundHighWaterMark()) {
                    if (closing != 0) {
                        return WriteOutcome.CLOSED;
                    }
                    if (nanos <= 0) {
                        return WriteOutcome.REFUSED;
                    }
                    nanos = gate.writable.awaitNanos(nanos);
                }
            } finally {
                writersWaiting--;
            }
        } finally {
            gate.lock.unlock();
        }
        return closing != 0 ? WriteOutcome.CLOSED : WriteOutcome.QUEUED;
    }

    private int offerMessageStart(Frame frame, CompletableFuture<Void> future, boolean drop) {
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
                    return WriteOutcome.DROPPED;
                }
                enqueue(frame, future);
                return WriteOutcome.QUEUED;
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
            return WriteOutcome.DROPPED;
        }
        enqueue(frame, future);
        return WriteOutcome.QUEUED;
    }

    private int offerContinuation(Frame frame, CompletableFuture<Void> future) {
        int state = messageState;
        if (state >= 0) {
            throw noMessageToContinue();
        }
        int outcome = WriteOutcome.DROPPED;
        if (state == SENDING) {
            enqueue(frame, future);
            outcome = WriteOutcome.QUEUED;
        }
        if (frame.fin()) {
            MESSAGE_STATE.compareAndSet(this, state, 0);
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
        OutboundEntry entry = OutboundEntry.frame(OutboundEntry.DATA, frame.opcode(), frame.fin(), frame.payload(),
                future);
        entry.counted = true;
        OUTBOUND_BYTES.getAndAdd(this, (long) entry.total);
        connection.outbound.offer(entry);
    }

    /** Gives back outbound bytes written or discarded; wakes writers waiting at the high-water mark. */
    void releaseOutbound(long bytes) {
        long left = (long) OUTBOUND_BYTES.getAndAdd(this, -bytes) - bytes;
        if (writersWaiting > 0 && left < options.outboundHighWaterMark()) {
            signalWriters();
        }
    }

    private void signalWriters() {
        WriteGate gate = writeGate();
        gate.lock.lock();
        try {
            gate.writable.signalAll();
        } finally {
            gate.lock.unlock();
        }
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

    /** The lock writers wait on at the high-water mark; made on first need, so idle peers do not carry it. */
    private static final class WriteGate {
        final ReentrantLock lock = new ReentrantLock();
        final Condition writable = lock.newCondition();
    }

    /** Bytes queued for this peer and not yet handed to the socket. */
    long outboundBytes() {
        return (long) OUTBOUND_BYTES.getVolatile(this);
    }

    /** Sets the close fence: writes are refused from now on. @return true for the caller that set it */
    boolean fence() {
        boolean first = CLOSING.compareAndSet(this, 0, 1);
        if (first && writersWaiting > 0) {
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
    }
}
