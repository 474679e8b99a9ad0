package io.wsreactor;

import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * Many raw WebSocket clients on one selector thread, for fan-out tests: client {@code i} upgrades on path
 * {@code "/i"}, then every frame the server sends it is handed to a {@link Sink}. Clients for which {@code stalled}
 * is true never read after the handshake (their receive buffer is small), like subscribers that stopped reading.
 * The clients send nothing but the upgrade request.
 */
final class FanoutClients implements AutoCloseable {
    /** Told every frame a client received, on the selector thread. */
    interface Sink {
        /** @param firstByte FIN, RSV and opcode as on the wire */
        void onFrame(int client, int firstByte, byte[] payload);
    }

    private static final int MAX_CONNECTING = 200;
    private static final int STALLED_RECEIVE_BUFFER = 4096;

    private final InetSocketAddress server;
    private final int count;
    private final IntPredicate stalled;
    private final Selector selector;
    private final SocketChannel[] channels;
    private final Client[] clients;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private volatile boolean running = true;
    private Thread thread;
    private volatile Throwable failure;

    FanoutClients(InetSocketAddress server, int count, IntPredicate stalled) throws IOException {
        this.server = server;
        this.count = count;
        this.stalled = stalled;
        this.selector = Selector.open();
        this.channels = new SocketChannel[count];
        this.clients = new Client[count];
    }

    /** Connects and upgrades every client, at most {@value #MAX_CONNECTING} at a time. */
    void connectAll(long timeoutMillis) throws IOException, TimeoutException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int next = 0;
        int upgraded = 0;
        int inFlight = 0;
        while (upgraded < count) {
            while (next < count && inFlight < MAX_CONNECTING) {
                SocketChannel channel = SocketChannel.open();
                if (stalled.test(next)) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
                }
                channel.connect(server); // blocking connect to 127.0.0.1: quick, and the backlog is never flooded
                channel.configureBlocking(false);
                channels[next] = channel;
                clients[next] = new Client(next);
                channel.write(ByteBuffer.wrap(RawClient.upgradeRequest("/" + next)));
                channel.register(selector, SelectionKey.OP_READ, clients[next]);
                next++;
                inFlight++;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new TimeoutException(upgraded + " of " + count + " clients upgraded in time");
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Client client = (Client) key.attachment();
                if (!client.upgraded && readHandshake(client)) {
                    upgraded++;
                    inFlight--;
                    if (stalled.test(client.index)) {
                        key.interestOps(0);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private boolean readHandshake(Client client) throws IOException {
        readBuffer.clear();
        int n = channels[client.index].read(readBuffer);
        if (n < 0) {
            throw new IOException("client " + client.index + ": the server closed during the handshake");
        }
        readBuffer.flip();
        client.append(readBuffer);
        String head = new String(client.buffer, 0, client.length, StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("client " + client.index + ": " + head.lines().findFirst().orElse(""));
        }
        client.consume(end + 4);
        client.upgraded = true;
        return true;
    }

    /** Starts reading on a daemon thread; frames already received with the handshake are handed on first. */
    void start(Sink sink) {
        thread = new Thread(() -> {
            try {
                for (Client client : clients) {
                    client.parse(sink);
                }
                while (running) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Client client = (Client) key.attachment();
                        if (key.isValid() && key.isReadable()) {
                            read(client, key, sink);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, "fanout-clients");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Client client, SelectionKey key, Sink sink) throws IOException {
        for (int i = 0; i < 4; i++) {
            readBuffer.clear();
            int n;
            try {
                n = channels[client.index].read(readBuffer);
            } catch (IOException e) {
                n = -1; // reset by the server (a peer it closed): the sink saw what came before
            }
            if (n < 0) {
                key.cancel();
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            client.append(readBuffer);
            client.parse(sink);
        }
    }

    /** Makes a stalled client read from now on. */
    void resume(int index) {
        SelectionKey key = channels[index].keyFor(selector);
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
            selector.wakeup();
        }
    }

    /** Closes one client's socket at once. */
    void abort(int index) throws IOException {
        channels[index].close();
    }

    /** The failure of the reading thread, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SocketChannel channel : channels) {
            if (channel != null) {
                channel.close();
            }
        }
        selector.close();
    }

    /** One client's unparsed bytes. */
    private static final class Client {
        final int index;
        boolean upgraded;
        byte[] buffer = new byte[256];
        int length;

        Client(int index) {
            this.index = index;
        }

        void append(ByteBuffer bytes) {
            if (length + bytes.remaining() > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + bytes.remaining()));
            }
            int n = bytes.remaining();
            bytes.get(buffer, length, n);
            length += n;
        }

        void consume(int n) {
            System.arraycopy(buffer, n, buffer, 0, length - n);
            length -= n;
        }

        /** Hands on every whole frame buffered. */
        void parse(Sink sink) {
            int at = 0;
            while (length - at >= 2) {
                int first = buffer[at] & 0xFF;
                int second = buffer[at + 1] & 0x7F;
                int header = 2;
                long payloadLength = second;
                if (second == 126) {
                    if (length - at < 4) {
                        break;
                    }
                    payloadLength = ((buffer[at + 2] & 0xFF) << 8) | (buffer[at + 3] & 0xFF);
                    header = 4;
                } else if (second == 127) {
                    if (length - at < 10) {
                        break;
                    }
                    payloadLength = 0;
                    for (int i = 0; i < 8; i++) {
                        payloadLength = (payloadLength << 8) | (buffer[at + 2 + i] & 0xFF);
                    }
                    header = 10;
                }
                if (length - at - header < payloadLength) {
                    break;
                }
                byte[] payload = Arrays.copyOfRange(buffer, at + header, at + header + (int) payloadLength);
                at += header + (int) payloadLength;
                sink.onFrame(index, first, payload);
            }
            if (at > 0) {
                consume(at);
            }
        }
    }
}
