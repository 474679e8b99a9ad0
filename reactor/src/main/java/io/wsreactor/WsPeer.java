package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeRequest;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
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
public final class WsPeer extends PeerLifecycle implements AutoCloseable {
    /** The upgrade request less the handshake's headers ({@link RetainedRequest}); parsed on each {@link #request()}. */
    private final byte[] requestBytes;
    private final String subprotocol;
    private final InetSocketAddress remoteAddress;
    /** Made by the first readMessage: most peers never call it. */
    private MessageReader messages;

    WsPeer(Connection connection, InboundQueue.Owner session, PeerWriter writer, byte[] requestBytes,
            String subprotocol, InetSocketAddress remoteAddress, ServerOptions options, MemoryBudget budget) {
        super(connection, new InboundQueue(session, options, budget), writer);
        this.requestBytes = requestBytes;
        this.subprotocol = subprotocol;
        this.remoteAddress = remoteAddress;
    }

    /**
     * The next data frame, waiting as long as it takes.
     *
     * @return a TEXT, BINARY or CONTINUATION frame (with its {@code fin}); null at end of stream (the client closed,
     *     broke the protocol or dropped, or the peer was closed)
     * @throws InterruptedException if the thread is interrupted while waiting; no frame is lost
     * @throws IllegalStateException if called on the reactor thread with no frame ready
     */
    public Frame read() throws InterruptedException {
        return inbound.pollUnbounded();
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
        return inbound.poll(Timeouts.toNanos(timeout));
    }

    /**
     * Up to {@code max} data frames in wire order, in one hand-off: waits as {@link #read(Duration)} for the first,
     * then takes the frames already queued behind it without waiting for more. A reader that fell behind drains its
     * backlog with one lock taken instead of one per frame.
     *
     * @param into where the frames are added, at its end; must accept {@code add}
     * @param max the most frames to add, at least 1
     * @return the number of frames added, 1 to {@code max}; -1 at end of stream (nothing added)
     * @throws TimeoutException when neither a frame nor the end of the stream came within {@code timeout}
     * @throws InterruptedException if the thread is interrupted while waiting; no frame is lost
     * @throws IllegalArgumentException if {@code max} is below 1
     * @throws IllegalStateException as for {@link #read(Duration)}
     */
    public int read(List<? super Frame> into, int max, Duration timeout) throws InterruptedException, TimeoutException {
        return inbound.pollBatch(into, max, Timeouts.toNanos(timeout));
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
        if (messages == null) {
            messages = MessageReader.of(this);
        }
        return messages.read(Timeouts.toNanos(timeout));
    }

    /**
     * Queues a frame for sending, waiting as long as the slow-consumer policy says (BLOCK waits without limit).
     *
     * @return {@link WriteResult#QUEUED} once the frame is queued; {@link WriteResult#DROPPED} when the DROP policy
     *     discarded its message; {@link WriteResult#REFUSED} when the FAIL or CLOSE policy refused it (or BLOCK on the
     *     reactor thread, which may not wait); {@link WriteResult#CLOSED} when the peer is closed or closing. Never
     *     {@link WriteResult#TIMED_OUT}. {@link WriteResult#isAccepted()} tells the first two from the rest.
     * @throws IllegalArgumentException for a CLOSE frame (use {@link #shutdown}) or a control frame that is not final
     *     or has more than {@value Frame#MAX_CONTROL_PAYLOAD} bytes ({@link Frame#checkSendable})
     * @throws IllegalStateException for a CONTINUATION with no message started, or a new TEXT/BINARY message while
     *     a fragmented one is unfinished; nothing is sent
     * @throws InterruptedException if interrupted while waiting at the high-water mark (nothing is queued)
     */
    public WriteResult write(Frame frame) throws InterruptedException {
        return write(frame, null);
    }

    /**
     * Queues a frame for sending, waiting at most {@code timeout} while the peer's outbound bytes are at the
     * high-water mark (BLOCK policy).
     *
     * @param timeout the longest wait; null waits without limit; zero or negative does not wait
     * @return as for {@link #write(Frame)}, and {@link WriteResult#TIMED_OUT} when the BLOCK policy waited the whole
     *     {@code timeout} at the high-water mark (nothing is queued)
     * @throws IllegalArgumentException as for {@link #write(Frame)}
     * @throws IllegalStateException as for {@link #write(Frame)}
     * @throws InterruptedException if interrupted while waiting (nothing is queued)
     */
    public WriteResult write(Frame frame, Duration timeout) throws InterruptedException {
        return writer.offer(frame, timeout == null ? Long.MAX_VALUE : Timeouts.toNanos(timeout), null);
    }

    /**
     * Queues a frame without waiting, so it never times out. The future completes normally (on the reactor thread)
     * when the frame's bytes are handed to the socket, or at once when the DROP policy discarded its message. It fails
     * with {@link ClosedChannelException} when the peer is closed or closing (nothing queued) or closes before the
     * frame is written; with {@link SlowConsumerException} when the slow-consumer policy refuses the frame (FAIL at the
     * high-water mark, BLOCK or CLOSE past the hard limit; nothing queued) or the CLOSE policy discards it unwritten.
     *
     * @throws IllegalArgumentException as for {@link #write(Frame)}
     * @throws IllegalStateException as for {@link #write(Frame)}
     */
    public CompletableFuture<Void> writeAsync(Frame frame) {
        return writer.offerAsync(frame, remoteAddress);
    }

    /**
     * What this peer's queued frames cost, not yet handed to the socket: their bytes plus a fixed 64-byte overhead
     * each, the count the slow-consumer policy compares with {@link ServerOptions#outboundHighWaterMark()}.
     */
    public long queuedBytes() {
        return writer.outboundBytes();
    }

    /**
     * Whether a write now meets no slow-consumer policy: the queued bytes are below the high-water mark and the
     * server's memory budget does not press on this peer.
     */
    public boolean isWritable() {
        return writer.isWritable();
    }

    /**
     * A future completed when this peer {@link #isWritable() is writable} again, at once if it is, or when the peer
     * closes (later writes then report it). The way to pace {@link #writeAsync}: write while writable, then continue
     * from this future, so a slow client holds at most the high-water mark plus one message. Completes on the
     * reactor thread or the caller's.
     */
    public CompletableFuture<Void> whenWritable() {
        return writer.whenWritable();
    }

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
        return startShutdown(code, reason, Timeouts.toNanos(timeout));
    }

    /**
     * Closes TCP now, without a close handshake. Waiting reads return null (after nothing: queued frames stay
     * readable), waiting writes return {@link WriteResult#CLOSED} and pending {@code writeAsync} futures fail with
     * {@link ClosedChannelException}. Idempotent.
     */
    @Override
    public void close() {
        closeNow();
    }

    /**
     * Whether the connection is closed: TCP is closed, {@link #close()} was called, or a reader has seen end of
     * stream (after which the reactor finishes the close on its own).
     */
    public boolean isClosed() {
        return closed || inbound.isEndObserved();
    }

    /**
     * The client's upgrade request: path, query and headers, less the handshake's own ({@code Connection},
     * {@code Upgrade}, {@code Sec-WebSocket-Key}, {@code -Version} and {@code -Extensions}), which the 101 answered and
     * the handshake hook still sees. Parsed from the retained request bytes on each call (an idle peer keeps those
     * bytes rather than a parsed request), so keep the result when you use it often.
     */
    public HandshakeRequest request() {
        return RetainedRequest.parse(requestBytes, remoteAddress);
    }

    /**
     * The client's address: the socket's remote end, or the client a PROXY protocol header named (see
     * {@link ServerOptions#proxyProtocol()}); null when it could not be read (the socket dropped during the handshake).
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The TLS session of a {@code wss://} connection, for its protocol ({@code getProtocol()}), cipher suite
     * ({@code getCipherSuite()}) and the client's certificates under mutual TLS ({@code getPeerCertificates()},
     * which throws when the client sent none); null on plain {@code ws://}.
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

    /** Sets this peer's slow-consumer policy, overriding the server's; takes effect for the next write. */
    public void setSlowConsumerPolicy(SlowConsumerPolicy policy) {
        writer.policy = Objects.requireNonNull(policy, "policy");
    }

    /** This peer's slow-consumer policy. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return writer.policy;
    }

    /**
     * Sets how this peer's blocking calls wait ({@link #read}, {@link #readMessage}, {@link #write} at the high-water
     * mark), overriding the server's {@link ServerOptions#waitStrategy()}; takes effect for the next call. For
     * example SPIN for a peer whose reader thread is pinned to a core of its own.
     */
    public void setWaitStrategy(WaitStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        inbound.setWaitStrategy(strategy); // the writer asks the peer for it: one strategy for every blocking call
    }

    /** How this peer's blocking calls wait. */
    public WaitStrategy waitStrategy() {
        return inbound.waitStrategy();
    }

    @Override
    public String toString() {
        return "WsPeer{" + remoteAddress + ", " + request().target() + (closed ? ", closed" : "") + '}';
    }
}
