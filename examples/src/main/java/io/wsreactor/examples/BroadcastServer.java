package io.wsreactor.examples;

import io.wsreactor.PublishResult;
import io.wsreactor.ServerOptions;
import io.wsreactor.SlowConsumerPolicy;
import io.wsreactor.Topic;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.examples.EchoServer.Mode;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broadcast server: every data message any peer sends is published whole to every connected peer, the sender
 * included, through one topic.
 *
 * <pre>
 * java io.wsreactor.examples.BroadcastServer [--host 127.0.0.1] [--port 8080] [--max-message BYTES]
 *                                            [--mode threads|virtual|async] [--help]
 * </pre>
 *
 * <p>Each message is encoded once and queued for every peer as a small node; a peer that does not keep up meets the
 * DROP policy past its high-water mark (whole messages are dropped for it alone), so one slow reader never holds the
 * others back. Modes as {@link EchoServer}'s: a platform or virtual thread per peer reading whole messages, or no
 * thread per peer ({@code readAsync}, fragments joined as they come). Ctrl-C shuts every peer down with 1001.
 *
 * <p>Tests start it in-process with {@link #start} and stop it with {@link #close()}.
 */
public final class BroadcastServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastServer.class);

    private final WsServer server;
    private final Topic everyone;
    private final ExecutorService peerThreads;
    private final int maxMessage;
    private final Thread acceptor;

    private BroadcastServer(WsServer server, ExecutorService peerThreads, int maxMessage) {
        this.server = server;
        this.everyone = server.topic("everyone");
        this.peerThreads = peerThreads;
        this.maxMessage = maxMessage;
        this.acceptor = new Thread(this::acceptForever, "broadcast-acceptor");
    }

    /**
     * Starts a broadcast server.
     *
     * @param host the address to bind, e.g. 127.0.0.1
     * @param port the port; 0 picks a free one (see {@link #port()})
     * @param mode how peers are read
     * @param maxMessage the largest frame and message accepted, in bytes
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code mode} is VIRTUAL on a JVM without virtual threads
     */
    public static BroadcastServer start(String host, int port, Mode mode, int maxMessage) throws IOException {
        ServerOptions options = ServerOptions.builder()
                .maxFramePayload(maxMessage)
                .maxMessageSize(maxMessage)
                .inboundQueueBytes(Math.max(maxMessage, 1 << 20))
                .outboundHighWaterMark(Math.max(maxMessage, 1 << 20))
                .outboundHardLimit(Math.max(4L * maxMessage, 16 << 20))
                .slowConsumerPolicy(SlowConsumerPolicy.DROP)
                .build();
        ExecutorService threads = switch (mode) {
            case THREADS -> Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "broadcast-peer");
                thread.setDaemon(true);
                return thread;
            });
            case VIRTUAL -> {
                ExecutorService virtual = EchoServer.virtualThreadExecutor();
                if (virtual == null) {
                    throw new IllegalArgumentException("this JVM (" + Runtime.version() + ") has no virtual threads");
                }
                yield virtual;
            }
            case ASYNC -> null;
        };
        WsServer server = WsServer.create(host, port, options);
        server.listen();
        BroadcastServer broadcast = new BroadcastServer(server, threads, maxMessage);
        broadcast.acceptor.setDaemon(true);
        broadcast.acceptor.start();
        LOG.info("broadcast server listening on ws://{}:{}/ (mode {}, max message {} bytes)", host,
                server.localAddress().getPort(), mode.name().toLowerCase(Locale.ROOT), maxMessage);
        return broadcast;
    }

    /** The port the server listens on. */
    public int port() {
        return server.localAddress().getPort();
    }

    /** The underlying server (for its stats, say). */
    public WsServer server() {
        return server;
    }

    /** The topic every peer is subscribed to. */
    public Topic topic() {
        return everyone;
    }

    /** Closes the server and shuts every peer down with 1001, waiting at most five seconds. */
    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        if (peerThreads != null) {
            peerThreads.shutdownNow();
        }
    }

    private void acceptForever() {
        try {
            for (WsPeer peer; (peer = server.accept()) != null; ) {
                everyone.subscribe(peer); // a closed peer leaves the topic by itself
                WsPeer accepted = peer;
                if (peerThreads == null) {
                    new AsyncReader(accepted).next();
                } else {
                    peerThreads.execute(() -> readBlocking(accepted));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the accept loop failed", e);
        }
    }

    private void readBlocking(WsPeer peer) {
        try {
            for (Frame message; (message = peer.readMessage(Duration.ofDays(365))) != null; ) {
                publish(message);
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            peer.close();
        } catch (RuntimeException e) {
            LOG.error("reading {} failed", peer.remoteAddress(), e);
            peer.close();
        }
    }

    private void publish(Frame message) {
        PublishResult result = everyone.publish(message);
        if (result.dropped() + result.refused() > 0) {
            LOG.debug("published to {} of {} peers: {}", result.queued(), result.recipients(), result);
        }
    }

    /**
     * Reads one peer with futures only, on the reactor thread: fragments are joined into the message they make (the
     * server bounds their total by {@code --max-message}), and each whole message is published.
     */
    private final class AsyncReader {
        private final WsPeer peer;
        private ByteArrayOutputStream fragments;
        private Opcode fragmentedOpcode;

        AsyncReader(WsPeer peer) {
            this.peer = peer;
        }

        void next() {
            while (true) {
                CompletableFuture<Frame> read = peer.readAsync();
                if (!read.isDone()) {
                    read.whenComplete((frame, error) -> {
                        if (error == null && take(frame)) {
                            next();
                        }
                    });
                    return;
                }
                if (!take(read.join())) {
                    return;
                }
            }
        }

        /** @return true to read on; false at the end of the stream */
        private boolean take(Frame frame) {
            if (frame == null) {
                return false;
            }
            if (frame.opcode() != Opcode.CONTINUATION && frame.fin()) {
                publish(frame);
                return true;
            }
            if (frame.opcode() != Opcode.CONTINUATION) {
                fragmentedOpcode = frame.opcode();
                fragments = new ByteArrayOutputStream(Math.min(maxMessage, 2 * frame.length()));
            }
            fragments.write(frame.payload(), 0, frame.length());
            if (frame.fin()) {
                publish(new Frame(fragmentedOpcode, true, fragments.toByteArray()));
                fragments = null;
            }
            return true;
        }
    }

    /**
     * Runs the broadcast server until Ctrl-C. A bad flag prints one line naming it and the usage, exit status 2; an
     * address that cannot be bound prints one line, exit status 1.
     *
     * @param args {@code --host}, {@code --port}, {@code --max-message}, {@code --mode}; {@code --help} lists them
     */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine("broadcast-server", args);
        String host = cli.string("--host", "127.0.0.1", "address to listen on");
        int port = cli.integer("--port", 8080, 0, 65535, "port to listen on; 0 picks a free one");
        int maxMessage = cli.integer("--max-message", 1 << 20, 1, Integer.MAX_VALUE, "largest message, bytes");
        Mode mode = cli.choice("--mode", Mode.defaultMode(), "how peers are read (virtual: JDK 21+)");
        if (new InetSocketAddress(host, 0).isUnresolved()) {
            cli.reject("--host", "cannot resolve \"" + host + "\"", null);
        }
        if (mode == Mode.VIRTUAL && Mode.defaultMode() != Mode.VIRTUAL) {
            cli.reject("--mode", "virtual needs virtual threads (JDK 21+), this JVM is " + Runtime.version(), null);
        }
        cli.finishOrExit();
        BroadcastServer broadcast;
        try {
            broadcast = start(host, port, mode, maxMessage);
        } catch (IOException e) {
            System.err.println("broadcast-server: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: closing peers with 1001");
            broadcast.close();
            LOG.info("stopped");
        }, "broadcast-shutdown"));
    }
}
