package io.wsreactor;

import io.wsreactor.frame.Opcode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * A connection's outbound path: the lock-free queue writers fill, and the order the reactor writes in.
 *
 * <p>Policy (after Jetty's FrameFlusher): a frame partly written goes on first, since frames never interleave; the
 * handshake response, first queued, goes before any frame; then the answers to pings and a keepalive ping, ahead of
 * queued data, whether or not the application reads;
 * then the queue in order. A close frame fences the queue: nothing after it is written, and whatever is left fails
 * when the connection closes. Any thread may {@link #offer}; everything else runs on the reactor thread.
 */
final class Outbound {
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

    private final Connection connection;
    private final OutboundQueue queue = new OutboundQueue();
    @SuppressWarnings("unused") // accessed through FLUSH_SCHEDULED
    private volatile int flushScheduled;
    /** Entries taken from the queue but not (fully) written, in order; the first may be partly written. */
    private ArrayDeque<OutboundEntry> resend;
    /** Pongs not yet written, oldest first; made on the first ping. */
    private ArrayDeque<OutboundEntry> pongs;
    private OutboundEntry ping;
    /** Whether the handshake's 101 response is queued and not yet taken: no frame may precede it. */
    private boolean responsePending;
    private boolean closeTaken;
    private boolean closeWritten;

    Outbound(Connection connection) {
        this.connection = connection;
    }

    /** Queues an entry and makes sure a flush follows: one flush request per burst, however many writers. */
    void offer(OutboundEntry entry) {
        queue.offer(entry);
        requestFlush();
    }

    /** Queues the handshake's 101 response, which goes out before any frame, control frames included. */
    void offerResponse(byte[] response) {
        responsePending = true;
        offer(OutboundEntry.raw(response));
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
        OutboundEntry pong = OutboundEntry.frame(OutboundEntry.CONTROL, Opcode.PONG, true, payload, null);
        if (pongs == null) {
            pongs = new ArrayDeque<>(4);
        }
        if (pongs.size() >= MAX_PENDING_PONGS) {
            pongs.pollLast();
        }
        pongs.add(pong);
        requestFlush();
    }

    /** Sends a keepalive ping. */
    void ping(byte[] payload) {
        ping = OutboundEntry.frame(OutboundEntry.CONTROL, Opcode.PING, true, payload, null);
        requestFlush();
    }

    /** Asks the reactor for a flush unless one is already asked for. */
    void requestFlush() {
        if (flushScheduled == 0 && FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
            connection.reactor.requestFlush(connection);
        }
    }

    /** The next entry to write, in the order above; null when nothing is left (or the close frame was taken). */
    OutboundEntry next() {
        if (resend != null && !resend.isEmpty()) {
            return resend.poll();
        }
        if (closeTaken) {
            return null;
        }
        OutboundEntry entry;
        if (responsePending) {
            // A pong for a ping that came with the upgrade request, or an early keepalive ping, waits for the 101.
            entry = queue.poll();
            responsePending = entry == null || entry.kind != OutboundEntry.RAW;
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
        }
        if (entry != null && entry.kind == OutboundEntry.CLOSE) {
            closeTaken = true;
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
        StatsRecorder stats = connection.reactor.stats;
        if (entry.kind != OutboundEntry.RAW) {
            stats.framesOut++;
        }
        stats.bytesOut += entry.total;
        if (entry.counted) {
            entry.counted = false;
            connection.peer.writer.releaseOutbound(entry.total);
        }
        entry.payload = null;
        if (entry.kind == OutboundEntry.CLOSE) {
            closeWritten = true;
        }
        if (entry.future != null) {
            entry.future.complete(null);
        }
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

    /** Fails everything still queued (the connection closed). */
    void failAll() {
        ClosedChannelException closed = new ClosedChannelException();
        if (resend != null) {
            failAll(resend, closed);
        }
        pongs = null;
        ping = null;
        failQueued(closed);
    }

    private void failQueued(Exception why) {
        for (OutboundEntry entry; (entry = queue.poll()) != null; ) {
            fail(entry, why);
        }
    }

    private void failAll(ArrayDeque<OutboundEntry> entries, Exception why) {
        for (OutboundEntry entry; (entry = entries.poll()) != null; ) {
            fail(entry, why);
        }
    }

    private void fail(OutboundEntry entry, Exception why) {
        if (entry.counted) {
            entry.counted = false;
            connection.peer.writer.releaseOutbound(entry.total);
        }
        entry.payload = null;
        if (entry.future != null) {
            entry.future.completeExceptionally(why);
        }
    }
}
