package io.wsreactor.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocket clients that upgrade and then read and discard everything, on one selector thread: the subscribers of
 * {@link FanoutBenchmark}, run in a process of their own so that neither process needs more than about one file
 * descriptor per connection. Arguments: port, connections. Ends when its standard input closes (its parent ended).
 */
public final class DrainClients {
    private DrainClients() {
    }

    /** Connects and drains until standard input closes. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        Selector selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String request = "GET /" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            channel.register(selector, SelectionKey.OP_READ);
            if (i % 256 == 255) {
                drain(selector, 0);
            }
        }
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    drain(selector, 100);
                }
            } catch (IOException e) {
                e.printStackTrace();
            }
        }, "drain");
        reader.setDaemon(true);
        reader.start();
        while (System.in.read() >= 0) {
            // until the parent goes away
        }
    }

    private static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(256 * 1024);

    private static void drain(Selector selector, long timeoutMillis) throws IOException {
        if (timeoutMillis == 0) {
            selector.selectNow();
        } else {
            selector.select(timeoutMillis);
        }
        for (SelectionKey key : selector.selectedKeys()) {
            SocketChannel channel = (SocketChannel) key.channel();
            BUFFER.clear();
            try {
                if (channel.read(BUFFER) < 0) {
                    key.cancel();
                    channel.close();
                }
            } catch (IOException e) {
                key.cancel();
                channel.close();
            }
        }
        selector.selectedKeys().clear();
    }
}
