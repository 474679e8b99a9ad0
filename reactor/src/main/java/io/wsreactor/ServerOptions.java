package io.wsreactor;

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
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final int maxConnections;
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
        slowConsumerPolicy = b.slowConsumerPolicy;
        pingInterval = b.pingInterval;
        pongTimeout = b.pongTimeout;
        maxConnections = b.maxConnections;
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

    /** Handshaken peers that may wait for {@code accept()}; beyond it upgrades get 503. Default 1024. */
    public int backlog() {
        return backlog;
    }

    /** The largest frame payload accepted from a client; a bigger frame closes with 1009. Default 1 MiB. */
    public int maxFramePayload() {
        return maxFramePayload;
    }

    /** The largest message (all fragments together) accepted; bigger closes with 1009. Default 1 MiB. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** The most fragments {@link WsPeer#readMessage} joins into one message (empty ones count). Default 1024. */
    public int maxFragments() {
        return maxFragments;
    }

    /** Time from TCP accept to a complete handshake answer (hooks included). Default 10 s. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The largest upgrade request (request line and headers); bigger gets 431. Default 8 KiB. */
    public int maxHandshakeBytes() {
        return maxHandshakeBytes;
    }

    /** The most header lines in an upgrade request; more gets 431. Default 100. */
    public int maxHandshakeHeaders() {
        return maxHandshakeHeaders;
    }

    /** How long a handshaken peer waits for {@code accept()} before it is closed with 1013. Default 30 s. */
    public Duration acceptTimeout() {
        return acceptTimeout;
    }

    /**
     * How long the reactor waits in a close handshake the server did not start with {@link WsPeer#shutdown}: for the
     * application to read the frames before a client's close or a protocol error, and for the client's answer to
     * the server's close. Default 5 s.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Bytes of received frames a peer may hold unread before its socket is no longer read. Default 1 MiB. */
    public long inboundQueueBytes() {
        return inboundQueueBytes;
    }

    /** Frames a peer may hold unread before its socket is no longer read. Default 1024. */
    public int inboundQueueFrames() {
        return inboundQueueFrames;
    }

    /** Outbound bytes per peer at which the slow-consumer policy applies. Default 1 MiB. */
    public long outboundHighWaterMark() {
        return outboundHighWaterMark;
    }

    /**
     * Outbound bytes per peer never exceeded: {@code writeAsync} under BLOCK fails beyond it, and under CLOSE the peer
     * is closed with 1008. Default 16 MiB.
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

    /** The slow-consumer policy of new peers. Default {@link SlowConsumerPolicy#BLOCK}. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** How often the reactor pings each open peer; zero (the default) turns keepalive off. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a keepalive ping may go unanswered before the peer is dropped (status 1006). Default 10 s. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** The most open WebSocket connections; beyond it upgrades get 503. Default 65536. */
    public int maxConnections() {
        return maxConnections;
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
                + ", reuseAddress=" + reuseAddress + ", slowConsumerPolicy=" + slowConsumerPolicy
                + ", pingInterval=" + pingInterval + ", pongTimeout=" + pongTimeout
                + ", maxConnections=" + maxConnections + '}';
    }

    /**
     * Builds {@link ServerOptions}. Each setter checks its value and throws {@link IllegalArgumentException} naming
     * the option; {@link #build()} checks the values against each other. Not thread-safe.
     */
    public static final class Builder {
        private int backlog = 1024;
        private int maxFramePayload = 1 << 20;
        private long maxMessageSize = 1 << 20;
        private int maxFragments = 1024;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxHandshakeBytes = 8192;
        private int maxHandshakeHeaders = 100;
        private Duration acceptTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private long inboundQueueBytes = 1 << 20;
        private int inboundQueueFrames = 1024;
        private long outboundHighWaterMark = 1 << 20;
        private long outboundHardLimit = 16 << 20;
        private boolean tcpNoDelay = true;
        private boolean reuseAddress = true;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.BLOCK;
        private Duration pingInterval = Duration.ZERO;
        private Duration pongTimeout = Duration.ofSeconds(10);
        private int maxConnections = 65536;
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
            slowConsumerPolicy = o.slowConsumerPolicy;
            pingInterval = o.pingInterval;
            pongTimeout = o.pongTimeout;
            maxConnections = o.maxConnections;
            tls = o.tls;
            tlsParameters = o.tlsParameters;
        }

        /** Sets {@link ServerOptions#backlog()}; at least 1. */
        public Builder backlog(int value) {
            backlog = positive("backlog", value);
            return this;
        }

        /** Sets {@link ServerOptions#maxFramePayload()}; at least 125. */
        public Builder maxFramePayload(int value) {
            if (value < 125) {
                throw new IllegalArgumentException("maxFramePayload must be at least 125 bytes, was " + value);
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
            if (value < 256) {
                throw new IllegalArgumentException("maxHandshakeBytes must be at least 256, was " + value);
            }
            maxHandshakeBytes = value;
            return this;
        }

        /** Sets {@link ServerOptions#maxHandshakeHeaders()}; at least 8. */
        public Builder maxHandshakeHeaders(int value) {
            if (value < 8) {
                throw new IllegalArgumentException("maxHandshakeHeaders must be at least 8, was " + value);
            }
            maxHandshakeHeaders = value;
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

        /** Sets {@link ServerOptions#slowConsumerPolicy()}; not null. */
        public Builder slowConsumerPolicy(SlowConsumerPolicy value) {
            slowConsumerPolicy = Objects.requireNonNull(value, "slowConsumerPolicy");
            return this;
        }

        /** Sets {@link ServerOptions#pingInterval()}; zero turns keepalive off, negative is refused. */
        public Builder pingInterval(Duration value) {
            Objects.requireNonNull(value, "pingInterval");
            if (value.isNegative()) {
                throw new IllegalArgumentException("pingInterval must not be negative, was " + value);
            }
            pingInterval = value;
            return this;
        }

        /** Sets {@link ServerOptions#pongTimeout()}; positive. */
        public Builder pongTimeout(Duration value) {
            pongTimeout = positive("pongTimeout", value);
            return this;
        }

        /** Sets {@link ServerOptions#maxConnections()}; at least 1. */
        public Builder maxConnections(int value) {
            maxConnections = positive("maxConnections", value);
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
         * @throws IllegalArgumentException if the hard limit is below the high-water mark
         */
        public ServerOptions build() {
            if (outboundHardLimit < outboundHighWaterMark) {
                throw new IllegalArgumentException("outboundHardLimit (" + outboundHardLimit
                        + ") must not be below outboundHighWaterMark (" + outboundHighWaterMark + ")");
            }
            return new ServerOptions(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        private static long positive(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
