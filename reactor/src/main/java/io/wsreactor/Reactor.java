package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The selector loop: one thread that owns its connections, and the listening socket when it is the first of its
 * server's reactors (docs/ARCHITECTURE.md, "Threads" and "Several reactors").
 *
 * <p>Each pass: select (blocking only when no work is queued) handling ready keys (accept, read, write), run the
 * commands posted by user threads, flush the connections that have new outbound frames, and about every
 * {@link #TICK_NANOS} sweep the connections' deadlines (one comparison per connection: no timer objects).
 *
 * <p>User threads reach it with {@link #execute} and {@link #requestFlush}, through its {@link ReactorInbox}, which
 * wakes the selector at most once per pass however many threads post.
 *
 * <p>What it delegates, one object each per reactor: accepted sockets made connections ({@link SocketRegistrar}), the
 * connections it owns ({@link ConnectionTable}), upgrades waiting for room in the accept queue
 * ({@link WaitingUpgrades}), and stopping ({@link ReactorShutdown}). Read and write events go through none of them.
 */
final class Reactor implements Runnable {
    static final long TICK_NANOS = Duration.ofMillis(50).toNanos();
    private static final int READ_BUFFER_SIZE = 128 * 1024;
    private static final int WRITE_BUFFER_SIZE = 256 * 1024;

    final WsServer server;
    final ServerOptions options;
    /** This reactor's counters; the server sums those of all its reactors. */
    final StatsRecorder stats = new StatsRecorder();
    private final ReactorGroup group;
    final AcceptQueue acceptQueue;
    final MemoryBudget budget;
    /** Upgrades that found the accept queue full: the handshake adds them, the group asks them to go on. */
    final WaitingUpgrades waitingUpgrades;
    /** The application's handshake hooks failing: logged at a bounded rate, since a bug fails every handshake. */
    final RepeatedFailureLog hookFailures = new RepeatedFailureLog(
            Connection.LOG, Level.ERROR, "a handshake hook failed; answering 500");
    /** The application's HTTP handler failing, logged like the hooks. */
    final RepeatedFailureLog httpHandlerFailures = new RepeatedFailureLog(
            Connection.LOG, Level.ERROR, "the HTTP handler failed; answering 500");
    /** {@link #isAsleep} as one supplier shared by the connections, so that none makes its own. */
    final BooleanSupplier asleep = this::isAsleep;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    final Flusher flusher = new Flusher(WRITE_BUFFER_SIZE);
    /** Packet buffers TLS connections borrow while bytes are in flight. */
    final TlsBuffers tlsBuffers = new TlsBuffers();
    /** The time of the current pass (System.nanoTime). */
    long now = System.nanoTime();

    private final Selector selector;
    /** The listening socket, on the first reactor only. */
    private final Acceptor acceptor;
    private final ReactorInbox inbox;
    /** Makes accepted sockets connections of this reactor. */
    private final SocketRegistrar registrar;
    private final ConnectionTable connections = new ConnectionTable();
    /** Stopping: listening, the graceful shutdown and its deadline, the end of the thread. */
    final ReactorShutdown shutdown;
    private long nextTick;
    /** Whether {@link #now} was read after the current blocking select returned. */
    private boolean clockFresh;
    volatile Thread thread;
    /** Completed when the reactor thread has closed everything and is about to end. */
    final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /** A reactor of {@code group}; {@code listener} is the listening socket it accepts from, or null. */
    Reactor(WsServer server, ReactorGroup group, ServerSocketChannel listener, AcceptQueue acceptQueue)
            throws IOException {
        this.server = server;
        this.group = group;
        this.options = server.options();
        this.acceptQueue = acceptQueue;
        this.waitingUpgrades = new WaitingUpgrades(acceptQueue);
        this.budget = server.budget;
        this.selector = Selector.open();
        this.inbox = new ReactorInbox(selector);
        try {
            this.acceptor = listener == null ? null : new Acceptor(listener, selector);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.shutdown = new ReactorShutdown(this, group, acceptor, connections);
        this.registrar = new SocketRegistrar(this, selector, connections);
    }

    /** Releases a reactor that will never start (the server failed to set up its group). */
    void discard() {
        if (acceptor != null) {
            acceptor.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            Connection.LOG.log(Level.DEBUG, "closing the selector failed", e);
        }
    }

    /** Starts the reactor thread (not a daemon: it keeps the JVM alive while the server listens or peers are open). */
    void start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(false);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        try {
            nextTick = System.nanoTime() + TICK_NANOS;
            while (true) {
                inbox.runCommands(registrar);
                inbox.flushRequested(registrar);
                if (!shutdown.listening() && connections.isEmpty()) {
                    break;
                }
                inbox.goingToSleep();
                clockFresh = false;
                // Ready keys are handled inside select, one callback each: no selected-key set to fill and drain.
                if (inbox.hasWork()) {
                    inbox.awake(); // not going to block: nobody needs to wake us
                    now = System.nanoTime();
                    selector.selectNow(this::handleKey);
                } else {
                    long waitMillis = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
                    selector.select(this::handleKeyAfterWait, waitMillis);
                }
                inbox.awake();
                now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_NANOS;
                    sweep();
                }
            }
        } catch (Throwable t) {
            Connection.LOG.log(Level.ERROR, "the reactor thread failed; closing every connection", t);
        } finally {
            connections.forEach(Connection::closeNow);
            discard();
            shutdown.threadEnded();
            terminated.complete(null);
            inbox.closeHandedOver();
        }
    }

    /** A key after a blocking select; the first one refreshes the clock, which moved while the selector waited. */
    private void handleKeyAfterWait(SelectionKey key) {
        if (!clockFresh) {
            inbox.awake(); // the wait is over: writers need not wake the selector
            now = System.nanoTime();
            clockFresh = true;
        }
        handleKey(key);
    }

    private void handleKey(SelectionKey key) {
        if (acceptor != null && acceptor.owns(key)) {
            acceptor.acceptWaiting(now, group::assign);
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isValid() && key.isReadable()) {
                connection.onReadable();
            }
            if (key.isValid() && key.isWritable()) {
                connection.onWritable();
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            connection.failed(e);
        }
    }

    /**
     * Takes an accepted socket for good: registered at once on this reactor's thread, else queued for its next pass
     * (closed if the reactor has ended). Any thread.
     */
    void adopt(SocketChannel channel) {
        if (isReactorThread()) {
            registrar.accept(channel);
            return;
        }
        inbox.handOver(channel);
        if (terminated.isDone()) { // it ended meanwhile: whoever polls a socket last closes it
            inbox.closeHandedOver();
        }
    }

    private void sweep() {
        waitingUpgrades.sweep();
        if (acceptor != null) {
            acceptor.resumeIfDue(now);
        }
        long time = now;
        connections.forEach(connection -> connection.onTick(time));
        shutdown.onTick(now);
    }

    // ---- connection registry (reactor thread) ----

    void remove(Connection connection) {
        connections.remove(connection);
    }

    boolean hasRoomForWebSocket() {
        return group.webSockets.get() < options.maxConnections() && !shutdown.started();
    }

    void onUpgraded() {
        group.webSockets.incrementAndGet();
        stats.handshakesAccepted.increment();
        stats.openConnections.increment();
    }

    void onWebSocketClosed() {
        group.webSockets.decrementAndGet();
        stats.openConnections.decrement();
    }

    // ---- entry points for user threads ----

    boolean isReactorThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs a command on the reactor thread: later in this pass when called from it, else after a wake-up. */
    void execute(Runnable command) {
        inbox.execute(command, isReactorThread());
    }

    /** Asks for a flush of the connection (called once per scheduling by {@link Connection#enqueue}). */
    void requestFlush(Connection connection) {
        inbox.requestFlush(connection, isReactorThread());
    }

    /**
     * Whether the reactor waits in the selector (or is about to), so that work posted now costs a wake-up: only then
     * does a peer's thread write a reply in place ({@link InPlaceWriter}); while the reactor is busy, it batches
     * queued frames at no wake-up. Any thread.
     */
    boolean isAsleep() {
        return inbox.isAsleep();
    }

    /**
     * Asks for flushes of many connections with one command (a publish: docs/ARCHITECTURE.md, "Fan-out"); each
     * connection's flush mark is set already. {@code done} runs on the reactor thread once they are taken.
     */
    void requestFlushes(Connection[] batch, int count, Runnable done) {
        execute(() -> {
            inbox.requestFlushesHere(batch, count);
            done.run();
        });
    }
}
