package io.wsreactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a peer's writes may go on, and the writers waiting until they may: the close fence (once a close frame is
 * queued or the connection is closed, writes are refused) and the high-water mark, at which blocking BLOCK writers and
 * {@link WsPeer#whenWritable()} futures wait in a {@link WriteGate} made on first need; each release below the mark
 * and the close open it (docs/ARCHITECTURE.md, "The write path"). Any thread.
 *
 * <p>{@link PeerWriter} extends it (one object per peer, as before) with the checks on each frame, the slow-consumer
 * policy and the queueing.
 */
abstract class Writability extends MessageOrder implements OutboundBytes.ReleaseListener {
    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(Writability.class, "closing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The high-water mark, the hard limit and the initial policy; read, not copied (one writer per idle peer). */
    final ServerOptions options;
    /** 1 once a close frame is queued or the connection is closed: writes are refused from then on. */
    @SuppressWarnings("unused") // accessed through CLOSING
    private volatile int closing;
    private volatile WriteGate writeGate;

    Writability(Outbound outbound, ServerOptions options) {
        super(outbound);
        this.options = options;
    }

    /** Bytes queued for this peer and not yet handed to the socket. */
    final long outboundBytes() {
        return outbound.queuedBytes();
    }

    /** Whether a write now would meet no slow-consumer policy: below the high-water mark and within the budget. */
    final boolean isWritable() {
        return outboundBytes() < options.outboundHighWaterMark() && !outbound.overBudget();
    }

    /** Whether writes are refused from now on (a close frame is queued or the connection is closed). */
    final boolean isClosing() {
        return closing != 0;
    }

    /** Sets the close fence: writes are refused from now on. @return true for the caller that set it */
    final boolean fence() {
        boolean first = CLOSING.compareAndSet(this, 0, 1);
        if (first && writersWaiting()) {
            signalWriters();
        }
        return first;
    }

    /** The connection closed: the fence is set, whoever set it first, and waiting writers return. */
    final void fenceClosed() {
        CLOSING.setVolatile(this, 1);
        if (writeGate != null) {
            signalWriters();
        }
    }

    /**
     * Waits, as {@code strategy} says, until {@link #isWritable()} or {@link #isClosing()}, at most {@code nanos}. A
     * blocking writer under the BLOCK policy, never the reactor thread.
     *
     * @return {@link WriteResult#QUEUED} to go on, {@link WriteResult#CLOSED} or {@link WriteResult#TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting
     */
    final WriteResult awaitWritable(WaitStrategy strategy, long nanos) throws InterruptedException {
        return writeGate().await(strategy, nanos, this::isWritable, this::isClosing);
    }

    /** A future completed when {@link #isWritable()} (at once if it is) or when the peer is closing. */
    final CompletableFuture<Void> whenWritable() {
        if (isWritable() || isClosing()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        writeGate().await(future);
        if (isWritable() || isClosing()) {
            signalWriters(); // the bytes drained or the peer closed between the check and the wait
        }
        return future;
    }

    /** Outbound bytes were written or discarded, {@code left} remain: wakes writers waiting at the high-water mark. */
    @Override
    public final void released(long left) {
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
}
