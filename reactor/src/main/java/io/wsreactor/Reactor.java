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
 * The selector loop: one thread that owns its connections, and the listening socket when it is the first of its
 * server's reactors (docs/ARCHITECTURE.md, "Threads" and "Several reactors").
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
    /** This reactor's counters; the server sums those of all its reactors. */
    final StatsRecorder stats = new StatsRecorder();
    private final ReactorGroup group;
    final AcceptQueue acceptQueue;
    final MemoryBudget budget;
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
    /** Sockets the accepting reactor handed over, to be registered by this one; closed if it has ended. */
    private final ConcurrentLinkedQueue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Connection> flushRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> localCommands = new ArrayDeque<>();
    private final ArrayDeque<Connection> localFlushes = new ArrayDeque<>();
    /** Upgrades waiting for room in the accept queue, oldest first. */
    private final ArrayDeque<Connection> waitingUpgrades = new ArrayDeque<>();
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private Connection[] connections = new Connection[64];
    private int connectionCount;
    /** Whether this reactor has told the accept queue that upgrades wait here. */
    private volatile boolean upgradesWaiting;
    private long nextTick;
    /** Whether {@link #now} was read after the current blocking select returned. */
    private boolean clockFresh;
    private boolean listening = true;
    private CompletableFuture<Void> shutdownDone;
    private long shutdownDeadline = Long.MAX_VALUE;
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
        this.budget = server.budget;
        this.selector = Selector.open();
        try {
            this.acceptor = listener == null ? null : new Acceptor(listener, selector);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
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
            discard();
            listening = false;
            // Ending normally, every reactor has already closed the accept queue (stopListening). A reactor that
            // failed leaves it to the others still running; the last reactor to end closes it.
            boolean last = group.reactorEnded();
            if (last) {
                for (WsPeer peer : acceptQueue.close()) {
                    Connection connection = peer.connection;
                    onOwnReactor(connection, connection::closeNow);
                }
            }
            if (last || acceptor != null) { // the server listens no more
                server.onReactorStopped();
            }
            if (shutdownDone != null) {
                shutdownDone.complete(null);
            }
            terminated.complete(null);
            closeHandedOver();
        }
    }

    private boolean hasWork() {
        return !commands.isEmpty() || !flushRequests.isEmpty() || !localCommands.isEmpty()
                || !localFlushes.isEmpty() || !handedOver.isEmpty();
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
            register(channel);
            return;
        }
        handedOver.add(channel);
        wakeUp();
        if (terminated.isDone()) { // it ended meanwhile: whoever polls a socket last closes it
            closeHandedOver();
        }
    }

    private void registerHandedOver() {
        SocketChannel channel;
        while ((channel = handedOver.poll()) != null) {
            register(channel);
        }
    }

    private void closeHandedOver() {
        SocketChannel channel;
        while ((channel = handedOver.poll()) != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing what nobody will serve.
            }
        }
    }

    /** Runs {@code action} on the reactor that owns {@code connection}: now when that is this one. */
    private void onOwnReactor(Connection connection, Runnable action) {
        if (connection.reactor == this) {
            action.run();
        } else {
            connection.reactor.execute(action);
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
        if (!handedOver.isEmpty()) {
            registerHandedOver();
        }
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
        setUpgradesWaiting(true);
    }

    /** Whether upgrades wait for room here (any thread: the group asks before posting to this reactor). */
    boolean hasWaitingUpgrades() {
        return upgradesWaiting;
    }

    private void setUpgradesWaiting(boolean waiting) {
        if (upgradesWaiting != waiting) {
            upgradesWaiting = waiting;
            acceptQueue.upgradesWaiting(waiting);
        }
    }

    /** Lets waiting upgrades go on, oldest first, while the accept queue has room. Reactor thread. */
    void admitWaitingUpgrades() {
        while (!waitingUpgrades.isEmpty() && acceptQueue.hasRoom()) {
            waitingUpgrades.poll().onRoomInAcceptQueue(); // one that closed or timed out meanwhile does nothing
        }
        if (waitingUpgrades.isEmpty()) {
            setUpgradesWaiting(false);
        }
    }

    private void sweep() {
        if (!waitingUpgrades.isEmpty()) {
            waitingUpgrades.removeIf(connection -> connection.state() != ConnectionLife.State.PENDING);
            admitWaitingUpgrades();
        }
        if (acceptor != null) {
            acceptor.resumeIfDue(now);
        }
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
        return group.webSockets.get() < options.maxConnections() && shutdownDone == null;
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

    /**
     * Asks for flushes of many connections with one command (a publish: docs/ARCHITECTURE.md, "Fan-out"); each
     * connection's flush mark is set already. {@code done} runs on the reactor thread once they are taken.
     */
    void requestFlushes(Connection[] batch, int count, Runnable done) {
        execute(() -> {
            for (int i = 0; i < count; i++) {
                localFlushes.add(batch[i]);
            }
            done.run();
        });
    }

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
        if (acceptor != null) {
            acceptor.close();
        }
        long closeTimeout = options.closeTimeout().toNanos();
        for (WsPeer peer : acceptQueue.close()) {
            Connection connection = peer.connection;
            onOwnReactor(connection, () -> connection.startClose(CloseCode.GOING_AWAY, "server closed", closeTimeout));
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
