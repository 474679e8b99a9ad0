package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

/**
 * The selector loop: one thread that owns the listening socket and every connection (docs/ARCHITECTURE.md, "Threads").
 *
 * <p>Each pass: select (blocking only when no work is queued) handling ready keys (accept, read, write), run the
 * commands posted by user threads, flush the connections that have new outbound frames, and about every
 * {@link #TICK_NANOS} sweep the connections' deadlines (one comparison per connection: no timer objects).
 *
 * <p>User threads reach it with {@link #execute} and {@link #requestFlush}; the selector is woken at most once per
 * pass however many threads post (the {@link #awake} flag is true while the loop runs). Work posted from the
 * reactor thread itself (a future's stage) is queued locally and needs no wake-up.
 */
final class Reactor implements Runnable {
    static final long TICK_NANOS = Duration.ofMillis(50).toNanos();
    private static final int READ_BUFFER_SIZE = 128 * 1024;
    private static final int WRITE_BUFFER_SIZE = 256 * 1024;

    final WsServer server;
    final ServerOptions options;
    final StatsRecorder stats;
    final AcceptQueue acceptQueue;
    final MemoryBudget budget;
    /** The application's handshake hooks failing: logged at a bounded rate, since a bug fails every handshake. */
    final RepeatedFailureLog hookFailures = new RepeatedFailureLog(
            Connection.LOG, Level.ERROR, "a handshake hook failed; answering 500");
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    final Flusher flusher = new Flusher(WRITE_BUFFER_SIZE);
    /** Packet buffers TLS connections borrow while bytes are in flight. */
    final TlsBuffers tlsBuffers = new TlsBuffers();
    /** The time of the current pass (System.nanoTime). */
    long now = System.nanoTime();

    private final Selector selector;
    private final Acceptor acceptor;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Connection> flushRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> localCommands = new ArrayDeque<>();
    private final ArrayDeque<Connection> localFlushes = new ArrayDeque<>();
    /** Upgrades waiting for room in the accept queue, oldest first. */
    private final ArrayDeque<Connection> waitingUpgrades = new ArrayDeque<>();
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private Connection[] connections = new Connection[64];
    private int connectionCount;
    private int webSockets;
    private long nextTick;
    /** Whether {@link #now} was read after the current blocking select returned. */
    private boolean clockFresh;
    private boolean listening = true;
    private CompletableFuture<Void> shutdownDone;
    private long shutdownDeadline = Long.MAX_VALUE;
    volatile Thread thread;
    /** Completed when the reactor thread has closed everything and is about to end. */
    final CompletableFuture<Void> terminated = new CompletableFuture<>();

    Reactor(WsServer server, ServerSocketChannel listener, StatsRecorder stats, AcceptQueue acceptQueue)
            throws IOException {
        this.server = server;
        this.options = server.options();
        this.stats = stats;
        this.acceptQueue = acceptQueue;
        this.budget = server.budget;
        this.selector = Selector.open();
        this.acceptor = new Acceptor(listener, selector);
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
                runCommands();
                flushRequested();
                if (!listening && connectionCount == 0) {
                    break;
                }
                awake.set(false);
                clockFresh = false;
                // Ready keys are handled inside select, one callback each: no selected-key set to fill and drain.
                if (hasWork()) {
                    awake.lazySet(true); // not going to block: nobody needs to wake us
                    now = System.nanoTime();
                    selector.selectNow(this::handleKey);
                } else {
                    long waitMillis = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
                    selector.select(this::handleKeyAfterWait, waitMillis);
                }
                awake.lazySet(true);
                now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_NANOS;
                    sweep();
                }
            }
        } catch (Throwable t) {
            Connection.LOG.log(Level.ERROR, "the reactor thread failed; closing every connection", t);
        } finally {
            for (int i = connectionCount - 1; i >= 0; i--) {
                connections[i].closeNow();
            }
            acceptor.close();
            try {
                selector.close();
            } catch (IOException e) {
                Connection.LOG.log(Level.DEBUG, "closing the selector failed", e);
            }
            listening = false;
            acceptQueue.close().forEach(peer -> peer.connection.closeNow());
            server.onReactorStopped();
            if (shutdownDone != null) {
                shutdownDone.complete(null);
            }
            terminated.complete(null);
        }
    }

    private boolean hasWork() {
        return !commands.isEmpty() || !flushRequests.isEmpty() || !localCommands.isEmpty()
                || !localFlushes.isEmpty();
    }

    /** A key after a blocking select; the first one refreshes the clock, which moved while the selector waited. */
    private void handleKeyAfterWait(SelectionKey key) {
        if (!clockFresh) {
            awake.lazySet(true); // the wait is over: writers need not wake the selector
            now = System.nanoTime();
            clockFresh = true;
        }
        handleKey(key);
    }

    private void handleKey(SelectionKey key) {
        if (acceptor.owns(key)) {
            acceptor.acceptWaiting(now, this::register);
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

    /** Sets up an accepted socket as a connection of this reactor. */
    private void register(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
            Connection connection = new Connection(this, channel, newTransport(channel), now);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            add(connection);
            if (shutdownDone != null) {
                connection.closeNow();
            }
        } catch (IOException e) {
            Connection.LOG.log(Level.DEBUG, "setting up an accepted socket failed", e);
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing.
            }
        }
    }

    private Transport newTransport(SocketChannel channel) throws IOException {
        SSLContext tls = options.tls();
        if (tls == null) {
            return new PlainTransport(channel);
        }
        try {
            return SslTransport.server(tls, options.tlsParameters(), channel, tlsBuffers, this::execute);
        } catch (RuntimeException e) { // the application's tlsParameters, or a context that cannot make engines
            Connection.LOG.log(Level.ERROR, "setting up TLS for an accepted socket failed; closing it", e);
            throw new IOException("TLS setup failed", e);
        }
    }

    private void runCommands() {
        for (int i = 0; i < 100_000; i++) {
            Runnable command = localCommands.poll();
            if (command == null) {
                command = commands.poll();
                if (command == null) {
                    return;
                }
            }
            try {
                command.run();
            } catch (RuntimeException e) {
                Connection.LOG.log(Level.ERROR, "a reactor command failed", e);
            }
        }
    }

    private void flushRequested() {
        for (int i = 0; i < 100_000; i++) {
            Connection connection = localFlushes.poll();
            if (connection == null) {
                connection = flushRequests.poll();
                if (connection == null) {
                    runCommands();
                    if (localFlushes.isEmpty() && flushRequests.isEmpty()) {
                        return;
                    }
                    continue;
                }
            }
            connection.outbound.clearFlushScheduled();
            if (!connection.writeBlocked || connection.state() == ConnectionLife.State.CLOSED) {
                connection.flush();
            }
        }
    }

    /** An upgrade found the accept queue full: it waits, within its handshake timeout, for the application. */
    void waitForRoom(Connection connection) {
        waitingUpgrades.add(connection);
        acceptQueue.setUpgradesWaiting(true);
    }

    /** Lets waiting upgrades go on, oldest first, while the accept queue has room. Reactor thread. */
    void admitWaitingUpgrades() {
        while (!waitingUpgrades.isEmpty() && acceptQueue.hasRoom()) {
            waitingUpgrades.poll().onRoomInAcceptQueue(); // one that closed or timed out meanwhile does nothing
        }
        if (waitingUpgrades.isEmpty()) {
            acceptQueue.setUpgradesWaiting(false);
        }
    }

    private void sweep() {
        if (!waitingUpgrades.isEmpty()) {
            waitingUpgrades.removeIf(connection -> connection.state() != ConnectionLife.State.PENDING);
            admitWaitingUpgrades();
        }
        acceptor.resumeIfDue(now);
        for (int i = connectionCount - 1; i >= 0; i--) {
            if (i < connectionCount) {
                connections[i].onTick(now);
            }
        }
        if (shutdownDone != null && now - shutdownDeadline >= 0) {
            for (int i = connectionCount - 1; i >= 0; i--) {
                connections[i].closeNow();
            }
        }
    }

    // ---- connection registry (reactor thread) ----

    private void add(Connection connection) {
        if (connectionCount == connections.length) {
            connections = Arrays.copyOf(connections, connectionCount * 2);
        }
        connection.index = connectionCount;
        connections[connectionCount++] = connection;
    }

    void remove(Connection connection) {
        int i = connection.index;
        if (i < 0) {
            return;
        }
        Connection last = connections[--connectionCount];
        connections[i] = last;
        last.index = i;
        connections[connectionCount] = null;
        connection.index = -1;
    }

    boolean hasRoomForWebSocket() {
        return webSockets < options.maxConnections() && shutdownDone == null;
    }

    void onUpgraded() {
        webSockets++;
        stats.handshakesAccepted.increment();
        stats.openConnections.increment();
    }

    void onWebSocketClosed() {
        webSockets--;
        stats.openConnections.decrement();
    }

    // ---- entry points for user threads ----

    boolean isReactorThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs a command on the reactor thread: later in this pass when called from it, else after a wake-up. */
    void execute(Runnable command) {
        if (isReactorThread()) {
            localCommands.add(command);
        } else {
            commands.add(command);
            wakeUp();
        }
    }

    /** Asks for a flush of the connection (called once per scheduling by {@link Connection#enqueue}). */
    void requestFlush(Connection connection) {
        if (isReactorThread()) {
            localFlushes.add(connection);
        } else {
            flushRequests.add(connection);
            wakeUp();
        }
    }

    /**
     * Whether the reactor waits in the selector (or is about to), so that work posted now costs a wake-up: only then
     * does a peer's thread write a reply in place ({@link InPlaceWriter}); while the reactor is busy, it batches
     * queued frames at no wake-up. Any thread.
     */
    boolean isAsleep() {
        return !awake.get();
    }

    /** {@link #isAsleep} as one supplier shared by the connections, so that none makes its own. */
    final BooleanSupplier asleep = this::isAsleep;

    private void wakeUp() {
        if (!awake.get() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Stops listening (reactor thread): peers waiting for accept are closed with 1001, others stay open. */
    void stopListening() {
        if (!listening) {
            return;
        }
        listening = false;
        acceptor.close();
        for (WsPeer peer : acceptQueue.close()) {
            peer.connection.startClose(CloseCode.GOING_AWAY, "server closed", options.closeTimeout().toNanos());
        }
    }

    /** Graceful shutdown (reactor thread): stop accepting, 1001 to everyone, abort the rest at the deadline. */
    void shutdown(long timeoutNanos, CompletableFuture<Void> done) {
        if (shutdownDone != null) {
            shutdownDone.whenComplete((v, t) -> done.complete(null));
            return;
        }
        shutdownDone = done;
        shutdownDeadline = now + timeoutNanos;
        stopListening();
        for (int i = connectionCount - 1; i >= 0; i--) {
            Connection connection = connections[i];
            switch (connection.state()) {
                case OPEN -> connection.startClose(CloseCode.GOING_AWAY, "server shutting down", timeoutNanos);
                case HANDSHAKING, PENDING -> connection.closeNow();
                default -> { } // already closing: its own deadline ends it
            }
        }
    }
}
