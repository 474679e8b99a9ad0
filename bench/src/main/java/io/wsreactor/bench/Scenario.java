package io.wsreactor.bench;

import java.time.Duration;

/**
 * The five scenarios of the comparison (issue 5), each a {@link LoadConfig} for a given port and run length.
 *
 * <ul>
 *   <li>S1: 32 B text, 1 connection, window 1: round-trip latency;
 *   <li>S2: 32 B text, 100 connections, window 16: small-message throughput;
 *   <li>S3: 64 KiB binary, 10 connections, window 4: bandwidth;
 *   <li>S4: 32 B text at a fixed 20,000 messages/s over 100 connections: latency percentiles under load;
 *   <li>S5: 10,000 idle connections: handshakes/s and heap per connection;
 *   <li>S6: 32 B text at a fixed 5,000 messages/s over 50 connections: the quiet reference for S7;
 *   <li>S7: S6 while a {@link HandshakeStorm} keeps 500 TLS handshakes running at once ({@code wss://} only);
 *   <li>S8: the storm alone, 128 at once: how many TLS handshakes per second the server answers when the client
 *       costs almost nothing ({@code wss://} only).
 * </ul>
 */
enum Scenario {
    S1("32 B text, 1 connection, window 1"),
    S2("32 B text, 100 connections, window 16"),
    S3("64 KiB binary, 10 connections, window 4"),
    S4("32 B text, fixed 20,000 msg/s over 100 connections"),
    S5("idle connections: handshakes/s, heap per connection"),
    S6("32 B text, fixed 5,000 msg/s over 50 connections (quiet)"),
    S7("32 B text, fixed 5,000 msg/s over 50 connections while 500 TLS handshakes run at once (storm)"),
    S8("TLS handshakes answered per second, 128 at once (replayed ClientHello: the server's work only)");

    /** How many handshakes S8 keeps running at once. */
    static final int HANDSHAKE_CONCURRENCY = 128;

    /** How many handshakes the storm of S7 keeps running at once. */
    static final int STORM_HANDSHAKES = 500;

    final String description;

    Scenario(String description) {
        this.description = description;
    }

    /**
     * The load for this scenario.
     *
     * @param idleConnections how many connections S5 opens
     */
    LoadConfig config(int port, Duration warmup, Duration measure, int idleConnections) {
        LoadConfig base = new LoadConfig("127.0.0.1", port, "/", 1, 1, 32, true, false, 0, false, warmup, measure,
                64, Duration.ofSeconds(120));
        return switch (this) {
            case S1 -> base;
            case S2 -> new LoadConfig("127.0.0.1", port, "/", 100, 16, 32, true, false, 0, false, warmup, measure,
                    64, Duration.ofSeconds(60));
            case S3 -> new LoadConfig("127.0.0.1", port, "/", 10, 4, 64 * 1024, false, false, 0, false, warmup,
                    measure, 64, Duration.ofSeconds(60));
            case S4 -> new LoadConfig("127.0.0.1", port, "/", 100, 1024, 32, true, false, 20_000, false, warmup,
                    measure, 64, Duration.ofSeconds(60));
            case S5 -> new LoadConfig("127.0.0.1", port, "/", idleConnections, 1, 0, true, false, 0, true, warmup,
                    measure, 128, Duration.ofSeconds(120));
            case S6, S7, S8 -> new LoadConfig("127.0.0.1", port, "/", 50, 1024, 32, true, false, 5_000, false, warmup,
                    measure, 64, Duration.ofSeconds(60));
        };
    }
}
