package io.wsreactor.bench;

import io.wsreactor.examples.CommandLine;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * The load generator on the command line, against any WebSocket echo server; the main class of the bench module's
 * runnable jar:
 *
 * <pre>
 * java -jar bench/target/wsreactor-bench-VERSION.jar --url ws://127.0.0.1:8080/ \
 *     --connections 100 --window 16 --size 32 [--binary] [--rate 20000] [--idle [--hold SECONDS]] [--raw] \
 *     [--warmup 2] [--measure 5] [--trust CERT.pem]
 * </pre>
 *
 * <p>With {@code wss://} it speaks TLS 1.3 ({@code TLS_AES_128_GCM_SHA256}) and trusts exactly the certificate
 * given with {@code --trust}; every connection makes a full handshake (no session resumption).
 *
 * While it runs it keeps one progress line on standard error (phase, seconds, echoes checked, messages in flight);
 * at the end it prints a table of throughput and latency percentiles, with a bar per percentile. {@code --idle}
 * opens the connections, prints the handshake rate and, with {@code --hold}, keeps them open that long (to look at
 * the server's memory meanwhile). Exit status: 0 when every echo was right, 1 when anything went wrong, 2 for a bad
 * flag.
 */
public final class LoadMain {
    private static final String[] PERCENTILES = {"50", "90", "99", "99.9"};
    private static final int BAR_WIDTH = 40;

    private LoadMain() {
    }

    /**
     * Runs one load and prints the result.
     *
     * @param args the flags above ({@code --help} lists them)
     * @throws Exception if the load cannot be started
     */
    public static void main(String[] args) throws Exception {
        CommandLine cli = new CommandLine("wsreactor-bench", args);
        String url = cli.string("--url", "ws://127.0.0.1:8080/", "the echo server, ws://HOST:PORT/PATH or wss://...");
        String trust = cli.string("--trust", "", "with wss://: the server's certificate (PEM) to trust, and only it");
        int connections = cli.integer("--connections", 1, 1, 1_000_000, "connections to open");
        int window = cli.integer("--window", 1, 1, 1 << 16, "messages in flight per connection (closed loop)");
        int size = cli.integer("--size", 32, 0, 1 << 30, "payload bytes per message");
        boolean binary = cli.toggle("--binary", "binary frames instead of text");
        double rate = cli.decimal("--rate", 0, 0, 1e9, "messages per second over all connections; 0: closed loop");
        boolean idle = cli.toggle("--idle", "only open the connections and report the handshake rate");
        double hold = cli.decimal("--hold", 0, 0, 86_400, "with --idle: seconds to keep the connections open");
        boolean raw = cli.toggle("--raw", "a plain TCP echo: expect the very bytes sent back");
        double warmup = cli.decimal("--warmup", 2, 0, 3_600, "seconds of load before the measured window");
        double measure = cli.decimal("--measure", 5, 0.001, 3_600, "seconds measured");
        URI uri = parseUrl(cli, url);
        boolean secure = uri != null && "wss".equals(uri.getScheme());
        if (secure && trust.isEmpty()) {
            cli.reject("--trust", "wss:// needs the server's certificate (PEM) to trust", null);
        }
        if (secure && raw) {
            cli.reject("--raw", "does not go with wss://", null);
        }
        cli.finishOrExit();

        ClientTls tls = secure ? ClientTls.trusting(java.nio.file.Path.of(trust)) : null;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        LoadConfig config = new LoadConfig(uri.getHost(), port, path, connections, rate > 0 ? Math.max(window, 1024)
                : window, size, !binary, raw, rate, idle, Duration.ofMillis((long) (warmup * 1000)),
                Duration.ofMillis((long) (measure * 1000)), 128, Duration.ofSeconds(120), tls);
        System.out.printf(Locale.ROOT, "%s: %,d connection(s), %s%n", url, connections, idle ? "idle"
                : String.format(Locale.ROOT, "%s, %,d B %s, %.1f s warm-up + %.1f s measured",
                        rate > 0 ? String.format(Locale.ROOT, "%,.0f msg/s", rate) : "window " + window, size,
                        binary ? "binary" : "text", warmup, measure));
        Progress progress = new Progress(System.err, System.console() != null, (long) (hold * 1000));
        LoadResult result = new LoadGenerator(config, progress).run();
        progress.clear();
        System.out.print(table(result, idle));
        if (!result.ok()) {
            System.out.println("FAILED: " + result.failure());
            System.exit(1);
        }
    }

    private static URI parseUrl(CommandLine cli, String url) {
        try {
            URI uri = new URI(url);
            if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
                return cli.reject("--url", "\"" + url + "\" is not ws://HOST:PORT/PATH or wss://HOST:PORT/PATH", uri);
            }
            return uri;
        } catch (URISyntaxException e) {
            return cli.reject("--url", "\"" + url + "\" is not a URL: " + e.getReason(), null);
        }
    }

    /** The result as a markdown table, with the latency percentiles as bars scaled to the largest. */
    static String table(LoadResult result, boolean idle) {
        StringBuilder out = new StringBuilder("\n| connections | opened in | handshakes/s |");
        if (!idle) {
            out.append(" messages | msg/s | MB/s |");
        }
        out.append("\n|--:|--:|--:|").append(idle ? "" : "--:|--:|--:|").append('\n');
        out.append(String.format(Locale.ROOT, "| %,d | %.3f s | %,.0f |", result.connectionsOpened(),
                result.handshakeSeconds(), result.handshakesPerSecond()));
        if (!idle) {
            out.append(String.format(Locale.ROOT, " %,d | %,.0f | %.2f |", result.messages(),
                    result.messagesPerSecond(), result.megabytesPerSecond()));
        }
        out.append('\n');
        LatencyHistogram latency = result.latency();
        if (idle || latency.count() == 0) {
            return out.toString();
        }
        out.append("\nlatency from the intended send time (us)\n");
        double top = latency.max() / 1e3;
        for (String p : PERCENTILES) {
            appendBar(out, "p" + p, latency.percentile(Double.parseDouble(p)) / 1e3, top);
        }
        appendBar(out, "max", top, top);
        return out.toString();
    }

    private static void appendBar(StringBuilder out, String label, double micros, double top) {
        int width = top <= 0 ? 0 : (int) Math.round(BAR_WIDTH * micros / top);
        out.append(String.format(Locale.ROOT, "%6s %12.1f  %s%n", label, micros, "#".repeat(Math.max(1, width))));
    }

    /** The progress line on standard error; in idle mode, the hold. */
    private static final class Progress implements LoadListener {
        private final PrintStream out;
        private final boolean terminal;
        private final long holdMillis;
        private boolean shown;

        Progress(PrintStream out, boolean terminal, long holdMillis) {
            this.out = out;
            this.terminal = terminal;
            this.holdMillis = holdMillis;
        }

        @Override
        public void progress(String phase, double seconds, long echoed, long outstanding) {
            String line = String.format(Locale.ROOT, "%-9s %6.1f s  %,14d echoes checked  %,9d in flight", phase,
                    seconds, echoed, outstanding);
            // on a terminal the line is rewritten in place; into a file or pipe each update is a line of its own
            out.print(terminal ? "\r" + line : line + "\n");
            out.flush();
            shown = true;
        }

        void clear() {
            if (terminal && shown) {
                out.print("\r" + " ".repeat(80) + "\r");
                out.flush();
            }
        }

        @Override
        public void connectionsOpen(int open) {
            if (holdMillis > 0) {
                System.out.printf(Locale.ROOT, "%d connections open; holding them for %.1f s%n", open,
                        holdMillis / 1000.0);
                try {
                    Thread.sleep(holdMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
