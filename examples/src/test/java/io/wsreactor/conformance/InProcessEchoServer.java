package io.wsreactor.conformance;

import io.wsreactor.ProxyProtocol;
import io.wsreactor.ServerOptions;
import io.wsreactor.WsServer;
import io.wsreactor.examples.EchoServer;
import java.time.Duration;
import java.util.Locale;

/**
 * The examples' EchoServer started inside the test JVM on 127.0.0.1 and an ephemeral port. This class is the only
 * place of the test suites that knows how EchoServer is started.
 */
public final class InProcessEchoServer implements AutoCloseable {
    /** The message and frame limit the conformance suite needs (Autobahn 9.1.6 sends 16 MiB). */
    public static final int SUITE_MAX_MESSAGE = 16 * 1024 * 1024;

    private final Runnable closer;
    private final WsServer server;
    private final String description;
    private final boolean tls;

    private InProcessEchoServer(Runnable closer, WsServer server, String description, boolean tls) {
        this.closer = closer;
        this.server = server;
        this.description = description;
        this.tls = tls;
    }

    /**
     * Starts an echo server in {@code mode} ("threads", "virtual" or "async") with frame and message limits of
     * {@code maxMessage} bytes.
     *
     * @throws Exception when the server cannot start (for example "virtual" on a JVM without virtual threads)
     */
    public static InProcessEchoServer start(String mode, int maxMessage) throws Exception {
        return start(mode, maxMessage, ProxyProtocol.OFF, null, false);
    }

    /** As {@link #start(String, int)}, serving {@code wss://} with a self-signed test certificate when {@code tls}. */
    public static InProcessEchoServer start(String mode, int maxMessage, boolean tls) throws Exception {
        return start(mode, maxMessage, ProxyProtocol.OFF, null, tls);
    }

    /**
     * Starts an echo server in {@code mode} with limits of {@code maxMessage} bytes, the PROXY protocol setting, a
     * health check path (null for none), and {@code wss://} with a self-signed test certificate when {@code tls}.
     *
     * @throws Exception when the server cannot start
     */
    public static InProcessEchoServer start(String mode, int maxMessage, ProxyProtocol proxyProtocol, String healthPath,
            boolean tls) throws Exception {
        return start(mode, maxMessage, proxyProtocol, healthPath, tls, 1);
    }

    /** As {@link #start(String, int, ProxyProtocol, String, boolean)}, on {@code reactors} reactor threads. */
    public static InProcessEchoServer start(String mode, int maxMessage, ProxyProtocol proxyProtocol, String healthPath,
            boolean tls, int reactors) throws Exception {
        EchoServer.Mode parsed = EchoServer.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        EchoServer echo = EchoServer.start("127.0.0.1", 0, parsed, maxMessage, proxyProtocol, healthPath,
                tls ? SuiteTls.serverContext() : null, reactors, false, io.wsreactor.WaitStrategy.PARK);
        return new InProcessEchoServer(echo::close, echo.server(), "in-process EchoServer (mode "
                + mode.toLowerCase(Locale.ROOT) + ", max message " + maxMessage + " bytes"
                + (reactors == 1 ? "" : ", " + reactors + " reactors")
                + (proxyProtocol == ProxyProtocol.OFF ? "" : ", PROXY protocol " + proxyProtocol)
                + (healthPath == null ? "" : ", health check at " + healthPath) + (tls ? ", TLS" : "") + ")", tls);
    }

    /**
     * Starts the suite's default echo server: mode from -Dws.mode (default async), 16 MiB limits, and a health check at
     * -Dws.healthPath (default /healthz; empty for none), so the suite also shows that a handler of plain requests
     * changes nothing for WebSocket clients; {@code wss://} when -Dws.tls=true; -Dws.reactors reactor threads
     * (default 1).
     */
    public static InProcessEchoServer startDefault() throws Exception {
        String healthPath = System.getProperty("ws.healthPath", "/healthz");
        return start(System.getProperty("ws.mode", "async"), SUITE_MAX_MESSAGE, ProxyProtocol.OFF,
                healthPath.isBlank() ? null : healthPath, Boolean.getBoolean("ws.tls"),
                Integer.getInteger("ws.reactors", 1));
    }

    /**
     * Starts a server that completes handshakes under a {@code handshakeTimeout} but never accepts a peer: enough for
     * tests of what happens before the upgrade.
     *
     * @throws Exception when the server cannot start
     */
    public static InProcessEchoServer startHandshakeOnly(Duration handshakeTimeout) throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0, ServerOptions.builder().handshakeTimeout(handshakeTimeout).build());
        server.listen();
        return new InProcessEchoServer(server::close, server,
                "in-process WsServer (handshake timeout " + handshakeTimeout.toMillis() + " ms, no echo)", false);
    }

    /** The port it listens on. */
    public int port() {
        return server.localAddress().getPort();
    }

    /** The server itself, for a test that sets a hook or reads its stats. */
    public WsServer server() {
        return server;
    }

    /** The ws:// (or wss://) URL of the server. */
    public String url() {
        return (tls ? "wss" : "ws") + "://127.0.0.1:" + port() + "/";
    }

    /** A short description for reports. */
    public String description() {
        return description + " at " + url();
    }

    /** Stops the server; peers are shut down as the server's close decides. */
    @Override
    public void close() {
        closer.run();
    }
}
