package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The work posted to one reactor: commands, flush requests and sockets handed over by the accepting reactor, and the
 * wake-up of its selector (docs/ARCHITECTURE.md, "Threads", rule 2). Other threads post to lock-free queues and wake
 * the selector at most once per pass however many post: {@link #awake} is true while the loop runs. Work posted from
 * the reactor thread itself (a future's stage) goes to local queues and needs no wake-up. One per reactor; the
 * queues are drained on the reactor thread.
 */
final class ReactorInbox {
    /** The most commands or flushes taken in one drain, so that a flood of posts cannot hold the loop forever. */
    private static final int MAX_PER_DRAIN = 100_000;

    private final Selector selector;
    /** Sockets the accepting reactor handed over, to be registered by this one; closed if it has ended. */
    private final ConcurrentLinkedQueue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Connection> flushRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> localCommands = new ArrayDeque<>();
    private final ArrayDeque<Connection> localFlushes = new ArrayDeque<>();
    private final AtomicBoolean awake = new AtomicBoolean(true);

    ReactorInbox(Selector selector) {
        this.selector = selector;
    }

    /** Queues a command; {@code local} when posted on the reactor thread (no wake-up). */
    void execute(Runnable command, boolean local) {
        if (local) {
            localCommands.add(command);
        } else {
            commands.add(command);
            wakeUp();
        }
    }

    /** Queues a flush of {@code connection}; {@code local} when posted on the reactor thread (no wake-up). */
    void requestFlush(Connection connection, boolean local) {
        if (local) {
            localFlushes.add(connection);
        } else {
            flushRequests.add(connection);
            wakeUp();
        }
    }

    /** Queues flushes of many connections; on the reactor thread (from a command). */
    void requestFlushesHere(Connection[] batch, int count) {
        for (int i = 0; i < count; i++) {
            localFlushes.add(batch[i]);
        }
    }

    /** Queues a socket handed over by the accepting reactor. Any thread. */
    void handOver(SocketChannel channel) {
        handedOver.add(channel);
        wakeUp();
    }

    /** Closes the sockets handed over and not registered (the reactor ended). Any thread. */
    void closeHandedOver() {
        SocketChannel channel;
        while ((channel = handedOver.poll()) != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing what nobody will serve.
            }
        }
    }

    /** Whether anything is queued, so the next select must not block. */
    boolean hasWork() {
        return !commands.isEmpty() || !flushRequests.isEmpty() || !localCommands.isEmpty()
                || !localFlushes.isEmpty() || !handedOver.isEmpty();
    }

    /** Registers the sockets handed over with {@code register}, then runs the commands queued. Reactor thread. */
    void runCommands(Consumer<SocketChannel> register) {
        SocketChannel channel;
        while ((channel = handedOver.poll()) != null) {
            register.accept(channel);
        }
        for (int i = 0; i < MAX_PER_DRAIN; i++) {
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

    /** Flushes the connections asked for, running the commands that flushing posts. Reactor thread. */
    void flushRequested(Consumer<SocketChannel> register) {
        for (int i = 0; i < MAX_PER_DRAIN; i++) {
            Connection connection = localFlushes.poll();
            if (connection == null) {
                connection = flushRequests.poll();
                if (connection == null) {
                    runCommands(register);
                    if (localFlushes.isEmpty() && flushRequests.isEmpty()) {
                        return;
                    }
                    continue;
                }
            }
            connection.outbound.clearFlushScheduled();
            if (!connection.writeBlocked || connection.state() == ConnectionState.CLOSED) {
                connection.flush();
            }
        }
    }

    /** The loop is about to select: posts from now on must wake it. */
    void goingToSleep() {
        awake.set(false);
    }

    /** The loop runs (it will not block, or the select returned): posts need not wake it. */
    void awake() {
        awake.lazySet(true);
    }

    /** Whether the reactor waits in the selector (or is about to), so that work posted now costs a wake-up. */
    boolean isAsleep() {
        return !awake.get();
    }

    private void wakeUp() {
        if (!awake.get() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }
}
