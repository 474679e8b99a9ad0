package io.wsreactor.examples;

import io.wsreactor.HttpHandler;
import io.wsreactor.ProxyProtocol;
import io.wsreactor.ServerOptions;
import io.wsreactor.TlsContexts;
import io.wsreactor.WaitStrategy;
import io.wsreactor.WriteResult;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import javax.net.ssl.SSLContext;
import org.slf4j.LoggerFactory;

/**
 * An echo server: accepts forever and writes back every data frame as it was read (fragments stay fragments).
 *
 * <pre>
 * java io.wsreactor.examples.EchoServer [--host 127.0.0.1] [--port 8080] [--max-message BYTES]
 *                                       [--mode threads|virtual|async] [--health-path /healthz]
 *                                       [--proxy-protocol off|optional|required]
 *                                       [--tls-cert fullchain.pem --tls-key key.pem]
 *                                       [--wait-strategy park|spin-park|spin] [--help]
 * </pre>
 *
 * <p>{@code --health-path} answers {@code GET} and {@code HEAD} of that path with 200 (a load balancer's probe);
 * {@code --proxy-protocol} reads the PROXY protocol header a layer-4 proxy sends first ({@code required} when only the
 * proxy can reach the port); with {@code --tls-cert} and {@code --tls-key} (a PEM certificate chain and its PKCS#8,
 * RSA or EC private key) it serves {@code wss://} instead of {@code ws://}.
 *
 * <p>Modes: {@code threads} serves each peer on its own platform thread with the blocking API; {@code virtual} does
 * the same on a virtual thread (the default on JVMs that have them, found by reflection since this compiles for
 * Java 17); {@code async} uses no thread per peer: the echo is built from {@code readAsync} and {@code writeAsync}
 * and runs on the reactor thread. {@code --wait-strategy} sets how the blocking modes' threads wait for frames
 * ({@link WaitStrategy}; {@code spin} costs a core per peer thread). Ctrl-C closes the server and shuts every peer down with 1001.
 *
 * <p>Tests start it in-process with {@link #start} and stop it with {@link #close()}.
 */
public final class EchoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EchoServer.class);

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
        return start(host, port, mode, maxMessage, ProxyProtocol.OFF, null, null);
    }

    /**
     * Starts an echo server behind a proxy or a health-probing load balancer.
     *
     * @param host the address to bind, e.g. 127.0.0.1
     * @param port the port; 0 picks a free one (see {@link #port()})
     * @param mode how peers are served
     * @param maxMessage the largest frame and message accepted, in bytes
     * @param proxyProtocol whether connections start with a PROXY protocol header
     * @param healthPath the path answered 200 to {@code GET} and {@code HEAD}, e.g. {@code /healthz}; null for none
     * @param tls the TLS context to serve {@code wss://} with (see {@link TlsContexts}), or null for plain {@code ws://}
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code mode} is VIRTUAL on a JVM without virtual threads, or the health path
     *     does not start with {@code /}
     */
    public static EchoServer start(String host, int port, Mode mode, int maxMessage, ProxyProtocol proxyProtocol,
            String healthPath, SSLContext tls) throws IOException {
        return start(host, port, mode, maxMessage, proxyProtocol, healthPath, tls, 1, false, WaitStrategy.PARK);
    }

    /**
     * Starts an echo server on several reactor threads, optionally sharing its port with other processes.
     *
     * @param host the address to bind, e.g. 127.0.0.1
     * @param port the port; 0 picks a free one (see {@link #port()})
     * @param mode how peers are served
     * @param maxMessage the largest frame and message accepted, in bytes
     * @param proxyProtocol whether connections start with a PROXY protocol header
     * @param healthPath the path answered 200 to {@code GET} and {@code HEAD}, e.g. {@code /healthz}; null for none
     * @param tls the TLS context to serve {@code wss://} with (see {@link TlsContexts}), or null for plain
     *     {@code ws://}
     * @param reactors the reactor threads ({@link ServerOptions#reactors()})
     * @param reusePort whether to set SO_REUSEPORT ({@link ServerOptions#reusePort()})
     * @param waitStrategy how peers' threads wait for frames and the accept thread for peers (threads and virtual
     *     modes; the async mode never waits)
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code mode} is VIRTUAL on a JVM without virtual threads, the health path
     *     does not start with {@code /}, or {@code reactors} is out of range
     * @throws UnsupportedOperationException if {@code reusePort} is asked where SO_REUSEPORT is not supported
     */
    public static EchoServer start(String host, int port, Mode mode, int maxMessage, ProxyProtocol proxyProtocol,
            String healthPath, SSLContext tls, int reactors, boolean reusePort, WaitStrategy waitStrategy)
            throws IOException {
        HttpHandler health = healthPath == null ? null : HttpHandler.healthCheck(healthPath);
        ServerOptions options = ServerOptions.builder()
                .tls(tls)
                .proxyProtocol(proxyProtocol)
                .maxFramePayload(maxMessage)
                .maxMessageSize(maxMessage)
                .inboundQueueBytes(Math.max(maxMessage, 1 << 20))
                .outboundHighWaterMark(Math.max(maxMessage, 1 << 20))
                .outboundHardLimit(Math.max(4L * maxMessage, 16 << 20))
                .reactors(reactors)
                .reusePort(reusePort)
                .waitStrategy(waitStrategy)
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
        server.setHttpHandler(health);
        server.listen();
        EchoServer echo = new EchoServer(server, mode, threads);
        echo.acceptor.setDaemon(true);
        echo.acceptor.start();
        LOG.info("echo server listening on {}://{}:{}/ (mode {}, wait strategy {}, max message {} bytes, {} reactor{}{})",
                tls == null ? "ws" : "wss", host, server.localAddress().getPort(), mode.name().toLowerCase(Locale.ROOT),
                waitStrategy.name().toLowerCase(Locale.ROOT).replace('_', '-'), maxMessage, reactors,
                reactors == 1 ? "" : "s", reusePort ? ", SO_REUSEPORT" : "");
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
                WriteResult result = peer.write(frame);
                if (result == WriteResult.CLOSED) {
                    break; // closing: the reactor finishes the close handshake
                }
                if (!result.isAccepted()) {
                    peer.close(); // refused by the slow-consumer policy: let the peer go rather than abandon it
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
     * The future-only echo, paced by the peer's writability. While the peer is writable, frames already queued are
     * echoed in a loop; when none is, the loop resumes from the read future's stage (on the reactor thread); when the
     * client reads slower than it sends, the peer stops being writable and the loop resumes from
     * {@link WsPeer#whenWritable()}. So a slow client holds at most the high-water mark plus one message, its echo
     * never stalls, and a write the server refuses closes the peer rather than leaving it unserved.
     */
    private static final class AsyncEcho implements BiConsumer<Frame, Throwable> {
        private final WsPeer peer;

        AsyncEcho(WsPeer peer) {
            this.peer = peer;
        }

        void pump() {
            while (true) {
                if (!peer.isWritable()) {
                    peer.whenWritable().thenRun(this::pump);
                    return;
                }
                CompletableFuture<Frame> next = peer.readAsync();
                if (!next.isDone()) {
                    next.whenComplete(this); // the echo itself is the callback: a waiting peer costs no lambda
                    return;
                }
                if (!echo(next.join())) {
                    return;
                }
            }
        }

        /** The frame a waiting read was completed with (on the reactor thread): echo it and read on. */
        @Override
        public void accept(Frame frame, Throwable error) {
            if (error == null && echo(frame)) {
                pump();
            }
        }

        /** @return true to read on; false when the stream ended or the peer was let go */
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
            // Refused (closing, or the policy): fails at once. A later failure means the peer is closing anyway.
            if (written.isCompletedExceptionally()) {
                peer.close();
                return false;
            }
            return true;
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
     * The command line of {@link #main}, parsed.
     *
     * @param host the address to bind
     * @param port the port; 0 picks a free one
     * @param maxMessage the largest frame and message accepted, in bytes
     * @param mode how peers are served
     * @param healthPath the path answered 200 for health probes, or null
     * @param proxyProtocol whether a PROXY protocol header comes first
     * @param tlsCert the PEM certificate chain to serve {@code wss://} with, or null
     * @param tlsKey its private key (PEM), or null
     * @param reactors the reactor threads
     * @param reusePort whether SO_REUSEPORT is set, so other processes can share the port
     * @param waitStrategy how blocking calls wait (threads and virtual modes)
     */
    record Settings(String host, int port, int maxMessage, Mode mode, String healthPath,
            ProxyProtocol proxyProtocol, Path tlsCert, Path tlsKey, int reactors, boolean reusePort,
            WaitStrategy waitStrategy) {
        /** Declares the flags (one line each) and reads them; mistakes are left in {@code cli} for its finish. */
        static Settings read(CommandLine cli) {
            String host = cli.string("--host", "127.0.0.1", "address to listen on");
            int port = cli.integer("--port", 8080, 0, 65535, "port to listen on; 0 picks a free one");
            int maxMessage = cli.integer("--max-message", 1 << 20, 1, Integer.MAX_VALUE, "largest message, bytes");
            Mode mode = cli.choice("--mode", Mode.defaultMode(), "how peers are served (virtual: JDK 21+)");
            String healthPath = cli.string("--health-path", null, "answer GET/HEAD of this path with 200");
            ProxyProtocol proxyProtocol = cli.choice("--proxy-protocol", ProxyProtocol.OFF,
                    "a PROXY protocol header comes first (behind a layer-4 proxy)");
            Path tlsCert = file(cli, "--tls-cert", "PEM certificate chain: serve wss://");
            Path tlsKey = file(cli, "--tls-key", "PEM private key of --tls-cert");
            int reactors = cli.integer("--reactors", 1, 1, ServerOptions.MAX_REACTORS,
                    "reactor threads serving the connections (about one per core)");
            boolean reusePort = cli.toggle("--reuse-port", "set SO_REUSEPORT: other processes may share the port");
            WaitStrategy waitStrategy = cli.choice("--wait-strategy", WaitStrategy.PARK,
                    "how blocking reads wait: spin only with a core per peer thread (see the README)");
            if ((tlsCert == null) != (tlsKey == null)) {
                cli.reject(tlsCert == null ? "--tls-cert" : "--tls-key", "--tls-cert and --tls-key go together", null);
            }
            if (new InetSocketAddress(host, 0).isUnresolved()) {
                cli.reject("--host", "cannot resolve \"" + host + "\"", null);
            }
            if (mode == Mode.VIRTUAL && waitStrategy == WaitStrategy.SPIN) {
                cli.reject("--wait-strategy", "spin would hold a virtual thread's carrier; use spin-park", null);
            }
            if (mode == Mode.VIRTUAL && Mode.defaultMode() != Mode.VIRTUAL) {
                cli.reject("--mode", "virtual needs virtual threads (JDK 21+), this JVM is " + Runtime.version(), null);
            }
            return new Settings(host, port, maxMessage, mode, healthPath, proxyProtocol, tlsCert, tlsKey, reactors,
                    reusePort, waitStrategy);
        }

        private static Path file(CommandLine cli, String flag, String help) {
            String name = cli.string(flag, null, help);
            if (name == null) {
                return null;
            }
            Path path = Path.of(name);
            return Files.isReadable(path) ? path : cli.reject(flag, "cannot read \"" + name + "\"", null);
        }
    }

    /**
     * Runs the echo server until Ctrl-C. A bad flag prints one line naming it and the usage, exit status 2; an
     * address that cannot be bound prints one line, exit status 1.
     *
     * @param args {@code --host}, {@code --port}, {@code --max-message}, {@code --mode}, {@code --health-path},
     *     {@code --proxy-protocol}, {@code --tls-cert}, {@code --tls-key}, {@code --reactors}, {@code --reuse-port},
     *     {@code --wait-strategy}; {@code --help} lists them
     */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine("echo-server", args);
        Settings settings = Settings.read(cli);
        cli.finishOrExit();
        SSLContext tls = null;
        if (settings.tlsCert() != null) {
            try {
                tls = TlsContexts.fromPem(settings.tlsCert(), settings.tlsKey());
            } catch (IOException | GeneralSecurityException e) {
                System.err.println("echo-server: --tls-cert/--tls-key: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        EchoServer echo;
        try {
            echo = start(settings.host(), settings.port(), settings.mode(), settings.maxMessage(),
                    settings.proxyProtocol(), settings.healthPath(), tls, settings.reactors(), settings.reusePort(),
                    settings.waitStrategy());
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("echo-server: cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: closing peers with 1001");
            echo.close();
            LOG.info("stopped");
        }, "echo-shutdown"));
    }
}
