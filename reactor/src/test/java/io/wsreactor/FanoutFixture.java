package io.wsreactor;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntPredicate;

/**
 * A listening server and {@code count} raw clients in this JVM ({@link FanoutClients}); {@link #peer(int)} is the
 * server's peer of client {@code i} (matched by the upgrade path {@code "/i"}), accepted by a daemon thread.
 */
final class FanoutFixture implements AutoCloseable {
    final WsServer server;
    final FanoutClients clients;
    private final AtomicReferenceArray<WsPeer> peers;

    FanoutFixture(StartedServer started, ServerOptions options, int count, IntPredicate stalled)
            throws IOException, TimeoutException {
        server = started.start(options);
        peers = new AtomicReferenceArray<>(count);
        Thread acceptor = new Thread(() -> {
            try {
                for (WsPeer peer; (peer = server.accept()) != null; ) {
                    peers.set(Integer.parseInt(peer.request().path().substring(1)), peer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fanout-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        clients = new FanoutClients(server.localAddress(), count, stalled);
        clients.connectAll(60_000);
        if (!Await.until(() -> {
            for (int i = 0; i < count; i++) {
                if (peers.get(i) == null) {
                    return false;
                }
            }
            return true;
        }, 60_000)) {
            throw new TimeoutException("not every client was accepted");
        }
    }

    WsPeer peer(int i) {
        return peers.get(i);
    }

    int count() {
        return peers.length();
    }

    @Override
    public void close() throws IOException {
        clients.close();
    }
}
