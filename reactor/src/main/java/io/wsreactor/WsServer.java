package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket server (the seed's {@code wsserver}): one reactor thread — or {@link ServerOptions#reactors()} of
 * them, each owning the connections handed to it — serves every connection; the application takes handshaken peers
 * from all reactors with {@link #accept()}.
 *
 * <p>No thread is started before {@link #listen()}. The reactor threads are not daemons: they keep the JVM alive
 * while the server listens or any peer is open, and end by themselves after {@link #close()} once their last peer
 * has closed, or after {@link #shutdown(Duration)}. All methods are safe from any thread.
 */
public final class WsServer implements AutoCloseable {
    private static final String DEFAULT_HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 8080;

    private final String host;
    private final int port;
    private final ServerOptions options;
    private final AcceptQueue acceptQueue;
    final MemoryBudget budget;
    private final Publisher publisher;
    private volatile HandshakeHook hook;
    private volatile AsyncHandshakeHook asyncHook;
    private volatile HttpHandler httpHandler;
    private volatile ReactorGroup reactors;
    private volatile InetSocketAddress localAddress;
    private volatile boolean listening;
    private volatile boolean closed;

    private WsServer(String host, int port, ServerOptions options) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        this.port = port;
        this.options = Objects.requireNonNull(options, "options");
        this.acceptQueue = new AcceptQueue(options.backlog(), options.waitStrategy(), this::onRoomInAcceptQueue);
        this.budget = new MemoryBudget(options.memoryBudget());
        this.publisher = new Publisher(this, budget);
    }

    private void onRoomInAcceptQueue() {
        ReactorGroup current = reactors;
        if (current != null) {
            current.onRoomInAcceptQueue();
        }
    }

    /** A server for 127.0.0.1:8080 with the default options; nothing is bound until {@link #listen()}. */
    public static WsServer create() {
        return new WsServer(DEFAULT_HOST, DEFAULT_PORT, ServerOptions.defaults());
    }

    /** A server for {@code host:port} (port 0 picks a free port) with the default options. */
    public static WsServer create(String host, int port) {
        return new WsServer(host, port, ServerOptions.defaults());
    }

    /**
     * A server for {@code host:port} with the given options.
     *
     * @throws IllegalArgumentException if the port is out of range
     */
    public static WsServer create(String host, int port, ServerOptions options) {
        return new WsServer(host, port, options);
    }

    /**
     * Binds the address and starts the reactor threads. Call once.
     *
     * @throws IOException if the address cannot be bound; the message names it ("127.0.0.1:8080 already in use")
     * @throws UnsupportedOperationException if {@link ServerOptions#reusePort()} is set where the platform has no
     *     SO_REUSEPORT
     * @throws IllegalStateException if already listening or closed
     */
    public synchronized void listen() throws IOException {
        if (closed) {
            throw new IllegalStateException("the server is closed");
        }
        if (reactors != null) {
            throw new IllegalStateException("already listening on " + localAddress);
        }
        ReactorGroup created = ReactorGroup.bind(this, host, port, acceptQueue);
        localAddress = created.localAddress();
        reactors = created;
        listening = true;
        created.start("wsreactor-" + localAddress.getPort());
    }

    /** Whether the server is listening: after {@link #listen()}, before {@link #close()} or shutdown. */
    public boolean isListening() {
        return listening;
    }

    /** The bound address (the real port when created with port 0), or null before {@link #listen()}. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The options the server was created with. */
    public ServerOptions options() {
        return options;
    }

    /**
     * Sets the hook that sees every valid upgrade request (null removes it). Applies to handshakes completed after
     * the call. Replaces an async hook.
     */
    public void setProxyHandshake(HandshakeHook hook) {
        this.hook = hook;
        if (hook != null) {
            this.asyncHook = null;
        }
    }

    /** Sets the asynchronous hook (null removes it). Replaces a synchronous hook. */
    public void setProxyHandshakeAsync(AsyncHandshakeHook hook) {
        this.asyncHook = hook;
        if (hook != null) {
            this.hook = null;
        }
    }

    /**
     * Sets the handler of requests that are not WebSocket upgrades, e.g. {@link HttpHandler#healthCheck} for load
     * balancer probes (null removes it: such requests get 426 or 405 again). Applies to requests read after the call.
     */
    public void setHttpHandler(HttpHandler handler) {
        this.httpHandler = handler;
    }

    HttpHandler httpHandler() {
        return httpHandler;
    }

    HandshakeHook hook() {
        return hook;
    }

    AsyncHandshakeHook asyncHook() {
        return asyncHook;
    }

    /**
     * Takes the next handshaken peer, waiting as long as it takes.
     *
     * @return the peer, or null once the server is closed
     * @throws IllegalStateException if the server was never listening (it would wait forever)
     * @throws InterruptedException if interrupted while waiting
     */
    public WsPeer accept() throws InterruptedException {
        requireListenCalled();
        try {
            return acceptQueue.take(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError("an unbounded wait timed out", e);
        }
    }

    /**
     * Takes the next handshaken peer, waiting at most {@code timeout}.
     *
     * @return the peer, or null once the server is closed
     * @throws TimeoutException when no peer came within {@code timeout}
     * @throws IllegalStateException if the server was never listening
     * @throws InterruptedException if interrupted while waiting
     */
    public WsPeer accept(Duration timeout) throws InterruptedException, TimeoutException {
        requireListenCalled();
        return acceptQueue.take(Timeouts.toNanos(timeout));
    }

    /**
     * A future of the next handshaken peer, completed at once when one waits, else on the reactor thread (stages
     * must not block). Completes with null when the server closes.
     *
     * @throws IllegalStateException if the server was never listening
     */
    public CompletableFuture<WsPeer> acceptAsync() {
        requireListenCalled();
        return acceptQueue.takeAsync();
    }

    private void requireListenCalled() {
        if (reactors == null && !closed) {
            throw new IllegalStateException("accept before listen(): no peer could ever arrive");
        }
    }

    /**
     * Stops listening: the port is released when this returns, waiting accepts get null, peers handshaken but not
     * accepted are closed with 1001. Accepted peers stay open and keep working. Idempotent.
     */
    @Override
    public void close() {
        listening = false;
        closed = true;
        ReactorGroup current = reactors;
        if (current == null) {
            acceptQueue.close();
            return;
        }
        current.stopListening();
    }

    /**
     * Graceful shutdown: stops accepting, sends 1001 to every peer, waits for their close frames at most
     * {@code timeout}, aborts the rest, and ends the reactor threads.
     *
     * @return a future completed when every socket is closed and every reactor thread has finished its work
     */
    public CompletableFuture<Void> shutdown(Duration timeout) {
        long nanos = Timeouts.toNanos(timeout);
        listening = false;
        closed = true;
        ReactorGroup current = reactors;
        if (current == null || current.allEnded()) {
            acceptQueue.close().forEach(peer -> peer.close());
            return CompletableFuture.completedFuture(null);
        }
        return current.shutdown(nanos);
    }

    /**
     * Publishes one message to every peer in {@code peers}: encoded once, one small queue node per recipient, each
     * recipient's slow-consumer policy deciding for it alone as for a {@link WsPeer#writeAsync} of the message. Never
     * waits; per peer, the order of publishes and direct writes made on one thread is kept (see {@link Topic} for the
     * guarantees). Any thread.
     *
     * @param frame a whole TEXT or BINARY message; its payload array is shared by the recipients until written, so it
     *     must not be changed after this call
     * @param peers the recipients, peers of this server (a peer listed twice gets the message twice)
     * @return what became of the message, counted over the recipients
     * @throws IllegalArgumentException for a control or CONTINUATION frame, a frame without {@code fin}, or a peer
     *     of another server (the peers before it got the message)
     */
    public PublishResult publish(Frame frame, Collection<? extends WsPeer> peers) {
        return publisher.publish(frame, peers);
    }

    /**
     * The topic with this name, made on first use. Topics last as long as the server.
     *
     * @throws IllegalArgumentException if the name belongs to a conflating topic
     */
    public Topic topic(String name) {
        return publisher.topic(name, false);
    }

    /**
     * The conflating topic with this name, made on first use: {@link Topic#publish(Frame, Object)} replaces a message
     * with the same key still queued for a subscriber that is behind, so it gets the latest value per key.
     *
     * @throws IllegalArgumentException if the name belongs to a topic that does not conflate
     */
    public Topic conflatingTopic(String name) {
        return publisher.topic(name, true);
    }

    /** A snapshot of the server's counters, summed over its reactors. */
    public ServerStats stats() {
        ReactorGroup current = reactors;
        return current == null ? new StatsRecorder().snapshot(budget) : current.stats(budget);
    }

    void onReactorStopped() {
        listening = false;
    }

    @Override
    public String toString() {
        return "WsServer{" + (localAddress != null ? localAddress : host + ":" + port)
                + (listening ? ", listening" : "") + '}';
    }
}
