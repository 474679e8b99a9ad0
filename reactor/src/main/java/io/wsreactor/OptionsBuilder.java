package io.wsreactor;

import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The one {@link ServerOptions.Builder}: the mutable values, starting at the defaults or at given options. Each setter
 * applies its option's rule from {@link OptionChecks} at once; the record's constructor applies them all again, with
 * the rules across options, at {@link #build()}.
 */
final class OptionsBuilder implements ServerOptions.Builder {
    private int backlog = ServerOptions.DEFAULT_BACKLOG;
    private int maxFramePayload = ServerOptions.DEFAULT_MAX_FRAME_PAYLOAD;
    private long maxMessageSize = ServerOptions.DEFAULT_MAX_MESSAGE_SIZE;
    private int maxFragments = ServerOptions.DEFAULT_MAX_FRAGMENTS;
    private Duration handshakeTimeout = ServerOptions.DEFAULT_HANDSHAKE_TIMEOUT;
    private int maxHandshakeBytes = ServerOptions.DEFAULT_MAX_HANDSHAKE_BYTES;
    private int maxHandshakeHeaders = ServerOptions.DEFAULT_MAX_HANDSHAKE_HEADERS;
    private Duration acceptTimeout = ServerOptions.DEFAULT_ACCEPT_TIMEOUT;
    private Duration closeTimeout = ServerOptions.DEFAULT_CLOSE_TIMEOUT;
    private long inboundQueueBytes = ServerOptions.DEFAULT_INBOUND_QUEUE_BYTES;
    private int inboundQueueFrames = ServerOptions.DEFAULT_INBOUND_QUEUE_FRAMES;
    private long outboundHighWaterMark = ServerOptions.DEFAULT_OUTBOUND_HIGH_WATER_MARK;
    private long outboundHardLimit = ServerOptions.DEFAULT_OUTBOUND_HARD_LIMIT;
    private boolean tcpNoDelay = true;
    private boolean reuseAddress = true;
    private boolean reusePort;
    private int reactors = 1;
    private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.BLOCK;
    private WaitStrategy waitStrategy = WaitStrategy.PARK;
    private Duration pingInterval = Duration.ZERO;
    private Duration pongTimeout = ServerOptions.DEFAULT_PONG_TIMEOUT;
    private Duration idleTimeout = Duration.ZERO;
    private long memoryBudget = Math.max(Runtime.getRuntime().maxMemory() / 4, 16 << 20);
    private int maxConnections = ServerOptions.DEFAULT_MAX_CONNECTIONS;
    private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
    private SSLContext tls;
    private Consumer<SSLParameters> tlsParameters;

    OptionsBuilder() {
    }

    OptionsBuilder(ServerOptions o) {
        backlog = o.backlog();
        maxFramePayload = o.maxFramePayload();
        maxMessageSize = o.maxMessageSize();
        maxFragments = o.maxFragments();
        handshakeTimeout = o.handshakeTimeout();
        maxHandshakeBytes = o.maxHandshakeBytes();
        maxHandshakeHeaders = o.maxHandshakeHeaders();
        acceptTimeout = o.acceptTimeout();
        closeTimeout = o.closeTimeout();
        inboundQueueBytes = o.inboundQueueBytes();
        inboundQueueFrames = o.inboundQueueFrames();
        outboundHighWaterMark = o.outboundHighWaterMark();
        outboundHardLimit = o.outboundHardLimit();
        tcpNoDelay = o.tcpNoDelay();
        reuseAddress = o.reuseAddress();
        reusePort = o.reusePort();
        reactors = o.reactors();
        slowConsumerPolicy = o.slowConsumerPolicy();
        waitStrategy = o.waitStrategy();
        pingInterval = o.pingInterval();
        pongTimeout = o.pongTimeout();
        idleTimeout = o.idleTimeout();
        memoryBudget = o.memoryBudget();
        maxConnections = o.maxConnections();
        proxyProtocol = o.proxyProtocol();
        tls = o.tls();
        tlsParameters = o.tlsParameters();
    }

    @Override
    public OptionsBuilder backlog(int value) {
        backlog = OptionChecks.backlog(value);
        return this;
    }

    @Override
    public OptionsBuilder maxFramePayload(int value) {
        maxFramePayload = OptionChecks.maxFramePayload(value);
        return this;
    }

    @Override
    public OptionsBuilder maxMessageSize(long value) {
        maxMessageSize = OptionChecks.maxMessageSize(value);
        return this;
    }

    @Override
    public OptionsBuilder maxFragments(int value) {
        maxFragments = OptionChecks.maxFragments(value);
        return this;
    }

    @Override
    public OptionsBuilder handshakeTimeout(Duration value) {
        handshakeTimeout = OptionChecks.handshakeTimeout(value);
        return this;
    }

    @Override
    public OptionsBuilder maxHandshakeBytes(int value) {
        maxHandshakeBytes = OptionChecks.maxHandshakeBytes(value);
        return this;
    }

    @Override
    public OptionsBuilder maxHandshakeHeaders(int value) {
        maxHandshakeHeaders = OptionChecks.maxHandshakeHeaders(value);
        return this;
    }

    @Override
    public OptionsBuilder acceptTimeout(Duration value) {
        acceptTimeout = OptionChecks.acceptTimeout(value);
        return this;
    }

    @Override
    public OptionsBuilder closeTimeout(Duration value) {
        closeTimeout = OptionChecks.closeTimeout(value);
        return this;
    }

    @Override
    public OptionsBuilder inboundQueueBytes(long value) {
        inboundQueueBytes = OptionChecks.inboundQueueBytes(value);
        return this;
    }

    @Override
    public OptionsBuilder inboundQueueFrames(int value) {
        inboundQueueFrames = OptionChecks.inboundQueueFrames(value);
        return this;
    }

    @Override
    public OptionsBuilder outboundHighWaterMark(long value) {
        outboundHighWaterMark = OptionChecks.outboundHighWaterMark(value);
        return this;
    }

    @Override
    public OptionsBuilder outboundHardLimit(long value) {
        outboundHardLimit = OptionChecks.outboundHardLimit(value);
        return this;
    }

    @Override
    public OptionsBuilder tcpNoDelay(boolean value) {
        tcpNoDelay = value;
        return this;
    }

    @Override
    public OptionsBuilder reuseAddress(boolean value) {
        reuseAddress = value;
        return this;
    }

    @Override
    public OptionsBuilder reusePort(boolean value) {
        reusePort = value;
        return this;
    }

    @Override
    public OptionsBuilder reactors(int value) {
        reactors = OptionChecks.reactors(value);
        return this;
    }

    @Override
    public OptionsBuilder slowConsumerPolicy(SlowConsumerPolicy value) {
        slowConsumerPolicy = OptionChecks.slowConsumerPolicy(value);
        return this;
    }

    @Override
    public OptionsBuilder waitStrategy(WaitStrategy value) {
        waitStrategy = OptionChecks.waitStrategy(value);
        return this;
    }

    @Override
    public OptionsBuilder pingInterval(Duration value) {
        pingInterval = OptionChecks.pingInterval(value);
        return this;
    }

    @Override
    public OptionsBuilder pongTimeout(Duration value) {
        pongTimeout = OptionChecks.pongTimeout(value);
        return this;
    }

    @Override
    public OptionsBuilder idleTimeout(Duration value) {
        idleTimeout = OptionChecks.idleTimeout(value);
        return this;
    }

    @Override
    public OptionsBuilder memoryBudget(long value) {
        memoryBudget = OptionChecks.memoryBudget(value);
        return this;
    }

    @Override
    public OptionsBuilder maxConnections(int value) {
        maxConnections = OptionChecks.maxConnections(value);
        return this;
    }

    @Override
    public OptionsBuilder proxyProtocol(ProxyProtocol value) {
        proxyProtocol = OptionChecks.proxyProtocol(value);
        return this;
    }

    @Override
    public OptionsBuilder tls(SSLContext context) {
        tls = context;
        return this;
    }

    @Override
    public OptionsBuilder tlsParameters(Consumer<SSLParameters> adjust) {
        tlsParameters = adjust;
        return this;
    }

    @Override
    public ServerOptions build() {
        return new ServerOptions(backlog, maxFramePayload, maxMessageSize, maxFragments, handshakeTimeout,
                maxHandshakeBytes, maxHandshakeHeaders, acceptTimeout, closeTimeout, inboundQueueBytes,
                inboundQueueFrames, outboundHighWaterMark, outboundHardLimit, tcpNoDelay, reuseAddress, reusePort,
                reactors, slowConsumerPolicy, waitStrategy, pingInterval, pongTimeout, idleTimeout, memoryBudget,
                maxConnections, proxyProtocol, tls, tlsParameters);
    }
}
