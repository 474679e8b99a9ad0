package io.wsreactor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The load of the broadcast scenario, on one selector thread: one publisher sends {@code size}-byte binary messages
 * at a fixed rate to a server that publishes every message to every connected peer; {@code subscribers} connections
 * read them, and {@code stalled} more never read after their handshake (a 4 KiB receive buffer), like subscribers
 * that stopped reading. Each message carries its intended send time and its sequence number: a healthy subscriber's
 * deliveries in the measured window are counted, its publish-to-receipt latency (from the intended time, so a server
 * that stalls is charged for it) recorded, and every gap in its sequence counted as lost.
 */
final class BroadcastLoad {
    /** What to run. */
    record Settings(int subscribers, int stalled, int rate, int size, int warmupSeconds, int measureSeconds) {
    }

    /** What a run measured. {@code error} is null when the run was sound. */
    record Result(long deliveries, double seconds, long lost, long sent, LatencyHistogram latency, String error) {
        double deliveriesPerSecond() {
            return deliveries / seconds;
        }
    }

    /** Told when the measured window starts and ends (the runner samples the server's CPU time then). */
    interface Window {
        void started();

        void ended();
    }

    private static final int STALLED_RECEIVE_BUFFER = 4096;
    private static final long DRAIN_NANOS = 2_000_000_000L;

    private final Settings settings;
    private final InetSocketAddress server;
    private final Selector selector;
    private final Peer[] peers;
    private final Peer publisher;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final ByteBuffer out = ByteBuffer.allocate(1 << 20);
    private final SplittableRandom random = new SplittableRandom(42);
    private final LatencyHistogram latency = new LatencyHistogram();
    private long measureStart;
    private long measureEnd;
    private long deliveries;
    private long sent;
    private String error;

    private BroadcastLoad(InetSocketAddress server, Settings settings) throws IOException {
        this.server = server;
        this.settings = settings;
        this.selector = Selector.open();
        this.peers = new Peer[settings.subscribers() + settings.stalled()];
        this.publisher = new Peer(-1, false);
    }

    /** Runs the load against {@code host:port}; the server must publish what any peer sends to every peer. */
    static Result run(String host, int port, Settings settings, Window window) throws IOException {
        BroadcastLoad load = new BroadcastLoad(new InetSocketAddress(host, port), settings);
        try {
            return load.run(window);
        } finally {
            load.close();
        }
    }

    private Result run(Window window) throws IOException {
        ClientHandshake handshake = new ClientHandshake(new SplittableRandom(7));
        connect(publisher, handshake);
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new Peer(i, i >= settings.subscribers());
            connect(peers[i], handshake);
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!allUpgraded()) {
            if (System.nanoTime() > deadline) {
                return new Result(0, 1, 0, 0, latency, "not every connection upgraded within 120 s");
            }
            poll(100);
        }
        long start = System.nanoTime() + 1_000_000_000L; // a second for servers that join peers after the 101
        measureStart = start + settings.warmupSeconds() * 1_000_000_000L;
        measureEnd = measureStart + settings.measureSeconds() * 1_000_000_000L;
        boolean inWindow = false;
        while (error == null) {
            long now = System.nanoTime();
            if (!inWindow && now >= measureStart) {
                inWindow = true;
                window.started();
            }
            if (inWindow && now >= measureEnd && window != null) {
                window.ended();
                window = null;
            }
            if (now >= measureEnd + DRAIN_NANOS) {
                break;
            }
            if (now >= start && now < measureEnd) {
                publish(start, now);
            }
            poll(out.position() > 0 ? 0 : 1);
        }
        long lost = 0;
        for (int i = 0; i < settings.subscribers(); i++) {
            lost += peers[i].lost + Math.max(0, sent - 1 - peers[i].lastSequence);
        }
        return new Result(deliveries, settings.measureSeconds(), lost, sent, latency, error);
    }

    private boolean allUpgraded() {
        if (!publisher.upgraded) {
            return false;
        }
        for (Peer peer : peers) {
            if (!peer.upgraded) {
                return false;
            }
        }
        return true;
    }

    private void connect(Peer peer, ClientHandshake handshake) throws IOException {
        SocketChannel channel = SocketChannel.open();
        if (peer.stalled) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(server);
        channel.configureBlocking(false);
        peer.channel = channel;
        peer.key = handshake.newKey();
        peer.handshake = handshake;
        channel.write(ByteBuffer.wrap(ClientHandshake.request("127.0.0.1:" + server.getPort(), "/", peer.key)));
        channel.register(selector, SelectionKey.OP_READ, peer);
        if (peer.index % 128 == 127) {
            poll(0); // take the 101s as they come, so nothing piles up
        }
    }

    /** Sends the messages due by now, each stamped with its intended send time. */
    private void publish(long start, long now) throws IOException {
        long due = (now - start) * settings.rate() / 1_000_000_000L + 1;
        int frameLength = ClientFrames.maskedFrameLength(settings.size());
        byte[] frame = new byte[frameLength];
        while (sent < due && out.remaining() >= frameLength) {
            long intended = start + sent * 1_000_000_000L / settings.rate();
            int mask = random.nextInt();
            int at = ClientFrames.writeMaskedHeader(frame, 0, 2, settings.size(), mask);
            Arrays.fill(frame, at, frameLength, (byte) 0);
            ByteBuffer.wrap(frame, at, 16).putLong(intended).putLong(sent);
            ClientFrames.mask(frame, at, settings.size(), mask);
            out.put(frame);
            sent++;
        }
        out.flip();
        publisher.channel.write(out);
        out.compact();
    }

    private void poll(long timeoutMillis) throws IOException {
        if (timeoutMillis == 0) {
            selector.selectNow();
        } else {
            selector.select(timeoutMillis);
        }
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid() && key.isReadable()) {
                read((Peer) key.attachment(), key);
            }
        }
        selector.selectedKeys().clear();
    }

    private void read(Peer peer, SelectionKey key) throws IOException {
        readBuffer.clear();
        int n;
        try {
            n = peer.channel.read(readBuffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            key.cancel();
            if (!peer.stalled && error == null && peer != publisher) {
                error = "the server closed subscriber " + peer.index;
            }
            return;
        }
        readBuffer.flip();
        peer.append(readBuffer);
        if (!peer.upgraded) {
            int end = ClientHandshake.headEnd(peer.buffer, peer.length);
            if (end < 0) {
                return;
            }
            String problem = peer.handshake.check(new String(peer.buffer, 0, end, StandardCharsets.ISO_8859_1),
                    peer.key);
            if (problem != null) {
                error = "handshake: " + problem;
                return;
            }
            peer.consume(end);
            peer.upgraded = true;
            if (peer.stalled) {
                key.interestOps(0);
                return;
            }
        }
        parse(peer);
    }

    private void parse(Peer peer) {
        long now = System.nanoTime();
        byte[] b = peer.buffer;
        int at = 0;
        while (peer.length - at >= 2) {
            int length = b[at + 1] & 0x7F;
            int header = 2;
            if (length == 126) {
                if (peer.length - at < 4) {
                    break;
                }
                length = (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
                header = 4;
            } else if (length == 127) {
                error = "an unexpectedly large frame";
                return;
            }
            if (peer.length - at - header < length) {
                break;
            }
            if ((b[at] & 0x0F) == 2 && length >= 16 && peer != publisher) {
                ByteBuffer payload = ByteBuffer.wrap(b, at + header, 16);
                long intended = payload.getLong();
                long sequence = payload.getLong();
                if (peer.lastSequence >= 0 && sequence != peer.lastSequence + 1) {
                    peer.lost += Math.max(0, sequence - peer.lastSequence - 1);
                }
                peer.lastSequence = sequence;
                if (intended >= measureStart && intended < measureEnd) {
                    latency.record(now - intended);
                }
                if (now >= measureStart && now < measureEnd) {
                    deliveries++;
                }
            }
            at += header + length;
        }
        if (at > 0) {
            peer.consume(at);
        }
    }

    private void close() throws IOException {
        if (publisher.channel != null) {
            publisher.channel.close();
        }
        for (Peer peer : peers) {
            if (peer != null && peer.channel != null) {
                peer.channel.close();
            }
        }
        selector.close();
    }

    /** One connection's state. */
    private static final class Peer {
        final int index;
        final boolean stalled;
        SocketChannel channel;
        ClientHandshake handshake;
        String key;
        boolean upgraded;
        byte[] buffer = new byte[512];
        int length;
        long lastSequence = -1;
        long lost;

        Peer(int index, boolean stalled) {
            this.index = index;
            this.stalled = stalled;
        }

        void append(ByteBuffer bytes) {
            int n = bytes.remaining();
            if (length + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
            }
            bytes.get(buffer, length, n);
            length += n;
        }

        void consume(int n) {
            System.arraycopy(buffer, n, buffer, 0, length - n);
            length -= n;
        }
    }
}
