package io.wsreactor;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameEncoder;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * Lets a peer's thread write a small frame straight to a plain TCP socket when nothing waits to be written before it,
 * instead of queueing it and waking the reactor to write it (docs/ARCHITECTURE.md, "Writing in place"). That saves
 * the reactor's wake-up (an eventfd write and read, an extra epoll_wait) and a thread switch on every reply of a
 * request-response peer. Only while the reactor sleeps: a busy one needs no wake-up and batches queued frames.
 *
 * <p>The socket has one writer at a time: the reactor's flush and an in-place write each {@link #hold} it first. A
 * flush that finds it held gives up and marks itself deferred; the writer, letting go, asks for the flush again. The
 * reactor says at the end of each flush whether the path is idle (response written, nothing put back, no close frame
 * taken, nothing left unwritten); a writer writes in place only then, and only while the outbound queue is empty and
 * no flush is asked for, so every frame queued before it (by its own thread above all) is on the wire first. A write
 * the socket takes only in part leaves its {@link #takeRest rest} for the reactor, which writes it before anything
 * else. A frame the socket does not take at all, or a write that fails, is queued as usual.
 */
class InPlaceWriter {
    /** Larger payloads are queued: for them the copy costs more than the hand-off. */
    static final int MAX_PAYLOAD = 16 * 1024;

    private static final VarHandle HELD;
    private static final VarHandle FLUSH_DEFERRED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HELD = lookup.findVarHandle(InPlaceWriter.class, "held", int.class);
            FLUSH_DEFERRED = lookup.findVarHandle(InPlaceWriter.class, "flushDeferred", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SocketChannel channel;
    private final StatsRecorder stats;
    /** Whether the reactor waits in its selector, so that queueing would cost its wake-up. */
    private final BooleanSupplier reactorAsleep;
    @SuppressWarnings("unused") // accessed through HELD
    private volatile int held;
    @SuppressWarnings("unused") // accessed through FLUSH_DEFERRED
    private volatile int flushDeferred;
    /** Whether the last flush left nothing to write before a new frame; written and read only while holding. */
    private boolean idle;
    /** The unwritten end of a frame written in part, for the reactor to write first; null when none. */
    private volatile OutboundEntry rest;

    InPlaceWriter(SocketChannel channel, StatsRecorder stats, BooleanSupplier reactorAsleep) {
        this.channel = channel;
        this.stats = stats;
        this.reactorAsleep = reactorAsleep;
    }

    // ---- the reactor's side ----

    /**
     * Holds the socket for a flush. Reactor thread.
     *
     * @return false when a peer's thread is writing in place: skip the flush, that thread asks for it again
     */
    boolean beginFlush() {
        if (hold()) {
            return true;
        }
        FLUSH_DEFERRED.setVolatile(this, 1);
        if (hold()) { // the writer let go meanwhile, perhaps before it could see the mark
            FLUSH_DEFERRED.setVolatile(this, 0);
            return true;
        }
        return false;
    }

    /** Lets go after a flush, saying whether nothing is left to write before a new frame. Reactor thread. */
    void endFlush(boolean drained) {
        idle = drained && rest == null;
        HELD.setVolatile(this, 0);
    }

    /** The unwritten end of a frame a peer's thread wrote in part, once; null when none. Reactor thread. */
    OutboundEntry takeRest() {
        OutboundEntry entry = rest;
        if (entry != null) {
            rest = null;
        }
        return entry;
    }

    // ---- a peer's thread ----

    /**
     * Writes a data frame now if that keeps every rule — the path is idle, nothing is queued, no flush is asked for —
     * and saves a wake-up: the reactor waits in its selector (a busy reactor batches queued frames instead, at no
     * wake-up, with fewer system calls than a write per frame). Any thread.
     *
     * @param queueEmpty whether the outbound queue is empty and no flush is asked for, read after holding
     * @param flushRequest asks the reactor for a flush (to finish a frame written in part, or one deferred)
     * @return true when the frame is on its way (written, or its rest left for the reactor); false to queue it
     */
    boolean tryWrite(Frame frame, BooleanSupplier queueEmpty, Runnable flushRequest) {
        if (frame.length() > MAX_PAYLOAD || !reactorAsleep.getAsBoolean() || !hold()) {
            return false;
        }
        boolean partial = false;
        try {
            if (!idle || !queueEmpty.getAsBoolean()) {
                return false;
            }
            int length = frame.length();
            ByteBuffer bytes = ByteBuffer.allocate(FrameEncoder.headerLength(length) + length);
            FrameEncoder.writeHeader(bytes, frame.opcode(), frame.fin(), length);
            bytes.put(frame.payload(), 0, length).flip();
            int written;
            try {
                written = channel.write(bytes);
            } catch (IOException e) {
                return false; // closed or reset: queued, the frame meets the connection's end like any other
            }
            if (written == 0) {
                return false; // the socket is full: the reactor waits for it to drain
            }
            if (bytes.hasRemaining()) {
                OutboundEntry entry = OutboundEntry.frame(Kind.DATA, frame.opcode(), frame.fin(), frame.payload(),
                        null);
                entry.written = written;
                rest = entry;
                idle = false;
                partial = true;
            } else {
                stats.framesOutInPlace.increment();
                stats.bytesOutInPlace.add(written);
            }
            return true;
        } finally {
            HELD.setVolatile(this, 0);
            if (partial || (int) FLUSH_DEFERRED.getVolatile(this) == 1
                    && FLUSH_DEFERRED.compareAndSet(this, 1, 0)) {
                flushRequest.run();
            }
        }
    }

    private boolean hold() {
        return (int) HELD.getVolatile(this) == 0 && HELD.compareAndSet(this, 0, 1);
    }
}
