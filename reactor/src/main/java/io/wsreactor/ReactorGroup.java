package io.wsreactor;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reactors of one listening server (docs/ARCHITECTURE.md, "Several reactors"): the first owns the listening
 * socket and hands each accepted socket to the next reactor in turn; from then on the socket's reactor owns it for
 * its whole life. What the reactors share is what the server promises as one: the accept queue, the memory budget,
 * the count of open WebSockets against {@link ServerOptions#maxConnections()}; their counters are summed when read.
 *
 * <p>With one reactor this is a thin wrapper: the acceptor registers its sockets itself, as before.
 */
final class ReactorGroup {
    private final Reactor[] reactors;
    private final InetSocketAddress localAddress;
    /** The open WebSockets of all reactors, against {@link ServerOptions#maxConnections()}. */
    final AtomicInteger webSockets = new AtomicInteger();
    /** The reactor the next accepted socket goes to; touched by the accepting reactor's thread only. */
    private int next;
    /** Reactors whose thread has not ended yet. */
    private final AtomicInteger running;

    private ReactorGroup(WsServer server, ServerSocketChannel listener, AcceptQueue acceptQueue) throws IOException {
        localAddress = (InetSocketAddress) listener.getLocalAddress();
        int count = server.options().reactors();
        reactors = new Reactor[count];
        running = new AtomicInteger(count);
        try {
            for (int i = 0; i < count; i++) {
                reactors[i] = new Reactor(server, this, i == 0 ? listener : null, acceptQueue);
            }
        } catch (IOException | RuntimeException e) {
            for (Reactor created : reactors) {
                if (created != null) {
                    created.discard();
                }
            }
            throw e;
        }
    }

    /**
     * Binds {@code host:port} and makes the reactors (not started).
     *
     * @throws IOException if the address cannot be bound; the message names it
     * @throws UnsupportedOperationException if {@link ServerOptions#reusePort()} is asked where SO_REUSEPORT is not
     */
    static ReactorGroup bind(WsServer server, String host, int port, AcceptQueue acceptQueue) throws IOException {
        ServerOptions options = server.options();
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (options.reusePort()) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("reusePort(true): SO_REUSEPORT is not supported on "
                            + System.getProperty("os.name") + " by this JDK");
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            try {
                channel.bind(new InetSocketAddress(host, port), options.backlog());
            } catch (BindException e) {
                String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")
                        ? "already in use" : "cannot be bound: " + e.getMessage();
                throw new IOException(host + ":" + port + " " + why, e);
            }
            return new ReactorGroup(server, channel, acceptQueue);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The bound address (the real port when bound to port 0). */
    InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Starts the reactor threads, named {@code wsreactor-PORT} (and {@code -1}, {@code -2}... after the first). */
    void start(String name) {
        for (int i = 0; i < reactors.length; i++) {
            reactors[i].start(i == 0 ? name : name + "-" + i);
        }
    }

    /** Hands an accepted socket to the next reactor in turn that still runs. The accepting reactor's thread. */
    void assign(SocketChannel channel) {
        for (int tries = 0; tries < reactors.length; tries++) {
            Reactor reactor = reactors[next];
            next = next + 1 == reactors.length ? 0 : next + 1;
            if (!reactor.terminated.isDone()) {
                reactor.adopt(channel);
                return;
            }
        }
        reactors[0].adopt(channel); // every other reactor failed: the accepting one serves it
    }

    /** The application took a peer while upgrades wait for room: each reactor with waiting upgrades admits them. */
    void onRoomInAcceptQueue() {
        for (Reactor reactor : reactors) {
            if (reactor.waitingUpgrades.any()) {
                reactor.execute(reactor.waitingUpgrades::admit);
            }
        }
    }

    /** The counters of every reactor, summed. */
    ServerStats stats(MemoryBudget budget) {
        StatsRecorder[] parts = new StatsRecorder[reactors.length];
        for (int i = 0; i < reactors.length; i++) {
            parts[i] = reactors[i].stats;
        }
        return StatsRecorder.snapshot(parts, budget);
    }

    /** Whether the calling thread is one of the reactors (which must never wait for the others). */
    boolean isReactorThread() {
        for (Reactor reactor : reactors) {
            if (reactor.isReactorThread()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every reactor stops listening (the port is free once the first has run it); waits up to 5 seconds for them to
     * confirm, unless called from a reactor thread.
     */
    void stopListening() {
        List<CompletableFuture<?>> confirmations = new ArrayList<>();
        for (Reactor reactor : reactors) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            reactor.execute(() -> {
                reactor.shutdown.stopListening();
                done.complete(null);
            });
            confirmations.add(CompletableFuture.anyOf(done, reactor.terminated));
        }
        if (isReactorThread()) {
            return;
        }
        try {
            CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            Connection.LOG.log(System.Logger.Level.WARNING, "the reactors did not confirm the close in time", e);
        }
    }

    /** Graceful shutdown of every reactor; the future completes when all of them have ended. */
    CompletableFuture<Void> shutdown(long timeoutNanos) {
        CompletableFuture<?>[] ended = new CompletableFuture<?>[reactors.length];
        for (int i = 0; i < reactors.length; i++) {
            Reactor reactor = reactors[i];
            CompletableFuture<Void> done = new CompletableFuture<>();
            // The reactor may end by itself (after close(), once its last peer is gone) before it runs the command:
            // then everything is closed already, which is what shutdown promises.
            reactor.terminated.whenComplete((ignored, error) -> done.complete(null));
            reactor.execute(() -> reactor.shutdown.begin(timeoutNanos, done));
            ended[i] = done;
        }
        return CompletableFuture.allOf(ended);
    }

    /** A reactor's thread is ending (called once by each). @return whether it is the last one */
    boolean reactorEnded() {
        return running.decrementAndGet() == 0;
    }

    /** Whether every reactor thread has ended. */
    boolean allEnded() {
        for (Reactor reactor : reactors) {
            if (!reactor.terminated.isDone()) {
                return false;
            }
        }
        return true;
    }
}
