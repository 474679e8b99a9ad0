package io.wsreactor.bench;

import java.time.Duration;

/**
 * What one load-generator run does.
 *
 * @param host the server's address
 * @param port the server's port
 * @param path the request path of the upgrade request
 * @param connections how many connections to open
 * @param window how many messages each connection keeps in flight (closed loop); in fixed-rate mode the most a
 *     connection may have outstanding before sends wait (their latency still counts from the intended time)
 * @param size the payload size in bytes
 * @param text text frames when true, binary when false
 * @param raw plain TCP mode: no handshake or framing is expected from the server, only an echo of the same bytes
 * @param ratePerSecond messages per second over all connections (fixed-rate mode), or 0 for closed-loop mode
 * @param idle open the connections, report them to the listener, send nothing and close them (handshake mode)
 * @param warmup how long the load runs before the measured window
 * @param measure the length of the measured window
 * @param maxConnecting how many connections may be connecting or handshaking at once
 * @param connectTimeout the bound on opening all connections
 * @param tls the client TLS to speak {@code wss://} with, or null for {@code ws://}
 */
public record LoadConfig(String host, int port, String path, int connections, int window, int size, boolean text,
        boolean raw, double ratePerSecond, boolean idle, Duration warmup, Duration measure, int maxConnecting,
        Duration connectTimeout, ClientTls tls) {

    /** A {@code ws://} configuration (no TLS). */
    public LoadConfig(String host, int port, String path, int connections, int window, int size, boolean text,
            boolean raw, double ratePerSecond, boolean idle, Duration warmup, Duration measure, int maxConnecting,
            Duration connectTimeout) {
        this(host, port, path, connections, window, size, text, raw, ratePerSecond, idle, warmup, measure,
                maxConnecting, connectTimeout, null);
    }

    /** Checks the values. */
    public LoadConfig {
        if (connections < 1 || window < 1 || size < 0 || maxConnecting < 1 || ratePerSecond < 0) {
            throw new IllegalArgumentException("connections, window and maxConnecting must be positive, size and rate not negative");
        }
        if (tls != null && raw) {
            throw new IllegalArgumentException("the plain TCP mode has no TLS");
        }
    }

    /** A closed-loop configuration with the usual defaults (2 s warm-up, 5 s measured, 64 connecting at once). */
    public static LoadConfig closedLoop(String host, int port, int connections, int window, int size, boolean text) {
        return new LoadConfig(host, port, "/", connections, window, size, text, false, 0, false,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 64, Duration.ofSeconds(60));
    }

    /** This configuration with other warm-up and measured durations. */
    public LoadConfig withDurations(Duration newWarmup, Duration newMeasure) {
        return new LoadConfig(host, port, path, connections, window, size, text, raw, ratePerSecond, idle,
                newWarmup, newMeasure, maxConnecting, connectTimeout, tls);
    }

    /** This configuration in plain TCP mode or not. */
    public LoadConfig withRaw(boolean newRaw) {
        return new LoadConfig(host, port, path, connections, window, size, text, newRaw, ratePerSecond, idle,
                warmup, measure, maxConnecting, connectTimeout, tls);
    }

    /** This configuration aimed at another port. */
    public LoadConfig withPort(int newPort) {
        return new LoadConfig(host, newPort, path, connections, window, size, text, raw, ratePerSecond, idle,
                warmup, measure, maxConnecting, connectTimeout, tls);
    }

    /** This configuration over {@code wss://} with {@code newTls}, or over {@code ws://} when null. */
    public LoadConfig withTls(ClientTls newTls) {
        return new LoadConfig(host, port, path, connections, window, size, text, raw, ratePerSecond, idle,
                warmup, measure, maxConnecting, connectTimeout, newTls);
    }
}
