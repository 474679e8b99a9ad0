package io.wsreactor.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * The load generator on the command line, against any WebSocket echo server:
 *
 * <pre>
 * java -cp benchmarks.jar io.wsreactor.bench.LoadMain --url ws://127.0.0.1:9000/ \
 *     --connections 100 --window 16 --size 32 [--binary] [--rate 20000] [--idle] [--raw] \
 *     [--warmup 2] [--measure 5] [--hold SECONDS]
 * </pre>
 *
 * {@code --idle} opens the connections, prints the handshake rate and, with {@code --hold}, keeps them open that
 * long (to look at the server's memory meanwhile) before closing them.
 *
 * Prints messages/s, MB/s and the latency percentiles; exits with status 1 if any echo was wrong.
 */
public final class LoadMain {
    private LoadMain() {
    }

    /**
     * Runs one load and prints the result.
     *
     * @param args the options above
     * @throws Exception if the load cannot be started
     */
    public static void main(String[] args) throws Exception {
        URI url = URI.create("ws://127.0.0.1:9000/");
        int connections = 1;
        int window = 1;
        int size = 32;
        boolean text = true;
        boolean raw = false;
        boolean idle = false;
        double rate = 0;
        double warmup = 2;
        double measure = 5;
        double hold = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = URI.create(args[++i]);
                case "--connections", "-c" -> connections = Integer.parseInt(args[++i]);
                case "--window", "-w" -> window = Integer.parseInt(args[++i]);
                case "--size", "-s" -> size = Integer.parseInt(args[++i]);
                case "--binary" -> text = false;
                case "--raw" -> raw = true;
                case "--idle" -> idle = true;
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--measure" -> measure = Double.parseDouble(args[++i]);
                case "--hold" -> hold = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        int port = url.getPort() > 0 ? url.getPort() : 80;
        LoadConfig config = new LoadConfig(url.getHost(), port, path, connections, rate > 0 ? Math.max(window, 1024)
                : window, size, text, raw, rate, idle, Duration.ofMillis((long) (warmup * 1000)),
                Duration.ofMillis((long) (measure * 1000)), 128, Duration.ofSeconds(120));
        long holdMillis = (long) (hold * 1000);
        LoadListener listener = new LoadListener() {
            @Override
            public void connectionsOpen(int open) {
                if (holdMillis > 0) {
                    System.out.printf(Locale.ROOT, "%d connections open; holding them for %.1f s%n", open, holdMillis / 1000.0);
                    try {
                        Thread.sleep(holdMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        LoadResult result = new LoadGenerator(config, listener).run();
        LatencyHistogram h = result.latency();
        System.out.printf(Locale.ROOT, "connections %d opened in %.3f s (%.0f handshakes/s)%n",
                result.connectionsOpened(), result.handshakeSeconds(), result.handshakesPerSecond());
        if (!idle) {
            System.out.printf(Locale.ROOT, "%,d messages in %.2f s: %,.0f msg/s, %.2f MB/s%n", result.messages(),
                    result.seconds(), result.messagesPerSecond(), result.megabytesPerSecond());
            System.out.printf(Locale.ROOT, "latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                    h.percentile(50) / 1e3, h.percentile(90) / 1e3, h.percentile(99) / 1e3, h.percentile(99.9) / 1e3,
                    h.max() / 1e3);
        }
        if (!result.ok()) {
            System.out.println("FAILED: " + result.failure());
            System.exit(1);
        }
    }
}
