package io.wsreactor.robustness;

import io.wsreactor.ServerOptions;
import io.wsreactor.ServerStats;
import io.wsreactor.WsServer;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak: a server (futures-only echo) and, in the same JVM, {@code --connections} clients echoing at a moderate
 * rate while some disconnect at random (a clean close, a TCP reset, or a close frame never answered) and are replaced
 * by new ones. Runs {@code --minutes} (10 by default) and prints, each minute: used heap after GC, open fds,
 * messages per second, errors, reconnects, open connections. Exits 1 if any echo was wrong or any connect failed.
 *
 * <p>Run with {@code bench/soak/run.sh [--minutes N] [--connections N] [--rate MSGS_PER_S_PER_CONN] [--churn
 * PERCENT_PER_S] [--seed N] [--reactors N]}.
 */
public final class SoakMain {
    private final int connections;
    private final double rate;
    private final double churnPerSecond;
    private final long seed;
    private final Duration length;
    private final LongAdder messages = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicLong firstErrorPrinted = new AtomicLong();
    private volatile boolean stop;
    private InetSocketAddress address;

    private SoakMain(int connections, double rate, double churnPerSecond, long seed, Duration length) {
        this.connections = connections;
        this.rate = rate;
        this.churnPerSecond = churnPerSecond;
        this.seed = seed;
        this.length = length;
    }

    /**
     * Runs the soak.
     *
     * @param args {@code --minutes N --connections N --rate R --churn P --seed S --reactors N}
     * @throws Exception on a setup failure
     */
    public static void main(String[] args) throws Exception {
        double minutes = 10;
        int connections = 1000;
        double rate = 2;
        double churn = 1;
        long seed = 42;
        int reactors = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--churn" -> churn = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--reactors" -> reactors = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        SoakMain soak = new SoakMain(connections, rate, churn / 100, seed,
                Duration.ofMillis((long) (minutes * 60_000)));
        System.exit(soak.run(reactors) ? 0 : 1);
    }

    private boolean run(int reactors) throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0, ServerOptions.builder()
                .reactors(reactors)
                .backlog(4096)
                .closeTimeout(Duration.ofSeconds(2))
                .pingInterval(Duration.ofSeconds(20))
                .pongTimeout(Duration.ofSeconds(20))
                .build());
        server.listen();
        address = server.localAddress();
        AsyncEchoApp app = AsyncEchoApp.start(server);
        int threads = Math.max(1, Math.min(50, connections / 20));
        System.out.printf("soak: %d connections on %d client threads, %.1f msg/s each, %.1f%% reconnect per second, "
                + "%s, seed %d, server %s with %d reactor(s)%n", connections, threads, rate, churnPerSecond * 100, length,
                seed, address, reactors);
        System.out.printf("%6s %10s %6s %10s %8s %10s %6s %s%n", "minute", "heapMiB", "fds", "msg/s", "errors",
                "reconnects", "open", "closes");
        long heapStart = Probes.heapAfterGc();
        int fdsStart = Probes.openFds();
        System.out.printf("%6s %10.1f %6d %10s %8s %10s %6s%n", "start", heapStart / (double) Probes.MIB,
                fdsStart, "-", "-", "-", "-");

        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = connections * t / threads;
            int to = connections * (t + 1) / threads;
            long workerSeed = seed * 1_000_003 + t;
            Thread worker = new Thread(() -> drive(to - from, workerSeed, from), "soak-client-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }

        long start = System.nanoTime();
        long end = start + length.toNanos();
        long lastMessages = 0;
        long lastAt = start;
        int minute = 0;
        while (System.nanoTime() - end < 0) {
            long nextReport = start + (minute + 1) * 60_000_000_000L;
            long sleepNanos = Math.min(nextReport, end) - System.nanoTime();
            if (sleepNanos > 0) {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            }
            minute++;
            long now = System.nanoTime();
            long total = messages.sum();
            double perSecond = (total - lastMessages) / ((now - lastAt) / 1e9);
            lastMessages = total;
            lastAt = now;
            ServerStats stats = server.stats();
            System.out.printf("%6d %10.1f %6d %10.0f %8d %10d %6d %s%n", minute,
                    Probes.heapAfterGc() / (double) Probes.MIB, Probes.openFds(), perSecond, errors.sum(),
                    reconnects.sum(), stats.openConnections(), stats.closesByCode());
        }
        stop = true;
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        server.shutdown(Duration.ofSeconds(5)).get();
        ServerStats stats = server.stats();
        long heapEnd = Probes.heapAfterGc();
        System.out.printf("end: messages %d, errors %d, reconnects %d; heap after GC %.1f -> %.1f MiB; fds %d -> %d; "
                + "app accepted %d, echoed %d%n", messages.sum(), errors.sum(), reconnects.sum(),
                heapStart / (double) Probes.MIB, heapEnd / (double) Probes.MIB, fdsStart, Probes.openFds(),
                app.accepted.get(), app.echoed.get());
        System.out.println("server stats: " + stats);
        return errors.sum() == 0;
    }

    /** One client thread: its connections in turn, each sending a message and checking the echo at the rate. */
    private void drive(int count, long workerSeed, int firstId) {
        Random random = new Random(workerSeed);
        RawClient[] clients = new RawClient[count];
        long[] sequence = new long[count];
        InetAddress[] sources = sources();
        for (int i = 0; i < count && !stop; i++) {
            clients[i] = connect(sources[(firstId + i) % sources.length]);
        }
        // One pass over this thread's connections sends one message on each; pace passes to the rate.
        long passNanos = (long) (1e9 / rate);
        double churnPerPass = churnPerSecond / rate;
        long nextPass = System.nanoTime();
        while (!stop) {
            for (int i = 0; i < count && !stop; i++) {
                if (clients[i] == null) {
                    clients[i] = connect(sources[(firstId + i) % sources.length]);
                    continue;
                }
                if (random.nextDouble() < churnPerPass) {
                    disconnect(clients[i], random);
                    reconnects.increment();
                    clients[i] = connect(sources[(firstId + i) % sources.length]);
                    continue;
                }
                if (!echo(clients[i], firstId + i, sequence[i]++, random)) {
                    closeQuietly(clients[i]);
                    clients[i] = null;
                }
            }
            nextPass += passNanos;
            long wait = nextPass - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                nextPass = System.nanoTime(); // behind: do not try to catch up in a burst
            }
        }
        for (RawClient client : clients) {
            if (client != null) {
                try {
                    client.closeCleanly();
                } catch (IOException e) {
                    closeQuietly(client);
                }
            }
        }
    }

    private boolean echo(RawClient client, int id, long seq, Random random) {
        String text = "c" + id + " m" + seq + " " + "x".repeat(random.nextInt(200));
        try {
            client.sendText(text);
            RawClient.Received frame = client.readFrame();
            while (frame.opcode() == 0x9) { // a keepalive ping: answer it, then read the echo
                client.sendFrame(0x8A, frame.payload());
                frame = client.readFrame();
            }
            if (frame.opcode() != 0x1 || !text.equals(new String(frame.payload(), StandardCharsets.UTF_8))) {
                error("wrong echo on c" + id + ": " + frame.opcode() + " " + frame.text());
                return false;
            }
            messages.increment();
            return true;
        } catch (IOException e) {
            error("echo on c" + id + " failed: " + e);
            return false;
        }
    }

    /** Leaves in one of three ways: a clean close handshake, a TCP reset, or a close frame and no waiting. */
    private void disconnect(RawClient client, Random random) {
        int how = random.nextInt(10);
        try {
            if (how < 6) {
                if (client.closeCleanly() != 1000) {
                    error("clean close answered with another code");
                }
            } else if (how < 8) {
                client.abort();
            } else {
                client.sendClose(1001, "leaving");
                client.close();
            }
        } catch (IOException e) {
            error("disconnect failed: " + e);
            closeQuietly(client);
        }
    }

    private RawClient connect(InetAddress source) {
        try {
            return RawClient.open(address, 0, source);
        } catch (IOException e) {
            error("connect failed: " + e);
            return null;
        }
    }

    private void error(String message) {
        errors.increment();
        if (firstErrorPrinted.getAndIncrement() < 20) {
            System.out.println("error: " + message);
        }
    }

    private static void closeQuietly(RawClient client) {
        try {
            client.abort();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static InetAddress[] sources() {
        InetAddress[] sources = new InetAddress[4];
        for (int i = 0; i < sources.length; i++) {
            try {
                sources[i] = InetAddress.getByName("127.0.0." + (i + 1));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return sources;
    }
}
