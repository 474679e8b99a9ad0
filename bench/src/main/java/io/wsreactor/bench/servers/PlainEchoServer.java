package io.wsreactor.bench.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The limit of the comparison: a plain TCP echo on one java.nio selector thread, with no HTTP and no framing. It
 * reads whatever arrives into one shared buffer and writes it straight back; only when the socket will not take
 * all of it does the connection get a buffer of its own, and it is not read again until that drains (so memory per
 * idle connection is just the JDK's channel and key).
 *
 * <p>{@code java -cp wsreactor-bench.jar io.wsreactor.bench.servers.PlainEchoServer --host 127.0.0.1 --port 9000}
 */
public final class PlainEchoServer implements AutoCloseable {
    private final Selector selector;
    private final ServerSocketChannel server;
    private final ByteBuffer shared = ByteBuffer.allocateDirect(256 * 1024);
    private volatile boolean running = true;

    /**
     * Binds the server; {@link #run} serves it.
     *
     * @param port the port, or 0 for an ephemeral one
     * @throws IOException if the port cannot be bound
     */
    public PlainEchoServer(String host, int port) throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(host, port), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** The bound port. */
    public int port() {
        return server.socket().getLocalPort();
    }

    /** Serves until {@link #close}, then closes every connection; call on the one thread that owns the selector. */
    public void run() {
        try {
            while (running) {
                selector.select(this::handle);
            }
        } catch (IOException e) {
            System.err.println("plain echo stopped: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            closeQuietly(selector);
        }
    }

    private void handle(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                SocketChannel channel;
                while ((channel = server.accept()) != null) {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.register(selector, SelectionKey.OP_READ);
                }
                return;
            }
            SocketChannel channel = (SocketChannel) key.channel();
            if (key.isWritable()) {
                ByteBuffer pending = (ByteBuffer) key.attachment();
                channel.write(pending);
                if (!pending.hasRemaining()) {
                    key.attach(null);
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            if (key.isReadable()) {
                shared.clear();
                if (channel.read(shared) < 0) {
                    key.cancel();
                    channel.close();
                    return;
                }
                shared.flip();
                channel.write(shared);
                if (shared.hasRemaining()) {
                    ByteBuffer pending = ByteBuffer.allocate(shared.remaining());
                    pending.put(shared).flip();
                    key.attach(pending);
                    key.interestOps(SelectionKey.OP_WRITE);
                }
            }
        } catch (IOException e) {
            closeQuietly(key);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        closeQuietly(key.channel());
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already failing or shutting down; the resource is gone either way
        }
    }

    /** Makes {@link #run} stop and close every connection; safe from any thread, more than once. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --host H --port P}
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Arguments arguments = Arguments.parse(args);
        PlainEchoServer echo = new PlainEchoServer(arguments.host(), arguments.port());
        System.out.println("plain TCP echo listening on " + arguments.host() + ":" + echo.port());
        echo.run();
    }
}
