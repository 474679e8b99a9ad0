package io.wsreactor;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * A connection's outbound path: the lock-free queue writers fill and the order the reactor writes in. The count of
 * the bytes queued and the settling of written or failed entries are {@link OutboundBytes}', which it extends.
 *
 * <p>Policy (after Jetty's FrameFlusher): a frame partly written goes on first, since frames never interleave; then
 * the HTTP response to the upgrade request, before any frame, whatever was queued meanwhile; then the answers to
 * pings and a keepalive ping, ahead of queued data, whether or not the application reads; then the queue in order.
 * A close frame fences the queue: nothing after it is written, and whatever is left fails when the connection closes.
 *
 * <p>Any thread may {@link #offer} and read {@link #queuedBytes}; everything else runs on the reactor thread. It
 * knows no connection: it asks for a flush through the {@link FlushRequests} it was given, and the {@link Flusher}
 * drains it.
 */
final class Outbound extends OutboundBytes {
    /** Who flushes this path: its connection (an interface, not a lambda, so each connection carries no extra object). */
    interface FlushRequests {
        /** Asks the reactor to flush this path soon. Any thread. */
        void flushSoon();
    }

    private static final VarHandle FLUSH_SCHEDULED;

    static {
        try {
            FLUSH_SCHEDULED = MethodHandles.lookup().findVarHandle(Outbound.class, "flushScheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Unwritten pongs kept before the newest replaces the last (see {@link #pong}). */
    static final int MAX_PENDING_PONGS = 16;

    private final FlushRequests flushRequests;
    private final OutboundQueue queue = new OutboundQueue();
    private volatile int flushScheduled;
    /** The HTTP response, until taken. */
    private OutboundEntry response;
    /** Entries taken from the queue but not (fully) written, in order; the first may be partly written. */
    private ArrayDeque<OutboundEntry> resend;
    /** Pongs not yet written, oldest first; made on the first ping. */
    private ArrayDeque<OutboundEntry> pongs;
    private OutboundEntry ping;
    /** Lets a peer's thread write in place (plain TCP only); null when it may not. */
    private InPlaceWriter inPlace;
    /** Whether any entry was taken: the response may come only before. */
    private boolean started;
    private boolean closeTaken;
    private boolean closeWritten;

    /**
     * @param flushRequests asked to flush this outbound path soon at most once per burst of offers (until
     *     {@link #clearFlushScheduled}), from any thread
     * @param stats where written frames and bytes are counted
     * @param budget the server's memory budget, where queued data frames are counted too
     */
    Outbound(FlushRequests flushRequests, StatsRecorder stats, MemoryBudget budget) {
        super(stats, budget);
        this.flushRequests = flushRequests;
    }

    /**
     * Queues the HTTP response to the upgrade request (reactor thread). It is written before anything else,
     * however the frames that follow were queued, so a client that pipelines its first frames with its request
     * reads the 101 first.
     *
     * @throws IllegalStateException if a response was given already or anything was taken for writing
     */
    void respond(byte[] httpResponse) {
        if (started || response != null) {
            throw new IllegalStateException("the handshake response must be the first bytes written, and only once");
        }
        response = OutboundEntry.response(httpResponse);
        requestFlush();
    }

    /**
     * Queues an entry and makes sure a flush follows: one flush request per burst, however many writers. A
     * {@link Kind#DATA DATA} entry's bytes are counted in {@link #queuedBytes} until written or discarded. Any thread.
     */
    void offer(OutboundEntry entry) {
        if (entry.kind() == Kind.RESPONSE) {
            throw new IllegalArgumentException("the handshake response is queued with respond(bytes)");
        }
        if (entry.kind() == Kind.DATA) {
            countIn(entry);
            budget.add(entry.budgetCost());
        }
        queue.offer(entry);
        requestFlush();
    }

    /** Lets peers' threads write small frames in place through {@code writer} (plain TCP). Before any offer. */
    void writeInPlaceWith(InPlaceWriter writer) {
        inPlace = writer;
    }

    /**
     * Writes a data frame in place when nothing is queued or asked to be flushed before it (see {@link InPlaceWriter}).
     * Any thread.
     *
     * @return true when the frame is on its way; false to {@link #offer} it
     */
    boolean tryWriteInPlace(Frame frame) {
        InPlaceWriter writer = inPlace;
        return writer != null && writer.tryWrite(frame, () -> flushScheduled == 0 && queue.isEmpty(),
                this::requestFlush);
    }

    /**
     * Holds the socket for a flush. Reactor thread.
     *
     * @return false when a peer's thread is writing in place (it asks for the flush again when done)
     */
    boolean beginFlush() {
        return inPlace == null || inPlace.beginFlush();
    }

    /** Ends a flush; {@code drained} when it wrote everything, so new frames may go in place. Reactor thread. */
    void endFlush(boolean drained) {
        if (inPlace != null) {
            inPlace.endFlush(drained && started && response == null && (resend == null || resend.isEmpty())
                    && !closeTaken);
        }
    }

    /**
     * Queues a published message's entry for this peer (docs/ARCHITECTURE.md, "Fan-out"): its bytes count in
     * {@link #queuedBytes} as any data frame's, but the server's memory budget is charged by the publisher once for
     * all recipients ({@link OutboundEntry#budgetCost}), and no flush is asked for: the publisher asks once per
     * reactor for all of them. Any thread.
     *
     * @return true when this offer found the queue idle, so the caller must have the reactor flush it
     */
    boolean offerPublished(OutboundEntry entry) {
        countIn(entry);
        queue.offer(entry);
        return flushScheduled == 0 && FLUSH_SCHEDULED.compareAndSet(this, 0, 1);
    }

    /** Queues the close frame after everything queued so far: it fences the queue. */
    void offerClose(byte[] payload) {
        offer(OutboundEntry.frame(Kind.CLOSE, Opcode.CLOSE, true, payload, null));
    }

    /** Clears the flush mark before a flush, so entries offered from now on request a new one. */
    void clearFlushScheduled() {
        flushScheduled = 0;
    }

    /**
     * Answers a ping. Every ping is answered in order, up to {@link #MAX_PENDING_PONGS} unwritten pongs; beyond that
     * the newest pong replaces the last one waiting (RFC 6455 §5.5.3 allows answering only the most recent ping), so a
     * ping flood from a client that does not read costs bounded memory.
     */
    void pong(byte[] payload) {
        OutboundEntry pong = OutboundEntry.frame(Kind.CONTROL, Opcode.PONG, true, payload, null);
        if (pongs == null) {
            pongs = new ArrayDeque<>(4);
        }
        if (pongs.size() >= MAX_PENDING_PONGS) {
            pongs.pollLast();
        }
        pongs.add(pong);
        requestFlush();
    }

    /** Sends a keepalive ping; an unwritten earlier one is replaced. */
    void ping(byte[] payload) {
        ping = OutboundEntry.frame(Kind.CONTROL, Opcode.PING, true, payload, null);
        requestFlush();
    }

    /** Asks for a flush unless one is already asked for. Any thread. */
    void requestFlush() {
        if (flushScheduled == 0 && FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
            flushRequests.flushSoon();
        }
    }

    /** The next entry to write, in the order above; null when nothing is left (or the close frame was taken). */
    OutboundEntry next() {
        OutboundEntry rest = inPlace == null ? null : inPlace.takeRest();
        if (rest != null) {
            return rest; // the end of a frame a peer's thread wrote in part: nothing may come between
        }
        if (resend != null && !resend.isEmpty()) {
            return resend.poll();
        }
        if (closeTaken) {
            return null;
        }
        OutboundEntry entry;
        if (response != null) {
            entry = response;
            response = null;
        } else if (pongs != null) {
            entry = pongs.poll();
            if (pongs.isEmpty()) {
                pongs = null; // idle peers carry no deque
            }
        } else if (ping != null) {
            entry = ping;
            ping = null;
        } else {
            entry = queue.poll();
            if (entry != null) {
                entry.taken();
            }
        }
        if (entry != null) {
            started = true;
            closeTaken = entry.kind() == Kind.CLOSE;
        }
        return entry;
    }

    /** Puts back entries taken but not (fully) written, in order, ahead of everything else. */
    void putBack(OutboundEntry[] entries, int from, int to) {
        if (resend == null) {
            resend = new ArrayDeque<>(4);
        }
        for (int i = to - 1; i >= from; i--) {
            resend.addFirst(entries[i]);
        }
    }

    /** An entry reached the socket in full: count it, give back its bytes, complete its future. */
    void onWritten(OutboundEntry entry) {
        if (entry.kind() == Kind.CLOSE) {
            closeWritten = true;
        }
        settleWritten(entry);
    }

    /** Whether the close frame has been written in full. */
    boolean isCloseWritten() {
        return closeWritten;
    }

    /** Discards queued data (a partly written frame is kept, to be finished), failing it with {@code why}. */
    void discardQueued(Exception why) {
        OutboundEntry partial = null;
        if (resend != null) {
            OutboundEntry first = resend.peek();
            if (first != null && first.written > 0) {
                partial = resend.poll();
            }
            failAll(resend, why);
            if (partial != null) {
                resend.add(partial);
            }
        }
        failQueued(why);
    }

    /** Fails everything still queued with {@link ClosedChannelException} (the connection closed). */
    void failAll() {
        ClosedChannelException closed = new ClosedChannelException();
        if (resend != null) {
            failAll(resend, closed);
        }
        response = null;
        pongs = null;
        ping = null;
        OutboundEntry rest = inPlace == null ? null : inPlace.takeRest();
        if (rest != null) {
            fail(rest, closed);
        }
        failQueued(closed);
    }

    private void failQueued(Exception why) {
        for (OutboundEntry entry; (entry = queue.poll()) != null; ) {
            entry.taken();
            fail(entry, why);
        }
    }
}
