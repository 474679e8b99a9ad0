package io.wsreactor.robustness;

import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application that echoes every peer of a server with futures only (no thread per peer), so tests can hold
 * thousands of peers. Each peer's loop handles frames that are ready inline and waits on a future otherwise, so a
 * long pipeline does not grow the stack. Peers it accepted are closed by the server's shutdown.
 */
final class AsyncEchoApp {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong echoed = new AtomicLong();
    final AtomicLong ended = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private final WsServer server;

    private AsyncEchoApp(WsServer server) {
        this.server = server;
    }

    /** Starts accepting and echoing on {@code server} (already listening). */
    static AsyncEchoApp start(WsServer server) {
        AsyncEchoApp app = new AsyncEchoApp(server);
        app.acceptNext();
        return app;
    }

    private void acceptNext() {
        server.acceptAsync().whenComplete((peer, failure) -> {
            if (failure != null) {
                failures.incrementAndGet();
                return;
            }
            if (peer == null) {
                return; // the server closed
            }
            accepted.incrementAndGet();
            echo(peer);
            acceptNext();
        });
    }

    private void echo(WsPeer peer) {
        for (int i = 0; i < 1_000_000; i++) {
            CompletableFuture<Frame> next = peer.readAsync();
            if (!next.isDone()) {
                next.whenComplete((frame, failure) -> {
                    if (handle(peer, frame, failure)) {
                        echo(peer);
                    }
                });
                return;
            }
            if (!handle(peer, next.getNow(null), null)) {
                return;
            }
        }
        // A pipeline that long: yield the stack and go on from a fresh stage.
        CompletableFuture.runAsync(() -> echo(peer));
    }

    /** @return whether to read on */
    private boolean handle(WsPeer peer, Frame frame, Throwable failure) {
        if (failure != null) {
            failures.incrementAndGet();
            peer.close();
            return false;
        }
        if (frame == null) {
            ended.incrementAndGet();
            return false;
        }
        peer.writeAsync(frame).whenComplete((ignored, writeFailure) -> {
            if (writeFailure == null) {
                echoed.incrementAndGet();
            }
        });
        return true;
    }
}
