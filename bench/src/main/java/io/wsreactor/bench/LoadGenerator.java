package io.wsreactor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A single-threaded java.nio WebSocket load generator that works against any echo server ({@code ws://host:port/}).
 *
 * <p>It opens C connections with a real handshake (random key, checked {@code Sec-WebSocket-Accept}), then either
 * keeps W masked messages of S bytes in flight on each (closed loop) or sends at a fixed total rate (open loop), and
 * checks every echo byte for byte. Latency is recorded per message from its <em>intended</em> send time: in closed
 * loop the moment its window slot freed, in fixed-rate mode its slot in the schedule, so a server stall shows up in
 * the percentiles instead of silently slowing the sender down (coordinated omission). In raw mode it speaks to a
 * plain TCP echo: the same frame bytes, masked, are expected back unchanged.
 *
 * <p>Every phase is bounded in time. {@link #run} is called on one thread; the generator spins on
 * {@link Selector#selectNow} while traffic flows (the load has its own core), so its own wake-up latency stays out
 * of the measurement.
 */
public final class LoadGenerator implements Connection.EchoListener {
    /** A connection with messages outstanding and no echo for this long has stalled: the run fails. */
    private static final long STALL_NANOS = 2_000_000_000L;
    private static final long STALL_CHECK_NANOS = 100_000_000L;
    private final LoadConfig config;
    private final LoadListener listener;
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private final LatencyHistogram latency = new LatencyHistogram();
    private static final long PROGRESS_NANOS = 1_000_000_000L;
    private boolean measuring;
    private long messages;
    private long payloadBytes;
    private long echoed;
    private long sent;

    /** A generator for one run of {@code config}, reporting its window to {@code listener}. */
    public LoadGenerator(LoadConfig config, LoadListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * Runs the load once: opens the connections, runs warm-up and measured window (or, in idle mode, reports the
     * open connections to the listener), and closes everything.
     *
     * @return what was measured; {@link LoadResult#failure()} says what went wrong if anything did
     * @throws IOException if the selector cannot be opened
     * @throws InterruptedException if interrupted
     */
    public LoadResult run() throws IOException, InterruptedException {
        PayloadPattern pattern = new PayloadPattern(config.size(), random);
        ClientHandshake handshake = new ClientHandshake(random.split());
        List<Connection> connections = new ArrayList<>(config.connections());
        try (Selector selector = Selector.open()) {
            if (config.idle()) {
                listener.measurementStarted();
            }
            long openStart = System.nanoTime();
            String failure = openAll(selector, connections, pattern, handshake);
            double handshakeSeconds = (System.nanoTime() - openStart) / 1e9;
            if (config.idle()) {
                listener.measurementEnded();
            }
            int opened = (int) connections.stream().filter(c -> c.state == Connection.State.OPEN).count();
            double seconds = 0;
            double sendingSeconds = 0;
            if (failure == null) {
                if (config.idle()) {
                    listener.connectionsOpen(opened);
                } else {
                    long[] window = new long[3];
                    failure = traffic(selector, connections, window);
                    seconds = (window[1] - window[0]) / 1e9;
                    sendingSeconds = (window[1] - window[2]) / 1e9;
                }
            }
            closeAll(connections);
            return new LoadResult(messages, payloadBytes, Math.max(0, seconds), latency, opened, handshakeSeconds,
                    sent, echoed, Math.max(0, sendingSeconds), failure);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    @Override
    public void echoed(long intendedNanos, long nowNanos, int payloadLength) {
        echoed++;
        if (measuring) {
            messages++;
            payloadBytes += payloadLength;
            latency.record(nowNanos - intendedNanos);
        }
    }

    private String openAll(Selector selector, List<Connection> connections, PayloadPattern pattern,
            ClientHandshake handshake) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        int started = 0;
        int inFlight = 0;
        int open = 0;
        String[] failure = new String[1];
        while (open < config.connections()) {
            while (started < config.connections() && inFlight < config.maxConnecting()) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection connection = new Connection(channel, config, pattern, random.split(), this);
                connections.add(connection);
                connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
                if (channel.connect(address)) {
                    connected(connection, handshake);
                }
                started++;
                inFlight++;
            }
            if (System.nanoTime() > deadline) {
                return "only " + open + " of " + config.connections() + " connections opened within "
                        + config.connectTimeout().toSeconds() + " s";
            }
            int[] opened = new int[1];
            selector.select(key -> {
                if (failure[0] != null) {
                    return;
                }
                Connection connection = (Connection) key.attachment();
                if (connection.state == Connection.State.OPEN) {
                    // open already (a late TLS session ticket, say): its bytes wait for the traffic phase
                    key.interestOps(0);
                    return;
                }
                try {
                    if (key.isConnectable() && connection.channel.finishConnect()) {
                        connected(connection, handshake);
                        return;
                    }
                    if (key.isWritable()) {
                        connection.flush();
                    }
                    if (key.isReadable()) {
                        String problem = connection.readHandshake(handshake);
                        if (problem != null) {
                            failure[0] = problem;
                        } else if (connection.state == Connection.State.OPEN) {
                            opened[0]++;
                        }
                        // over TLS the upgrade request waits for the TLS handshake a read may just have finished
                        connection.flush();
                    }
                    key.interestOps(connection.interestOps());
                } catch (IOException e) {
                    failure[0] = "connection failed during the handshake: " + e;
                }
            }, 10);
            if (failure[0] != null) {
                return failure[0];
            }
            open += opened[0];
            inFlight -= opened[0];
        }
        return null;
    }

    private void connected(Connection connection, ClientHandshake handshake) throws IOException {
        connection.startHandshake(handshake);
        connection.flush();
        connection.key.interestOps(connection.interestOps());
    }

    /**
     * Sends and checks until the measured window ends, then stops sending and waits for the echoes still in flight,
     * so that every message sent is checked. {@code window} receives the window's start and end and the moment
     * sending began, in {@link System#nanoTime()}.
     */
    private String traffic(Selector selector, List<Connection> connections, long[] window)
            throws IOException, InterruptedException {
        // A short pause between the handshakes and the first message: Java-WebSocket 1.6.0 can leave a frame that
        // arrives right behind its 101 response unprocessed until more bytes come (seen with one connection and a
        // window of 1), and every server gets the same pause.
        Thread.sleep(100);
        for (Connection connection : connections) {
            connection.key.interestOps(connection.interestOps());
        }
        boolean fixedRate = config.ratePerSecond() > 0;
        long start = System.nanoTime();
        window[2] = start;
        long measureStart = start + config.warmup().toNanos();
        long measureEnd = measureStart + config.measure().toNanos();
        double periodNanos = fixedRate ? 1e9 * config.connections() / config.ratePerSecond() : 0;
        for (int i = 0; i < connections.size(); i++) {
            // Spread the connections' schedules evenly over one period so the total rate is smooth.
            connections.get(i).nextDueNanos = start + (long) (periodNanos * i / connections.size());
        }
        double[] dueFraction = new double[connections.size()];
        String[] failure = new String[1];
        long nextStallCheck = start + STALL_CHECK_NANOS;
        long nextProgress = start + PROGRESS_NANOS;
        boolean draining = false;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now >= measureStart && window[0] == 0) {
                measuring = true;
                window[0] = now;
                listener.measurementStarted();
            }
            if (now >= nextStallCheck) {
                nextStallCheck = now + STALL_CHECK_NANOS;
                for (Connection connection : connections) {
                    if (connection.stalled(now, STALL_NANOS)) {
                        failure[0] = "stalled: a connection got no echo for " + STALL_NANOS / 1_000_000_000
                                + " s with " + connection.outstanding() + " message(s) outstanding";
                        break;
                    }
                }
            }
            if (failure[0] == null && !draining && now >= measureEnd) {
                measuring = false;
                draining = true;
                window[1] = now;
                listener.measurementEnded();
            }
            if (failure[0] == null && draining && sent == echoed) {
                return null;
            }
            if (now >= nextProgress) {
                nextProgress = now + PROGRESS_NANOS;
                listener.progress(draining ? "draining" : measuring ? "measuring" : "warm-up", (now - start) / 1e9,
                        echoed, sent - echoed);
            }
            for (int i = 0; i < connections.size(); i++) {
                Connection connection = connections.get(i);
                if (draining) {
                    // nothing more to send: only the flush below, for what is already queued
                } else if (fixedRate) {
                    while (connection.nextDueNanos <= now && connection.canSend(config.window())) {
                        connection.queueMessage(connection.nextDueNanos);
                        sent++;
                        dueFraction[i] += periodNanos;
                        long whole = (long) dueFraction[i];
                        dueFraction[i] -= whole;
                        connection.nextDueNanos += whole;
                    }
                } else {
                    while (connection.canSend(config.window())) {
                        connection.queueMessage(connection.slotFreedOr(now));
                        sent++;
                    }
                }
                if (!connection.flush()) {
                    connection.key.interestOps(connection.interestOps());
                }
            }
            selector.selectNow(key -> {
                if (failure[0] != null) {
                    return;
                }
                Connection connection = (Connection) key.attachment();
                try {
                    if (key.isWritable() && connection.flush()) {
                        key.interestOps(connection.interestOps());
                    }
                    if (key.isReadable()) {
                        String problem = connection.readEchoes(System.nanoTime());
                        if (problem != null) {
                            failure[0] = problem;
                        }
                    }
                } catch (IOException e) {
                    failure[0] = "connection failed: " + e;
                }
            });
            if (failure[0] != null) {
                measuring = false;
                if (!draining) {
                    window[1] = System.nanoTime();
                }
                if (window[0] == 0) {
                    window[0] = window[1];
                }
                return failure[0];
            }
        }
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.queueClose();
                connection.flush();
            } catch (IOException ignored) {
                // the server may have gone already; the socket is closed below either way
            }
            connection.close();
        }
    }
}
