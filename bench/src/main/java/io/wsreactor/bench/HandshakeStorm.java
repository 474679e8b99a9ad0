package io.wsreactor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A storm of TLS handshakes against a {@code wss://} server, on a thread of its own: it keeps {@code concurrency}
 * connections handshaking at once, each sending the same recorded ClientHello and closing as soon as the server's
 * answer (ServerHello through Finished: its key exchange and signature done) starts to arrive, then opens the next.
 *
 * <p>Replaying one ClientHello costs the client almost nothing (no key exchange, no signature check), so the storm
 * loads the server and not the load generator's core; the server cannot tell it from a fresh one (TLS 1.3 without
 * a pre-shared key has no replay check). The server's work that is left out is checking the client's Finished, a
 * hash. Bounded: {@link #close} ends it, and it ends by itself after {@code bound}.
 */
final class HandshakeStorm implements AutoCloseable {
    private final InetSocketAddress address;
    private final byte[] clientHello;
    private final int concurrency;
    private final long deadline;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long answered;
    private volatile long failed;
    private volatile String problem;
    /** Storm connections open now (the storm's thread only). */
    private int open;

    /** Starts the storm against {@code port} on 127.0.0.1. */
    HandshakeStorm(int port, ClientTls tls, int concurrency, Duration bound) throws IOException {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.clientHello = tls.clientHello();
        this.concurrency = concurrency;
        this.deadline = System.nanoTime() + bound.toNanos();
        this.thread = new Thread(this::run, "handshake-storm");
        thread.setDaemon(true);
        thread.start();
    }

    /** Handshakes the server has answered so far. */
    long answered() {
        return answered;
    }

    /** Connections that ended or failed before an answer (refused, reset, closed by the server). */
    long failed() {
        return failed;
    }

    /** Why the storm stopped early, or null. */
    String problem() {
        return problem;
    }

    private void run() {
        ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
        try (Selector selector = Selector.open()) {
            while (!stopped && System.nanoTime() < deadline) {
                for (; open < concurrency; open++) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.register(selector, channel.connect(address) ? write(channel) : SelectionKey.OP_CONNECT);
                }
                selector.select(key -> {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            key.interestOps(write(channel));
                            return;
                        }
                        scratch.clear();
                        int n = channel.read(scratch);
                        if (n == 0) {
                            return;
                        }
                        if (n > 0) {
                            answered++;
                        } else {
                            failed++;
                        }
                    } catch (IOException e) {
                        failed++;
                    }
                    closeQuietly(channel);
                    open--;
                }, 10);
            }
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
        } catch (IOException | RuntimeException e) {
            problem = e.toString();
        }
    }

    /** Sends the ClientHello (a few hundred bytes: the socket takes them at once) and waits for the answer. */
    private int write(SocketChannel channel) throws IOException {
        channel.write(ByteBuffer.wrap(clientHello));
        return SelectionKey.OP_READ;
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do for a storm connection
        }
    }

    /** Stops the storm and waits (up to 10 s) for its connections to close; an interrupt ends the wait and is kept. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
