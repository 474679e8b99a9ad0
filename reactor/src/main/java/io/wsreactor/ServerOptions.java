package io.wsreactor;

import static io.wsreactor.OptionChecks.atLeast;
import static io.wsreactor.OptionChecks.notNegative;
import static io.wsreactor.OptionChecks.positive;

import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeParser;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The server's limits and settings: immutable, built with {@link #builder()}, every value checked when set.
 *
 * <p>The defaults suit a public-facing server; the README lists them in one table. Instances are safe
 * to share between threads.
 */
public final class ServerOptions {
    /** The default of {@link #backlog()}. */
    public static final int DEFAULT_BACKLOG = 1024;
    /** The default of {@link #maxFramePayload()}: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 1 << 20;
    /** The default of {@link #maxMessageSize()}: 1 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    /** The default of {@link #maxFragments()}. */
    public static final int DEFAULT_MAX_FRAGMENTS = 1024;
    /** The default of {@link #handshakeTimeout()}: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The default of {@link #maxHandshakeBytes()}: 8 KiB. */
    public static final int DEFAULT_MAX_HANDSHAKE_BYTES = HandshakeParser.DEFAULT_MAX_BYTES;
    /** The default of {@link #maxHandshakeHeaders()}. */
    public static final int DEFAULT_MAX_HANDSHAKE_HEADERS = HandshakeParser.DEFAULT_MAX_HEADERS;
    /** The default of {@link #acceptTimeout()}: 30 s. */
    public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(30);
    /** The default of {@link #closeTimeout()}: 5 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The default of {@link #inboundQueueBytes()}: 1 MiB. */
    public static final long DEFAULT_INBOUND_QUEUE_BYTES = 1 << 20;
    /** The default of {@link #inboundQueueFrames()}. */
    public static final int DEFAULT_INBOUND_QUEUE_FRAMES = 1024;
    /** The default of {@link #outboundHighWaterMark()}: 1 MiB. */
    public static final long DEFAULT_OUTBOUND_HIGH_WATER_MARK = 1 << 20;
    /** The default of {@link #outboundHardLimit()}: 16 MiB. */
    public static final long DEFAULT_OUTBOUND_HARD_LIMIT = 16 << 20;
    /** The default of {@link #pongTimeout()}: 10 s. */
    public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(10);
    /** The default of {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 65536;
    /** The most reactor threads one server may run ({@link #reactors()}). */
    public static final int MAX_REACTORS = 256;

    private static final ServerOptions DEFAULTS = new Builder().build();

    private final int backlog;
    private final int maxFramePayload;
    private final long maxMessageSize;
    private final int maxFragments;
    private final Duration handshakeTimeout;
    private final int maxHandshakeBytes;
    private final int maxHandshakeHeaders;
    private final Duration acceptTimeout;
    private final Duration closeTimeout;
    private final long inboundQueueBytes;
    private final int inboundQueueFrames;
    private final long outboundHighWaterMark;
    private final long outboundHardLimit;
    private final boolean tcpNoDelay;
    private final boolean reuseAddress;
    private final boolean reusePort;
    private final int reactors;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final WaitStrategy waitStrategy;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final Duration idleTimeout;
    private final long memoryBudget;
    private final int maxConnections;
    private final ProxyProtocol proxyProtocol;
    private final SSLContext tls;
    private final Consumer<SSLParameters> tlsParameters;

    private ServerOptions(Builder b) {
        backlog = b.backlog;
        maxFramePayload = b.maxFramePayload;
        maxMessageSize = b.maxMessageSize;
        maxFragments = b.maxFragments;
        handshakeTimeout = b.handshakeTimeout;
        maxHandshakeBytes = b.maxHandshakeBytes;
        maxHandshakeHeaders = b.maxHandshakeHeaders;
        acceptTimeout = b.acceptTimeout;
        closeTimeout = b.closeTimeout;
        inboundQueueBytes = b.inboundQueueBytes;
        inboundQueueFrames = b.inboundQueueFrames;
        outboundHighWaterMark = b.outboundHighWaterMark;
        outboundHardLimit = b.outboundHardLimit;
        tcpNoDelay = b.tcpNoDelay;
        reuseAddress = b.reuseAddress;
        reusePort = b.reusePort;
        reactors = b.reactors;
        slowConsumerPolicy = b.slowConsumerPolicy;
        waitStrategy = b.waitStrategy;
        pingInterval = b.pingInterval;
        pongTimeout = b.pongTimeout;
        idleTimeout = b.idleTimeout;
        memoryBudget = b.memoryBudget;
        maxConnections = b.maxConnections;
        proxyProtocol = b.proxyProtocol;
        tls = b.tls;
        tlsParameters = b.tlsParameters;
    }

    /** The default options (see the options table in the README). */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive changed ones. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Handshaken peers that may wait for {@code accept()}; beyond it upgrades get 503. Default {@value #DEFAULT_BACKLOG}. */
    public int backlog() {
        return backlog;
    }

    /** The largest frame payload accepted from a client; a bigger frame closes with 1009. Default {@value #DEFAULT_MAX_FRAME_PAYLOAD} (1 MiB). */
    public int maxFramePayload() {
        return maxFramePayload;
    }

    /** The largest message (all fragments together) accepted; bigger closes with 1009. Default {@value #DEFAULT_MAX_MESSAGE_SIZE} (1 MiB). */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** The most fragments {@link WsPeer#readMessage} joins into one message (empty ones count). Default {@value #DEFAULT_MAX_FRAGMENTS}. */
    public int maxFragments() {
        return maxFragments;
    }

    /** Time from TCP accept to a complete handshake answer (hooks included). Default {@link #DEFAULT_HANDSHAKE_TIMEOUT}. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The largest upgrade request (request line and headers); bigger gets 431. Default {@value #DEFAULT_MAX_HANDSHAKE_BYTES}. */
    public int maxHandshakeBytes() {
        return maxHandshakeBytes;
    }

    /** The most header lines in an upgrade request; more gets 431. Default {@value #DEFAULT_MAX_HANDSHAKE_HEADERS}. */
    public int maxHandshakeHeaders() {
        return maxHandshakeHeaders;
    }

    /** How long a handshaken peer waits for {@code accept()} before it is closed with 1013. Default {@link #DEFAULT_ACCEPT_TIMEOUT}. */
    public Duration acceptTimeout() {
        return acceptTimeout;
    }

    /**
     * How long the reactor waits in a close handshake the server did not start with {@link WsPeer#shutdown}: for the
     * application to read the frames before a client's close or a protocol error, and for the client's answer to
     * the server's close. Default {@link #DEFAULT_CLOSE_TIMEOUT}.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Bytes of received frames a peer may hold unread before its socket is no longer read, each frame counted with a
     * fixed overhead of 64 bytes besides its payload. Default {@value #DEFAULT_INBOUND_QUEUE_BYTES} (1 MiB).
     */
    public long inboundQueueBytes() {
        return inboundQueueBytes;
    }

    /** Frames a peer may hold unread before its socket is no longer read. Default {@value #DEFAULT_INBOUND_QUEUE_FRAMES}. */
    public int inboundQueueFrames() {
        return inboundQueueFrames;
    }

    /** Outbound bytes per peer at which the slow-consumer policy applies. Default {@value #DEFAULT_OUTBOUND_HIGH_WATER_MARK} (1 MiB). */
    public long outboundHighWaterMark() {
        return outboundHighWaterMark;
    }

    /**
     * Outbound bytes per peer never exceeded: {@code writeAsync} under BLOCK fails beyond it, and under CLOSE the peer
     * is closed with 1008. Default {@value #DEFAULT_OUTBOUND_HARD_LIMIT} (16 MiB).
     */
    public long outboundHardLimit() {
        return outboundHardLimit;
    }

    /** Whether TCP_NODELAY is set on connections. Default true. */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** Whether SO_REUSEADDR is set on the listening socket. Default true. */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * Whether SO_REUSEPORT is set on the listening socket, so that other processes (of the same user) that set it
     * too can listen on the same port and the kernel spreads new connections over all of them: a new version can
     * start while the old one drains. Default false. Where the platform lacks the option, {@link WsServer#listen()}
     * fails with an {@link UnsupportedOperationException} saying so.
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * How many reactor threads serve the connections; default 1. Each reactor is one thread with its own selector
     * that owns its connections for their whole life (a peer's futures complete on its reactor); new connections
     * are handed to the reactors in turn. One accept queue, one memory budget and summed stats serve them all
     * (docs/ARCHITECTURE.md, "Several reactors").
     */
    public int reactors() {
        return reactors;
    }

    /** The slow-consumer policy of new peers. Default {@link SlowConsumerPolicy#BLOCK}. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /**
     * How blocking reads, accepts and writes at the high-water mark wait: new peers start with it, and
     * {@link WsServer#accept} uses it. Default {@link WaitStrategy#PARK}.
     */
    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /** How often the reactor pings each open peer; zero (the default) turns keepalive off. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a keepalive ping may go unanswered before the peer is dropped (status 1006). Default {@link #DEFAULT_PONG_TIMEOUT}. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /**
     * How long an open peer may go without the server reading a byte from it before it is closed with 1001 (going
     * away) through the close handshake; zero (the default) turns it off. Any byte counts as life, a pong included,
     * so with {@link #pingInterval()} below it a live client is never idle. A peer whose application stopped reading
     * (its queue full, so the socket is not read) also counts as idle: the timeout is what releases an abandoned peer.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The most bytes the server holds on behalf of all its peers together: received frames not yet read, frames
     * being received and frames not yet written, each counted with a fixed overhead of 64 bytes so that empty frames
     * are not free. Once half of it is held, a peer holding more than its share of the other half (half the budget
     * divided by the open peers) is no longer read, so TCP pushes back on it, and its writes meet its slow-consumer
     * policy; the others keep being served. At least twice {@link #maxFramePayload()}. Default: a quarter of the
     * maximum heap ({@link Runtime#maxMemory()}), at least 16 MiB.
     */
    public long memoryBudget() {
        return memoryBudget;
    }

    /** The most open WebSocket connections; beyond it upgrades get 503. Default {@value #DEFAULT_MAX_CONNECTIONS}. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Whether connections start with a PROXY protocol header. Default {@link ProxyProtocol#OFF}. */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /** The TLS context the server serves {@code wss://} with, or null (the default) for plain {@code ws://}. */
    public SSLContext tls() {
        return tls;
    }

    /**
     * What adjusts each connection's {@link SSLParameters} (protocols, cipher suites, client authentication, SNI
     * matchers) after the defaults are set (TLSv1.3 and TLSv1.2 only); null (the default) keeps the defaults.
     */
    public Consumer<SSLParameters> tlsParameters() {
        return tlsParameters;
    }

    @Override
    public String toString() {
        return "ServerOptions{tls=" + (tls != null) + ", backlog=" + backlog + ", maxFramePayload=" + maxFramePayload
                + ", maxMessageSize=" + maxMessageSize + ", maxFragments=" + maxFragments
                + ", handshakeTimeout=" + handshakeTimeout + ", maxHandshakeBytes=" + maxHandshakeBytes
                + ", maxHandshakeHeaders=" + maxHandshakeHeaders + ", acceptTimeout=" + acceptTimeout
                + ", closeTimeout=" + closeTimeout + ", inboundQueueBytes=" + inboundQueueBytes
                + ", inboundQueueFrames=" + inboundQueueFrames + ", outboundHighWaterMark=" + outboundHighWaterMark
                + ", outboundHardLimit=" + outboundHardLimit + ", tcpNoDelay=" + tcpNoDelay
                + ", reuseAddress=" + reuseAddress + ", reusePort=" + reusePort + ", reactors=" + reactors
                + ", slowConsumerPolicy=" + slowConsumerPolicy + ", waitStrategy=" + waitStrategy
                + ", pingInterval=" + pingInterval + ", pongTimeout=" + pongTimeout + ", idleTimeout=" + idleTimeout
                + ", memoryBudget=" + memoryBudget + ", maxConnections=" + maxConnections
                + ", proxyProtocol=" + proxyProtocol + '}';
    }

    /**
     * Builds {@link ServerOptions}. Each setter checks its value and throws {@link IllegalArgumentException} naming
     * the option; {@link #build()} checks the values against each other. Not thread-safe.
     */
    public static final class Builder {
        private int backlog = DEFAULT_BACKLOG;
        private int maxFramePayload = DEFAULT_MAX_FRAME_PAYLOAD;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxFragments = DEFAULT_MAX_FRAGMENTS;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxHandshakeBytes = DEFAULT_MAX_HANDSHAKE_BYTES;
        private int maxHandshakeHeaders = DEFAULT_MAX_HANDSHAKE_HEADERS;
        private Duration acceptTimeout = DEFAULT_ACCEPT_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private long inboundQueueBytes = DEFAULT_INBOUND_QUEUE_BYTES;
        private int inboundQueueFrames = DEFAULT_INBOUND_QUEUE_FRAMES;
        private long outboundHighWaterMark = DEFAULT_OUTBOUND_HIGH_WATER_MARK;
        private long outboundHardLimit = DEFAULT_OUTBOUND_HARD_LIMIT;
        private boolean tcpNoDelay = true;
        private boolean reuseAddress = true;
        private boolean reusePort;
        private int reactors = 1;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.BLOCK;
        private WaitStrategy waitStrategy = WaitStrategy.PARK;
        private Duration pingInterval = Duration.ZERO;
        private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
        private Duration idleTimeout = Duration.ZERO;
        private long memoryBudget = Math.max(Runtime.getRuntime().maxMemory() / 4, 16 << 20);
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
        private SSLContext tls;
        private Consumer<SSLParameters> tlsParameters;

        private Builder() {
        }

        private Builder(ServerOptions o) {
            backlog = o.backlog;
            maxFramePayload = o.maxFramePayload;
            maxMessageSize = o.maxMessageSize;
            maxFragments = o.maxFragments;
            handshakeTimeout = o.handshakeTimeout;
            maxHandshakeBytes = o.maxHandshakeBytes;
            maxHandshakeHeaders = o.maxHandshakeHeaders;
            acceptTimeout = o.acceptTimeout;
            closeTimeout = o.closeTimeout;
            inboundQueueBytes = o.inboundQueueBytes;
            inboundQueueFrames = o.inboundQueueFrames;
            outboundHighWaterMark = o.outboundHighWaterMark;
            outboundHardLimit = o.outboundHardLimit;
            tcpNoDelay = o.tcpNoDelay;
            reuseAddress = o.reuseAddress;
            reusePort = o.reusePort;
            reactors = o.reactors;
            slowConsumerPolicy = o.slowConsumerPolicy;
            waitStrategy = o.waitStrategy;
            pingInterval = o.pingInterval;
            pongTimeout = o.pongTimeout;
            idleTimeout = o.idleTimeout;
            memoryBudget = o.memoryBudget;
            maxConnections = o.maxConnections;
            proxyProtocol = o.proxyProtocol;
            tls = o.tls;
            tlsParameters = o.tlsParameters;
        }

        /** Sets {@link ServerOptions#backlog()}; at least 1. */
        public Builder backlog(int value) {
            backlog = positive("backlog", value);
            return this;
        }

        /** Sets {@link ServerOptions#maxFramePayload()}; at least {@value Frame#MAX_CONTROL_PAYLOAD}, as control frames. */
        public Builder maxFramePayload(int value) {
            if (value < Frame.MAX_CONTROL_PAYLOAD) {
                throw new IllegalArgumentException("maxFramePayload must be at least " + Frame.MAX_CONTROL_PAYLOAD
                        + " bytes, was " + value);
            }
            maxFramePayload = value;
            return this;
        }

        /** Sets {@link ServerOptions#maxMessageSize()}; at least 1. */
        public Builder maxMessageSize(long value) {
            maxMessageSize = positive("maxMessageSize", value);
            return this;
        }

        /** Sets {@link ServerOptions#maxFragments()}; at least 1. */
        public Builder maxFragments(int value) {
            maxFragments = positive("maxFragments", value);
            return this;
        }

        /** Sets {@link ServerOptions#handshakeTimeout()}; positive. */
        public Builder handshakeTimeout(Duration value) {
            handshakeTimeout = positive("handshakeTimeout", value);
            return this;
        }

        /** Sets {@link ServerOptions#maxHandshakeBytes()}; at least 256. */
        public Builder maxHandshakeBytes(int value) {
            maxHandshakeBytes = atLeast("maxHandshakeBytes", value, 256);
            return this;
        }

        /** Sets {@link ServerOptions#maxHandshakeHeaders()}; at least 8. */
        public Builder maxHandshakeHeaders(int value) {
            maxHandshakeHeaders = atLeast("maxHandshakeHeaders", value, 8);
            return this;
        }

        /** Sets {@link ServerOptions#acceptTimeout()}; positive. */
        public Builder acceptTimeout(Duration value) {
            acceptTimeout = positive("acceptTimeout", value);
            return this;
        }

        /** Sets {@link ServerOptions#closeTimeout()}; positive. */
        public Builder closeTimeout(Duration value) {
            closeTimeout = positive("closeTimeout", value);
            return this;
        }

        /** Sets {@link ServerOptions#inboundQueueBytes()}; at least 1. */
        public Builder inboundQueueBytes(long value) {
            inboundQueueBytes = positive("inboundQueueBytes", value);
            return this;
        }

        /** Sets {@link ServerOptions#inboundQueueFrames()}; at least 1. */
        public Builder inboundQueueFrames(int value) {
            inboundQueueFrames = positive("inboundQueueFrames", value);
            return this;
        }

        /** Sets {@link ServerOptions#outboundHighWaterMark()}; at least 1. */
        public Builder outboundHighWaterMark(long value) {
            outboundHighWaterMark = positive("outboundHighWaterMark", value);
            return this;
        }

        /** Sets {@link ServerOptions#outboundHardLimit()}; at least 1, and not below the high-water mark at build. */
        public Builder outboundHardLimit(long value) {
            outboundHardLimit = positive("outboundHardLimit", value);
            return this;
        }

        /** Sets {@link ServerOptions#tcpNoDelay()}. */
        public Builder tcpNoDelay(boolean value) {
            tcpNoDelay = value;
            return this;
        }

        /** Sets {@link ServerOptions#reuseAddress()}. */
        public Builder reuseAddress(boolean value) {
            reuseAddress = value;
            return this;
        }

        /** Sets {@link ServerOptions#reusePort()}. */
        public Builder reusePort(boolean value) {
            reusePort = value;
            return this;
        }

        /** Sets {@link ServerOptions#reactors()}: 1 to {@link ServerOptions#MAX_REACTORS}. */
        public Builder reactors(int value) {
            if (value < 1 || value > MAX_REACTORS) {
                throw new IllegalArgumentException("reactors must be 1-" + MAX_REACTORS + ", was " + value);
            }
            reactors = value;
            return this;
        }

        /** Sets {@link ServerOptions#slowConsumerPolicy()}; not null. */
        public Builder slowConsumerPolicy(SlowConsumerPolicy value) {
            slowConsumerPolicy = Objects.requireNonNull(value, "slowConsumerPolicy");
            return this;
        }

        /** Sets {@link ServerOptions#waitStrategy()}; not null. */
        public Builder waitStrategy(WaitStrategy value) {
            waitStrategy = Objects.requireNonNull(value, "waitStrategy");
            return this;
        }

        /** Sets {@link ServerOptions#pingInterval()}; zero turns keepalive off, negative is refused. */
        public Builder pingInterval(Duration value) {
            pingInterval = notNegative("pingInterval", value);
            return this;
        }

        /** Sets {@link ServerOptions#pongTimeout()}; positive. */
        public Builder pongTimeout(Duration value) {
            pongTimeout = positive("pongTimeout", value);
            return this;
        }

        /** Sets {@link ServerOptions#idleTimeout()}; zero turns it off, negative is refused. */
        public Builder idleTimeout(Duration value) {
            idleTimeout = notNegative("idleTimeout", value);
            return this;
        }

        /** Sets {@link ServerOptions#memoryBudget()}, in bytes; at least 1. */
        public Builder memoryBudget(long value) {
            memoryBudget = positive("memoryBudget", value);
            return this;
        }

        /** Sets {@link ServerOptions#maxConnections()}; at least 1. */
        public Builder maxConnections(int value) {
            maxConnections = positive("maxConnections", value);
            return this;
        }

        /**
         * Sets {@link ServerOptions#proxyProtocol()}; not null. The header counts toward
         * {@link ServerOptions#handshakeTimeout()}, and a version 2 header may be at most
         * {@link ServerOptions#maxHandshakeBytes()} long.
         */
        public Builder proxyProtocol(ProxyProtocol value) {
            proxyProtocol = Objects.requireNonNull(value, "proxyProtocol");
            return this;
        }

        /**
         * Sets {@link ServerOptions#tls()}: the server then speaks TLS on every connection ({@code wss://}); null
         * turns TLS off. {@link TlsContexts} builds a context from PEM files or a PKCS#12 keystore.
         */
        public Builder tls(SSLContext context) {
            tls = context;
            return this;
        }

        /**
         * Sets {@link ServerOptions#tlsParameters()}: called on the reactor thread for each new TLS connection with
         * parameters already limited to TLSv1.3 and TLSv1.2; it may change protocols, cipher suites,
         * {@code setNeedClientAuth}/{@code setWantClientAuth} or SNI matchers. It must be quick and must not block.
         * Null keeps the defaults.
         */
        public Builder tlsParameters(Consumer<SSLParameters> adjust) {
            tlsParameters = adjust;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException if the hard limit is below the high-water mark, the memory budget below
         *     twice the frame limit, or both {@link #tls} and {@link #proxyProtocol} are set (not supported yet)
         */
        public ServerOptions build() {
            OptionChecks.together(outboundHighWaterMark, outboundHardLimit, memoryBudget, maxFramePayload, tls,
                    proxyProtocol);
            return new ServerOptions(this);
        }
    }
}
