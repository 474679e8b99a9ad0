package io.wsreactor.examples;

import io.wsreactor.ServerOptions;
import io.wsreactor.TlsContexts;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo server: accepts forever and writes back every data frame as it was read (fragments stay fragments).
 *
 * <pre>
 * java io.wsreactor.examples.EchoServer [--host 127.0.0.1] [--port 8080] [--max-message BYTES]
 *                                       [--mode threads|virtual|async]
 *                                       [--tls-cert fullchain.pem --tls-key key.pem]
 * </pre>
 *
 * <p>With {@code --tls-cert} and {@code --tls-key} (a PEM certificate chain and its PKCS#8, RSA or EC private key) it
 * serves {@code wss://} instead of {@code ws://}.
 *
 * <p>Modes: {@code threads} serves each peer on its own platform thread with the blocking API; {@code virtual} does
 * the same on a virtual thread (the default on JVMs that have them, found by reflection since this compiles for
 * Java 17); {@code async} uses no thread per peer: the echo is built from {@code readAsync} and {@code writeAsync}
 * and runs on the reactor thread. Ctrl-C closes the server and shuts every peer down with 1001.
 *
 * <p>Tests start it in-process with {@link #start} and stop it with {@link #close()}.
 */
public final class EchoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EchoServer.class);
    /** Async mode: writes allowed in flight before the echo waits for the socket to catch up. */
    private static final int ASYNC_WRITES_IN_FLIGHT = 64;

    /** How peers are served. */
    public enum Mode {
        /** One platform thread per peer, blocking read and write. */
        THREADS,
        /** One virtual thread per peer, blocking read and write (JDK 21+). */
        VIRTUAL,
        /** No thread per peer: readAsync and writeAsync on the reactor thread. */
        ASYNC;

        /** VIRTUAL when this JVM has virtual threads, else THREADS. */
        public static Mode defaultMode() {
            return virtualThreadExecutor() != null ? VIRTUAL : THREADS;
        }
    }

    private final WsServer server;
    private final Mode mode;
    private final ExecutorService peerThreads;
    private final Thread acceptor;

    private EchoServer(WsServer server, Mode mode, ExecutorService peerThreads) {
        this.server = server;
        this.mode = mode;
        this.peerThreads = peerThreads;
        this.acceptor = new Thread(this::acceptForever, "echo-acceptor");
    }

    /**
     * Starts an echo server.
     *
     * @param host the address to bind, e.g. 127.0.0.1
     * @param port the port; 0 picks a free one (see {@link #port()})
     * @param mode how peers are served
     * @param maxMessage the largest frame and message accepted, in bytes
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code mode} is VIRTUAL on a JVM without virtual threads
     */
    public static EchoServer start(String host, int port, Mode mode, int maxMessage) throws IOException {
        return start(host, port, mode, maxMessage, null);
    }

    /**
     * Starts an echo server, serving {@code wss://} when {@code tls} is not null.
     *
     * @param tls the TLS context (see {@link TlsContexts}), or null for plain {@code ws://}
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code mode} is VIRTUAL on a JVM without virtual threads
     */
    public static EchoServer start(String host, int port, Mode mode, int maxMessage, SSLContext tls)
            throws IOException {
        ServerOptions options = ServerOptions.builder()
                .tls(tls)
                .maxFramePayload(maxMessage)
                .maxMessageSize(maxMessage)
                .inboundQueueBytes(Math.max(maxMessage, 1 << 20))
                .outboundHighWaterMark(Math.max(maxMessage, 1 << 20))
                .outboundHardLimit(Math.max(4L * maxMessage, 16 << 20))
                .build();
        ExecutorService threads = switch (mode) {
            case THREADS -> Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "echo-peer");
                thread.setDaemon(true);
                return thread;
            });
            case VIRTUAL -> {
                ExecutorService virtual = virtualThreadExecutor();
                if (virtual == null) {
                    throw new IllegalArgumentException("this JVM (" + Runtime.version() + ") has no virtual threads");
                }
                yield virtual;
            }
            case ASYNC -> null;
        };
        WsServer server = WsServer.create(host, port, options);
        server.listen();
        EchoServer echo = new EchoServer(server, mode, threads);
        echo.acceptor.setDaemon(true);
        echo.acceptor.start();
        LOG.info("echo server listening on {}://{}:{}/ (mode {}, max message {} bytes)",
                tls == null ? "ws" : "wss", host, server.localAddress().getPort(), mode.name().toLowerCase(Locale.ROOT), maxMessage);
        return echo;
    }

    /** The port the server listens on. */
    public int port() {
        return server.localAddress().getPort();
    }

    /** The underlying server (for its stats, say). */
    public WsServer server() {
        return server;
    }

    /** The mode peers are served in. */
    public Mode mode() {
        return mode;
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
            WsPeer peer;
            while ((peer = server.accept()) != null) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("accepted {} {}", peer.remoteAddress(), peer.request().target());
                }
                WsPeer accepted = peer;
                if (peerThreads == null) {
                    new AsyncEcho(accepted).pump();
                } else {
                    peerThreads.execute(() -> echoBlocking(accepted));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the accept loop failed", e);
        }
    }

    private static void echoBlocking(WsPeer peer) {
        try {
            Frame frame;
            while ((frame = peer.read()) != null) {
                if (!peer.write(frame)) {
                    break;
                }
            }
            LOG.debug("peer {} ended: {}", peer.remoteAddress(), peer.closeStatus());
        } catch (InterruptedException e) {
            peer.close();
        } catch (RuntimeException e) {
            LOG.error("echo to {} failed", peer.remoteAddress(), e);
            peer.close();
        }
    }

    /**
     * The future-only echo. Frames already queued are echoed in a loop; when none is, the loop resumes from the read
     * future's stage (on the reactor thread). After every {@value #ASYNC_WRITES_IN_FLIGHT} writes whose futures are
     * still pending it waits for the last one, so a client that does not read slows its own echo down.
     */
    private static final class AsyncEcho {
        private final WsPeer peer;
        private int writesSinceDone;

        AsyncEcho(WsPeer peer) {
            this.peer = peer;
        }

        void pump() {
            while (true) {
                CompletableFuture<Frame> next = peer.readAsync();
                if (!next.isDone()) {
                    next.whenComplete((frame, error) -> {
                        if (error == null && echo(frame)) {
                            pump();
                        }
                    });
                    return;
                }
                if (!echo(next.join())) {
                    return;
                }
            }
        }

        /** @return true to read on now; false when ended or when waiting for a write (which resumes the pump) */
        private boolean echo(Frame frame) {
            if (frame == null) {
                return false;
            }
            CompletableFuture<Void> written;
            try {
                written = peer.writeAsync(frame);
            } catch (RuntimeException e) {
                LOG.error("echo to {} failed", peer.remoteAddress(), e);
                peer.close();
                return false;
            }
            if (written.isDone()) {
                writesSinceDone = 0;
                return !written.isCompletedExceptionally();
            }
            if (++writesSinceDone < ASYNC_WRITES_IN_FLIGHT) {
                return true;
            }
            writesSinceDone = 0;
            written.whenComplete((ok, error) -> {
                if (error == null) {
                    pump();
                }
            });
            return false;
        }
    }

    /** Executors.newVirtualThreadPerTaskExecutor() when this JVM has it, else null. */
    static ExecutorService virtualThreadExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs the echo server until Ctrl-C.
     *
     * @param args {@code --host}, {@code --port}, {@code --max-message}, {@code --mode}, {@code --tls-cert},
     *     {@code --tls-key}
     */
    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8080;
        int maxMessage = 1 << 20;
        Mode mode = Mode.defaultMode();
        Path tlsCert = null;
        Path tlsKey = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println("usage: echo-server [--host 127.0.0.1] [--port 8080] [--max-message 1048576]"
                        + " [--mode threads|virtual|async] [--tls-cert FILE --tls-key FILE]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--max-message" -> maxMessage = Integer.parseInt(value);
                case "--mode" -> mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                case "--tls-cert" -> tlsCert = Path.of(value);
                case "--tls-key" -> tlsKey = Path.of(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag + " (try --help)");
            }
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        SSLContext tls = tlsCert == null ? null : TlsContexts.fromPem(tlsCert, tlsKey);
        EchoServer echo = start(host, port, mode, maxMessage, tls);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: closing peers with 1001");
            echo.close();
            LOG.info("stopped");
        }, "echo-shutdown"));
    }
}
