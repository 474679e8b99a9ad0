package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeParser;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The server's limits and settings: immutable, built with {@link #builder()}, every value checked (also when the
 * record is constructed directly), each failure an {@link IllegalArgumentException} naming the option.
 *
 * <p>The defaults suit a public-facing server; the README lists them in one table. Instances are safe to share
 * between threads. Two instances are equal when their values are; {@link #tls()} and {@link #tlsParameters()}
 * compare by identity.
 *
 * @param backlog handshaken peers that may wait for {@code accept()}; beyond it upgrades get 503. Default
 *     {@value #DEFAULT_BACKLOG}; at least 1
 * @param maxFramePayload the largest frame payload accepted from a client; a bigger frame closes with 1009. Default
 *     {@value #DEFAULT_MAX_FRAME_PAYLOAD} (1 MiB); at least {@value Frame#MAX_CONTROL_PAYLOAD}
 * @param maxMessageSize the largest message (all fragments together) accepted; bigger closes with 1009. Default
 *     {@value #DEFAULT_MAX_MESSAGE_SIZE} (1 MiB)
 * @param maxFragments the most fragments {@link WsPeer#readMessage} joins into one message (empty ones count).
 *     Default {@value #DEFAULT_MAX_FRAGMENTS}
 * @param handshakeTimeout time from TCP accept to a complete handshake answer (hooks included). Default
 *     {@link #DEFAULT_HANDSHAKE_TIMEOUT}
 * @param maxHandshakeBytes the largest upgrade request (request line and headers); bigger gets 431. Default
 *     {@value #DEFAULT_MAX_HANDSHAKE_BYTES}; at least 256
 * @param maxHandshakeHeaders the most header lines in an upgrade request; more gets 431. Default
 *     {@value #DEFAULT_MAX_HANDSHAKE_HEADERS}; at least 8
 * @param acceptTimeout how long a handshaken peer waits for {@code accept()} before it is closed with 1013. Default
 *     {@link #DEFAULT_ACCEPT_TIMEOUT}
 * @param closeTimeout how long the reactor waits in a close handshake the server did not start with
 *     {@link WsPeer#shutdown}: for the application to read the frames before a client's close or a protocol error,
 *     and for the client's answer to the server's close. Default {@link #DEFAULT_CLOSE_TIMEOUT}
 * @param inboundQueueBytes bytes of received frames a peer may hold unread before its socket is no longer read, each
 *     frame counted with 64 bytes of overhead besides its payload. Default {@value #DEFAULT_INBOUND_QUEUE_BYTES}
 * @param inboundQueueFrames frames a peer may hold unread before its socket is no longer read. Default
 *     {@value #DEFAULT_INBOUND_QUEUE_FRAMES}
 * @param outboundHighWaterMark outbound bytes per peer at which the slow-consumer policy applies. Default
 *     {@value #DEFAULT_OUTBOUND_HIGH_WATER_MARK} (1 MiB)
 * @param outboundHardLimit outbound bytes per peer never exceeded: {@code writeAsync} under BLOCK fails beyond it,
 *     under CLOSE the peer is closed with 1008. Default {@value #DEFAULT_OUTBOUND_HARD_LIMIT} (16 MiB); not below
 *     {@code outboundHighWaterMark}
 * @param tcpNoDelay whether TCP_NODELAY is set on connections. Default true
 * @param reuseAddress whether SO_REUSEADDR is set on the listening socket. Default true
 * @param reusePort whether SO_REUSEPORT is set on the listening socket, so that other processes (of the same user)
 *     that set it too can listen on the same port and the kernel spreads new connections over them all: a new
 *     version can start while the old one drains. Default false. Where the platform lacks it,
 *     {@link WsServer#listen()} throws an {@link UnsupportedOperationException} saying so
 * @param reactors how many reactor threads serve the connections, 1 to {@value #MAX_REACTORS}; default 1. Each owns
 *     its connections for their whole life (a peer's futures complete on it); new connections go to them in turn,
 *     and one accept queue, one memory budget and summed stats serve them all (docs/ARCHITECTURE.md)
 * @param slowConsumerPolicy the slow-consumer policy of new peers. Default {@link SlowConsumerPolicy#BLOCK}
 * @param waitStrategy how blocking reads, accepts and writes at the high-water mark wait: new peers start with it,
 *     and {@link WsServer#accept} uses it. Default {@link WaitStrategy#PARK}
 * @param pingInterval how often the reactor pings each open peer; zero (the default) turns keepalive off
 * @param pongTimeout how long a keepalive ping may go unanswered before the peer is dropped (status 1006). Default
 *     {@link #DEFAULT_PONG_TIMEOUT}
 * @param idleTimeout how long an open peer may go without the server reading a byte from it before it is closed with
 *     1001 (going away); zero (the default) turns it off. Any byte counts, a pong included, so with
 *     {@code pingInterval} below it a live client is never idle; a peer whose application stopped reading counts as
 *     idle, so the timeout releases abandoned peers
 * @param memoryBudget the most bytes the server holds for all its peers together (frames received and unread, being
 *     received, or not yet written; 64 bytes of overhead each). Once half is held, a peer holding more than its
 *     share of the other half is no longer read and its writes meet its slow-consumer policy; the others keep being
 *     served. At least twice {@code maxFramePayload}. Default: a quarter of {@link Runtime#maxMemory()}, at least
 *     16 MiB
 * @param maxConnections the most open WebSocket connections; beyond it upgrades get 503. Default
 *     {@value #DEFAULT_MAX_CONNECTIONS}
 * @param proxyProtocol whether connections start with a PROXY protocol header. Default {@link ProxyProtocol#OFF};
 *     not together with {@code tls} (not supported yet)
 * @param tls the TLS context the server serves {@code wss://} with, or null (the default) for plain {@code ws://}
 * @param tlsParameters what adjusts each TLS connection's {@link SSLParameters} (protocols, cipher suites, client
 *     authentication, SNI matchers) after the defaults (TLSv1.3 and TLSv1.2 only); null (the default) keeps them
 */
public record ServerOptions(
        int backlog,
        int maxFramePayload,
        long maxMessageSize,
        int maxFragments,
        Duration handshakeTimeout,
        int maxHandshakeBytes,
        int maxHandshakeHeaders,
        Duration acceptTimeout,
        Duration closeTimeout,
        long inboundQueueBytes,
        int inboundQueueFrames,
        long outboundHighWaterMark,
        long outboundHardLimit,
        boolean tcpNoDelay,
        boolean reuseAddress,
        boolean reusePort,
        int reactors,
        SlowConsumerPolicy slowConsumerPolicy,
        WaitStrategy waitStrategy,
        Duration pingInterval,
        Duration pongTimeout,
        Duration idleTimeout,
        long memoryBudget,
        int maxConnections,
        ProxyProtocol proxyProtocol,
        SSLContext tls,
        Consumer<SSLParameters> tlsParameters) {
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

    private static final ServerOptions DEFAULTS = new OptionsBuilder().build();

    /**
     * Checks every value, alone and against the others; {@link #builder()} is the readable way to make one.
     *
     * @throws IllegalArgumentException naming the first option out of bounds, or the two that contradict each other
     * @throws NullPointerException if a value other than {@code tls} or {@code tlsParameters} is null
     */
    public ServerOptions {
        OptionChecks.backlog(backlog);
        OptionChecks.maxFramePayload(maxFramePayload);
        OptionChecks.maxMessageSize(maxMessageSize);
        OptionChecks.maxFragments(maxFragments);
        OptionChecks.handshakeTimeout(handshakeTimeout);
        OptionChecks.maxHandshakeBytes(maxHandshakeBytes);
        OptionChecks.maxHandshakeHeaders(maxHandshakeHeaders);
        OptionChecks.acceptTimeout(acceptTimeout);
        OptionChecks.closeTimeout(closeTimeout);
        OptionChecks.inboundQueueBytes(inboundQueueBytes);
        OptionChecks.inboundQueueFrames(inboundQueueFrames);
        OptionChecks.outboundHighWaterMark(outboundHighWaterMark);
        OptionChecks.outboundHardLimit(outboundHardLimit);
        OptionChecks.reactors(reactors);
        OptionChecks.slowConsumerPolicy(slowConsumerPolicy);
        OptionChecks.waitStrategy(waitStrategy);
        OptionChecks.pingInterval(pingInterval);
        OptionChecks.pongTimeout(pongTimeout);
        OptionChecks.idleTimeout(idleTimeout);
        OptionChecks.memoryBudget(memoryBudget);
        OptionChecks.maxConnections(maxConnections);
        OptionChecks.proxyProtocol(proxyProtocol);
        OptionChecks.together(outboundHighWaterMark, outboundHardLimit, memoryBudget, maxFramePayload, tls,
                proxyProtocol);
    }

    /** The default options (see the options table in the README). */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new OptionsBuilder();
    }

    /** A builder holding these options, to derive changed ones. */
    public Builder toBuilder() {
        return new OptionsBuilder(this);
    }

    /**
     * Builds {@link ServerOptions}. Each setter checks its value at once and throws {@link IllegalArgumentException}
     * naming the option; {@link #build()} checks the values against each other. Not thread-safe. Sealed: the one
     * implementation is the library's.
     */
    public sealed interface Builder permits OptionsBuilder {
        /** Sets {@link ServerOptions#backlog()}; at least 1. */
        Builder backlog(int value);

        /** Sets {@link ServerOptions#maxFramePayload()}; at least {@value Frame#MAX_CONTROL_PAYLOAD}, as control frames. */
        Builder maxFramePayload(int value);

        /** Sets {@link ServerOptions#maxMessageSize()}; at least 1. */
        Builder maxMessageSize(long value);

        /** Sets {@link ServerOptions#maxFragments()}; at least 1. */
        Builder maxFragments(int value);

        /** Sets {@link ServerOptions#handshakeTimeout()}; positive. */
        Builder handshakeTimeout(Duration value);

        /** Sets {@link ServerOptions#maxHandshakeBytes()}; at least 256. */
        Builder maxHandshakeBytes(int value);

        /** Sets {@link ServerOptions#maxHandshakeHeaders()}; at least 8. */
        Builder maxHandshakeHeaders(int value);

        /** Sets {@link ServerOptions#acceptTimeout()}; positive. */
        Builder acceptTimeout(Duration value);

        /** Sets {@link ServerOptions#closeTimeout()}; positive. */
        Builder closeTimeout(Duration value);

        /** Sets {@link ServerOptions#inboundQueueBytes()}; at least 1. */
        Builder inboundQueueBytes(long value);

        /** Sets {@link ServerOptions#inboundQueueFrames()}; at least 1. */
        Builder inboundQueueFrames(int value);

        /** Sets {@link ServerOptions#outboundHighWaterMark()}; at least 1. */
        Builder outboundHighWaterMark(long value);

        /** Sets {@link ServerOptions#outboundHardLimit()}; at least 1, and not below the high-water mark at build. */
        Builder outboundHardLimit(long value);

        /** Sets {@link ServerOptions#tcpNoDelay()}. */
        Builder tcpNoDelay(boolean value);

        /** Sets {@link ServerOptions#reuseAddress()}. */
        Builder reuseAddress(boolean value);

        /** Sets {@link ServerOptions#reusePort()}. */
        Builder reusePort(boolean value);

        /** Sets {@link ServerOptions#reactors()}: 1 to {@link ServerOptions#MAX_REACTORS}. */
        Builder reactors(int value);

        /** Sets {@link ServerOptions#slowConsumerPolicy()}; not null. */
        Builder slowConsumerPolicy(SlowConsumerPolicy value);

        /** Sets {@link ServerOptions#waitStrategy()}; not null. */
        Builder waitStrategy(WaitStrategy value);

        /** Sets {@link ServerOptions#pingInterval()}; zero turns keepalive off, negative is refused. */
        Builder pingInterval(Duration value);

        /** Sets {@link ServerOptions#pongTimeout()}; positive. */
        Builder pongTimeout(Duration value);

        /** Sets {@link ServerOptions#idleTimeout()}; zero turns it off, negative is refused. */
        Builder idleTimeout(Duration value);

        /** Sets {@link ServerOptions#memoryBudget()}, in bytes; at least 1. */
        Builder memoryBudget(long value);

        /** Sets {@link ServerOptions#maxConnections()}; at least 1. */
        Builder maxConnections(int value);

        /**
         * Sets {@link ServerOptions#proxyProtocol()}; not null. The header counts toward
         * {@link ServerOptions#handshakeTimeout()}, and a version 2 header may be at most
         * {@link ServerOptions#maxHandshakeBytes()} long.
         */
        Builder proxyProtocol(ProxyProtocol value);

        /**
         * Sets {@link ServerOptions#tls()}: the server then speaks TLS on every connection ({@code wss://}); null
         * turns TLS off. {@link TlsContexts} builds a context from PEM files or a PKCS#12 keystore.
         */
        Builder tls(SSLContext context);

        /**
         * Sets {@link ServerOptions#tlsParameters()}: called on the reactor thread for each new TLS connection with
         * parameters already limited to TLSv1.3 and TLSv1.2; it may change protocols, cipher suites,
         * {@code setNeedClientAuth}/{@code setWantClientAuth} or SNI matchers. It must be quick and must not block.
         * Null keeps the defaults.
         */
        Builder tlsParameters(Consumer<SSLParameters> adjust);

        /**
         * The options.
         *
         * @throws IllegalArgumentException if the hard limit is below the high-water mark, the memory budget below
         *     twice the frame limit, or both {@link #tls} and {@link #proxyProtocol} are set (not supported yet)
         */
        ServerOptions build();
    }
}
