package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeException;
import io.wsreactor.handshake.HandshakeParser;
import io.wsreactor.handshake.HandshakeRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

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
    final Connection connection;
    final InboundQueue inbound;
    /** The upgrade request as received; parsed again on each {@link #request()} so idle peers stay small. */
    private final byte[] requestBytes;
    private final String subprotocol;
    private final InetSocketAddress remoteAddress;
    private final ServerOptions options;
    /** Made on first need (shutdown, or the close itself), so idle peers do not carry it. */
    private volatile CompletableFuture<CloseStatus> closeFuture;
    final PeerWriter writer;
    private volatile boolean closed;
    private volatile boolean accepted;
    private volatile CloseStatus closeStatus;
    /** Fragments of a message {@link #readMessage} has begun (reader side). */
    private List<Frame> partialMessage;

    WsPeer(Connection connection, byte[] requestBytes, String subprotocol, InetSocketAddress remoteAddress,
            ServerOptions options) {
        this.connection = connection;
        this.requestBytes = requestBytes;
        this.subprotocol = subprotocol;
        this.remoteAddress = remoteAddress;
        this.options = options;
        this.writer = new PeerWriter(connection, options);
        this.inbound = new InboundQueue(connection, options);
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
        try {
            return inbound.poll(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError("an unbounded wait timed out", e);
        }
    }

    /**
     * The next data frame, waiting at most {@code timeout} ({@link Duration#ZERO} only takes what is queued).
     *
     * @return the frame; null at end of stream
     * @throws TimeoutException when neither a frame nor the end of the stream came within {@code timeout}
     * @throws InterruptedException if the thread is interrupted while waiting; no frame is lost
     * @throws IllegalStateException if called on the reactor thread with a positive timeout and no frame ready
     */
    public Frame read(Duration timeout) throws InterruptedException, TimeoutException {
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
     * @return the message; null at end of stream (or when the message had too many fragments)
     * @throws TimeoutException when the message did not complete within {@code timeout}; fragments read so far are
     *     kept for the next call
     * @throws InterruptedException if interrupted while waiting (fragments read so far are kept)
     */
    public Frame readMessage(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + toNanos(timeout);
        while (true) {
            Frame frame = inbound.poll(deadline - System.nanoTime());
            if (frame == null) {
                partialMessage = null;
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
        return writer.offer(frame, nanos, null) <= PeerWriter.WriteOutcome.DROPPED;
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
            outcome = writer.offer(frame, 0, future);
        } catch (InterruptedException e) {
            throw new AssertionError("writeAsync never waits", e);
        }
        switch (outcome) {
            case PeerWriter.WriteOutcome.QUEUED -> { }
            case PeerWriter.WriteOutcome.DROPPED -> future.complete(null);
            case PeerWriter.WriteOutcome.CLOSED -> future.completeExceptionally(new ClosedChannelException());
            default -> future.completeExceptionally(new SlowConsumerException(
                    "peer " + remoteAddress + " has " + writer.outboundBytes() + " outbound bytes queued (policy "
                            + writer.policy + ")"));
        }
        return future;
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
        if (writer.fence()) {
            String text = reason == null ? "" : reason;
            connection.execute(() -> connection.startClose(code, text, nanos));
        }
        return closeFuture();
    }

    /**
     * Closes TCP now, without a close handshake. Waiting reads return null (after nothing: queued frames stay
     * readable), waiting writes return false and pending {@code writeAsync} futures fail. Idempotent; any thread.
     */
    @Override
    public void close() {
        closed = true;
        writer.onClosed();
        connection.execute(connection::closeNow);
        inbound.wakeReaders();
    }

    /**
     * Whether the connection is closed: TCP is closed, {@link #close()} was called, or a reader has seen end of
     * stream (after which the reactor finishes the close on its own).
     */
    public boolean isClosed() {
        return closed || inbound.isEndObserved();
    }

    private CompletableFuture<CloseStatus> closeFuture() {
        CompletableFuture<CloseStatus> future = closeFuture;
        if (future == null) {
            synchronized (this) {
                future = closeFuture;
                if (future == null) {
                    future = new CompletableFuture<>();
                    closeFuture = future;
                }
            }
        }
        return future;
    }

    /** Called by the reactor when TCP is closed. */
    void onClosed(CloseStatus status) {
        closeStatus = status;
        closed = true;
        writer.onClosed();
        inbound.end();
        inbound.wakeReaders();
        closeFuture().complete(status);
    }

    // ---- properties ----

    /**
     * The client's upgrade request: path, query and headers. Parsed from the retained request bytes on each call (a
     * peer keeps a few hundred bytes instead of a parsed request), so keep the result when you use it often.
     */
    public HandshakeRequest request() {
        try {
            HandshakeRequest request = new HandshakeParser(Integer.MAX_VALUE, Integer.MAX_VALUE)
                    .parse(ByteBuffer.wrap(requestBytes));
            if (request == null) {
                throw new IllegalStateException("the retained upgrade request is incomplete");
            }
            return request;
        } catch (HandshakeException e) {
            throw new IllegalStateException("the retained upgrade request no longer parses", e);
        }
    }

    /** The client's address, or null when it could not be read (the socket dropped during the handshake). */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The TLS session of a {@code wss://} connection, for its protocol ({@code getProtocol()}), cipher suite
     * ({@code getCipherSuite()}) and the client's certificates under mutual TLS ({@code getPeerCertificates()},
     * which throws when the client sent none); null on plain {@code ws://}. Any thread.
     */
    public SSLSession tlsSession() {
        return connection.tlsSession();
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
        long nanos = connection.rttNanos();
        return nanos < 0 ? null : Duration.ofNanos(nanos);
    }

    void setCloseStatus(CloseStatus status) {
        closeStatus = status;
    }

    /** Sets this peer's slow-consumer policy, overriding the server's; takes effect for the next write. */
    public void setSlowConsumerPolicy(SlowConsumerPolicy policy) {
        writer.policy = Objects.requireNonNull(policy, "policy");
    }

    /** This peer's slow-consumer policy. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return writer.policy;
    }

    boolean isAccepted() {
        return accepted;
    }

    void markAccepted() {
        accepted = true;
    }

    @Override
    public String toString() {
        return "WsPeer{" + remoteAddress + ", " + request().target() + (closed ? ", closed" : "") + '}';
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
