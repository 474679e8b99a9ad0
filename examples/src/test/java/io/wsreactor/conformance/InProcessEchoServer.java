package io.wsreactor.conformance;

import java.time.Duration;

/**
 * The examples' EchoServer started inside the test JVM on 127.0.0.1 and an ephemeral port. This class is the only
 * place of the test suites that knows how EchoServer is started.
 */
public final class InProcessEchoServer implements AutoCloseable {
    /** The message and frame limit the conformance suite needs (Autobahn 9.1.6 sends 16 MiB). */
    public static final int SUITE_MAX_MESSAGE = 16 * 1024 * 1024;

    private final AutoCloseable server;
    private final int port;
    private final String mode;

    private InProcessEchoServer(AutoCloseable server, int port, String mode) {
        this.server = server;
        this.port = port;
        this.mode = mode;
    }

    /**
     * Starts an echo server in {@code mode} ("threads", "virtual" or "async") with frame and message limits of
     * {@code maxMessage} bytes; {@code handshakeTimeout} null keeps the server's default.
     *
     * @throws Exception when the server cannot start
     */
    public static InProcessEchoServer start(String mode, int maxMessage, Duration handshakeTimeout) throws Exception {
        throw new UnsupportedOperationException("EchoServer is not committed yet; run with -Dws.url=ws://host:port/");
    }

    /** Starts the suite's default echo server: async mode, 16 MiB limits, default handshake timeout. */
    public static InProcessEchoServer startDefault() throws Exception {
        return start(System.getProperty("ws.mode", "async"), SUITE_MAX_MESSAGE, null);
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** The ws:// URL of the server. */
    public String url() {
        return "ws://127.0.0.1:" + port + "/";
    }

    /** A short description for reports. */
    public String description() {
        return "in-process EchoServer (mode " + mode + ") at " + url();
    }

    /** Stops the server; established connections are closed as the server's close decides. */
    @Override
    public void close() throws Exception {
        server.close();
    }
}
