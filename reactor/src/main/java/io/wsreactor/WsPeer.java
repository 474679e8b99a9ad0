package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import io.wsreactor.handshake.HandshakeRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted WebSocket connection (the seed's {@code wspeer}).
 *
 * <p>All methods are safe from any thread. Reads: one frame at a time in wire order ({@link #read}), or a whole
 * message ({@link #readMessage}); pings and pongs never appear, the reactor answers pings itself. Writes: frames are
 * encoded on the caller's thread into a lock-free queue the reactor drains; any number of threads may write, each
 * thread's frames keep their order, and frames are never interleaved.
 *
 * <p>Futures ({@link #readAsync}, {@link #writeAsync}, {@link #shutdown}) complete on the reactor thread when they
 * cannot complete at once; stages attached with non-async methods then run on the reactor thread and must not
 * block (a blocking call there that would have to wait throws {@link IllegalStateException}).
 */
public final class WsPeer implements AutoCloseable {
    private static final VarHandle OUTBOUND_BYTES;
    private static final VarHandle MESSAGE_STATE;
    private static final VarHandle CLOSING;
    /** Message state: a fragmented message is being sent. Values >= 0 count whole-frame writers in flight. */
    private static final int SENDING = -1;
    /** Message state: a fragmented message is being dropped (DROP policy): its continuations are discarded. */
    private static final int DROPPING = -2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OUTBOUND_BYTES = lookup.findVarHandle(WsPeer.class, "outboundBytes", long.class);
            MESSAGE_STATE = lookup.findVarHandle(WsPeer.class, "messageState", int.class);
            CLOSING = lookup.findVarHandle(WsPeer.class, "closing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection connection;
    final InboundQueue inbound;
    private final HandshakeRequest request;
    private final String subprotocol;
    private final InetSocketAddress remoteAddress;
    private final ServerOptions options;
    private final CompletableFuture<CloseStatus> closeFuture = new CompletableFuture<>();
    private volatile SlowConsumerPolicy policy;
    @SuppressWarnings("unused") // accessed through OUTBOUND_BYTES
    private volatile long outboundBytes;
    @SuppressWarnings("unused") // accessed through MESSAGE_STATE
    private volatile int messageState;
    /** 1 once a close frame is queued or the connection is closed: writes are refused from then on. */
    @SuppressWarnings("unused") // accessed through CLOSING
    private volatile int closing;
    private volatile boolean closed;
    private volatile boolean accepted;
    private volatile CloseStatus closeStatus;
    private volatile long rttNanos = -1;
    private volatile int writersWaiting;
    private volatile WriteGate writeGate;
    /** Fragments of a message {@link #readMessage} has begun (reader side). */
    private List<Frame> partialMessage;

    WsPeer(Connection connection, HandshakeRequest request, String subprotocol, InetSocketAddress remoteAddress,
            ServerOptions options) {
        this.connection = connection;
        this.request = request;
        this.subprotocol = subprotocol;
        this.remoteAddress = remoteAddress;
        this.options = options;
        this.policy = options.slowConsumerPolicy();
        this.inbound = new InboundQueue(connection, options.inboundQueueBytes(), options.inboundQueueFrames());
    }

    // ---- reading ----

    /**
     * The next data frame, waiting as long as it takes.
     *
     * @return a TEXT, BINARY or CONTINUATION frame (with its {@code fin}); null at end of stream (the client closed,
     *     broke the protocol or dropped, or the peer was closed)
     * @throws InterruptedException if the thread is interrupted while waiting; no frame is lost
     * @throws IllegalStateException if called on the reactor thread with no frame ready
     */
    public Frame read() throws InterruptedException {
        return inbound.poll(Long.MAX_VALUE);
    }

    /**
     * The next data frame, waiting at most {@code timeout}.
     *
     * @return the frame, or null at end of stream or on timeout ({@link #isClosed()} tells which)
     * @throws InterruptedException if the thread is interrupted while waiting; no frame is lost
     * @throws IllegalStateException if called on the reactor thread with a positive timeout and no frame ready
     */
    public Frame read(Duration timeout) throws InterruptedException {
        return inbound.poll(toNanos(timeout));
    }

    /**
     * A future of the next data frame: completed at once when one is queued, else on the reactor thread when one
     * arrives (its non-async stages run there and must not block). Completes with null at end of stream.
     */
    public CompletableFuture<Frame> readAsync() {
        return inbound.pollAsync();
    }

    /**
     * The next whole message: fragments joined into one final TEXT or BINARY frame. A message is bounded by
     * {@link ServerOptions#maxMessageSize()} (enforced on receipt) and {@link ServerOptions#maxFragments()}: a message
     * with more fragments fails the connection with 1009 and this returns null. Meant for one reader thread; do not
     * mix with {@link #read} in the middle of a message.
     *
     * @return the message, or null at end of stream or on timeout; fragments read before a timeout are kept for the
     *     next call
     * @throws InterruptedException if interrupted while waiting (fragments read so far are kept)
     */
    public Frame readMessage(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + toNanos(timeout);
        while (true) {
            Frame frame = inbound.poll(deadline - System.nanoTime());
            if (frame == null) {
                if (isClosed()) {
                    partialMessage = null;
                }
                return null;
            }
            if (partialMessage == null) {
                if (frame.fin()) {
                    return frame;
                }
                partialMessage = new ArrayList<>();
            }
            partialMessage.add(frame);
            if (partialMessage.size() > options.maxFragments()) {
                partialMessage = null;
                connection.execute(() -> connection.fail(CloseCode.MESSAGE_TOO_BIG,
                        "message has more than " + options.maxFragments() + " fragments"));
                return null;
            }
            if (frame.fin()) {
                return join(partialMessage);
            }
        }
    }

    private Frame join(List<Frame> parts) {
        partialMessage = null;
        int length = 0;
        for (Frame part : parts) {
            length += part.length();
        }
        byte[] payload = new byte[length];
        int offset = 0;
        for (Frame part : parts) {
            System.arraycopy(part.payload(), 0, payload, offset, part.length());
            offset += part.length();
        }
        return new Frame(parts.get(0).opcode(), true, payload);
    }

    // ---- writing ----

    /**
     * Queues a frame for sending, waiting as long as the slow-consumer policy says (BLOCK waits without limit).
     *
     * @return true once the frame is queued (or dropped by the DROP policy); false when the peer is closed or closing,
     *     or the policy refused the frame
     * @throws IllegalArgumentException for a CLOSE frame (use {@link #shutdown}) or a control frame that is not final
     *     or has more than 125 bytes
     * @throws IllegalStateException for a CONTINUATION with no message started, or a new TEXT/BINARY message while
     *     a fragmented one is unfinished; nothing is sent
     * @throws InterruptedException if interrupted while waiting at the high-water mark (nothing is queued)
     */
    public boolean write(Frame frame) throws InterruptedException {
        return write(frame, null);
    }

    /**
     * Queues a frame for sending, waiting at most {@code timeout} while the peer's outbound bytes are at the
     * high-water mark (BLOCK policy).
     *
     * @param timeout the longest wait; null waits without limit
     * @return true once queued (or dropped by DROP); false on timeout, when closed or closing, or when refused by
     *     the policy
     * @throws IllegalArgumentException as for {@link #write(Frame)}
     * @throws IllegalStateException as for {@link #write(Frame)}
     * @throws InterruptedException if interrupted while waiting (nothing is queued)
     */
    public boolean write(Frame frame, Duration timeout) throws InterruptedException {
        long nanos = timeout == null ? Long.MAX_VALUE : toNanos(timeout);
        return offer(frame, nanos, null) <= WriteOutcome.DROPPED;
    }

    /**
     * Queues a frame without waiting. The future completes (on the reactor thread) when the frame's bytes are handed
     * to the socket, and fails with {@link ClosedChannelException} if the peer closes first, or with
     * {@link SlowConsumerException} when the slow-consumer policy refuses it.
     *
     * @throws IllegalArgumentException as for {@link #write(Frame)}
     * @throws IllegalStateException as for {@link #write(Frame)}
     */
    public CompletableFuture<Void> writeAsync(Frame frame) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        int outcome;
        try {
            outcome = offer(frame, 0, future);
        } catch (InterruptedException e) {
            throw new AssertionError("writeAsync never waits", e);
        }
        switch (outcome) {
            case WriteOutcome.QUEUED -> { }
            case WriteOutcome.DROPPED -> future.complete(null);
            case WriteOutcome.CLOSED -> future.completeExceptionally(new ClosedChannelException());
            default -> future.completeExceptionally(new SlowConsumerException(
                    "peer " + remoteAddress + " has " + outboundBytes() + " outbound bytes queued (policy "
                            + policy + ")"));
        }
        return future;
    }

    /** The outcomes of {@link #offer}, in order: the first two count as success. */
    private static final class WriteOutcome {
        static final int QUEUED = 0;
        static final int DROPPED = 1;
        static final int CLOSED = 2;
        static final int REFUSED = 3;
    }

    private int offer(Frame frame, long waitNanos, CompletableFuture<Void> future) throws InterruptedException {
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
            throw new IllegalStateException("CONTINUATION frame with no fragmented message started");
        }
        if (starts && messageState < 0) {
            throw new IllegalStateException("a new " + opcode + " message while a fragmented message is unfinished");
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
                    throw new IllegalStateException("a new " + frame.opcode()
                            + " message while a fragmented message is unfinished");
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
                throw new IllegalStateException("a new " + frame.opcode()
                        + " message while a fragmented message is unfinished");
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
            throw new IllegalStateException("CONTINUATION frame with no fragmented message started");
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

    private void enqueue(Frame frame, CompletableFuture<Void> future) {
        OutboundEntry entry = OutboundEntry.frame(OutboundEntry.DATA, frame.opcode(), frame.fin(), frame.payload(),
                future);
        entry.counted = true;
        OUTBOUND_BYTES.getAndAdd(this, (long) entry.total);
        connection.enqueue(entry);
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

    // ---- closing ----

    /**
     * Starts a graceful close: the close frame goes out after the frames already queued, then the reactor waits for
     * the client's close frame at most {@code timeout} and closes TCP. Returns at once; later writes are refused.
     *
     * @return a future completed (on the reactor thread) when TCP is closed, with the client's close status, or 1006
     *     when it did not answer in time; calling again returns the same future
     * @throws IllegalArgumentException if {@code code} may not be sent (RFC 6455 §7.4) or the reason is over 123
     *     bytes in UTF-8
     */
    public CompletableFuture<CloseStatus> shutdown(int code, String reason, Duration timeout) {
        Frame.close(code, reason); // validates code and reason
        long nanos = toNanos(timeout);
        if (fence()) {
            String text = reason == null ? "" : reason;
            connection.execute(() -> connection.startClose(code, text, ServerStats.SERVER, nanos));
        }
        return closeFuture;
    }

    /**
     * Closes TCP now, without a close handshake. Waiting reads return null (after nothing: queued frames stay
     * readable), waiting writes return false and pending {@code writeAsync} futures fail. Idempotent; any thread.
     */
    @Override
    public void close() {
        fence();
        closed = true;
        connection.execute(connection::closeNow);
        inbound.wakeReaders();
        if (writeGate != null) {
            signalWriters();
        }
    }

    /** Sets the close fence. @return true for the caller that set it */
    boolean fence() {
        boolean first = CLOSING.compareAndSet(this, 0, 1);
        if (first && writersWaiting > 0) {
            signalWriters();
        }
        return first;
    }

    /**
     * Whether the connection is closed: TCP is closed, {@link #close()} was called, or a reader has seen end of
     * stream (after which the reactor finishes the close on its own).
     */
    public boolean isClosed() {
        return closed || inbound.isEndObserved();
    }

    /** Called by the reactor when TCP is closed. */
    void onClosed(CloseStatus status) {
        closeStatus = status;
        closed = true;
        CLOSING.setVolatile(this, 1);
        inbound.end();
        inbound.wakeReaders();
        if (writeGate != null) {
            signalWriters();
        }
        closeFuture.complete(status);
    }

    // ---- properties ----

    /** The client's upgrade request: path, query and headers. */
    public HandshakeRequest request() {
        return request;
    }

    /** The client's address, or null when it could not be read (the socket dropped during the handshake). */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The subprotocol the handshake response selected (its Sec-WebSocket-Protocol header), or null. */
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * How the connection ended: the client's close code and reason (1005 when its close frame had none), the
     * server's code when the server failed the connection (1002, 1007, 1008, 1009, 1011, 1013), or 1006 when TCP
     * dropped without a close frame; null until a close frame arrives, the connection fails or TCP closes.
     */
    public CloseStatus closeStatus() {
        return closeStatus;
    }

    /** The round-trip time of the last keepalive ping answered, or null when none was (keepalive off, or too early). */
    public Duration rtt() {
        long nanos = rttNanos;
        return nanos < 0 ? null : Duration.ofNanos(nanos);
    }

    void setCloseStatus(CloseStatus status) {
        closeStatus = status;
    }

    void setRtt(long nanos) {
        rttNanos = nanos;
    }

    /** Sets this peer's slow-consumer policy, overriding the server's; takes effect for the next write. */
    public void setSlowConsumerPolicy(SlowConsumerPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** This peer's slow-consumer policy. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return policy;
    }

    boolean isAccepted() {
        return accepted;
    }

    void markAccepted() {
        accepted = true;
    }

    @Override
    public String toString() {
        return "WsPeer{" + remoteAddress + ", " + request.target() + (closed ? ", closed" : "") + '}';
    }

    static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
