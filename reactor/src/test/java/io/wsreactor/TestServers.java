package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server on 127.0.0.1 port 0 that echoes every peer on its own thread; closed with shutdown. */
final class TestServers {
    private TestServers() {
    }

    static WsServer listening(ServerOptions options) throws IOException {
        WsServer server = WsServer.create("127.0.0.1", 0, options);
        server.listen();
        return server;
    }

    /** An echo server: accepts in a daemon thread, echoes each peer on a daemon thread. */
    static final class Echo implements AutoCloseable {
        final WsServer server;
        final List<WsPeer> peers = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        Echo(ServerOptions options) throws IOException {
            server = listening(options);
            Thread acceptor = new Thread(this::acceptLoop, "test-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        Echo() throws IOException {
            this(ServerOptions.defaults());
        }

        private void acceptLoop() {
            try {
                WsPeer peer;
                while ((peer = server.accept()) != null) {
                    peers.add(peer);
                    WsPeer accepted = peer;
                    Thread thread = new Thread(() -> echo(accepted), "test-echo");
                    thread.setDaemon(true);
                    synchronized (threads) {
                        threads.add(thread);
                    }
                    thread.start();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void echo(WsPeer peer) {
            try {
                Frame frame;
                while ((frame = peer.read()) != null) {
                    if (peer.write(frame) != WriteResult.QUEUED) {
                        return;
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        java.net.InetSocketAddress address() {
            return server.localAddress();
        }

        java.net.URI uri(String path) {
            return java.net.URI.create("ws://127.0.0.1:" + address().getPort() + path);
        }

        @Override
        public void close() {
            server.shutdown(Duration.ofSeconds(2)).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        }
    }
}
