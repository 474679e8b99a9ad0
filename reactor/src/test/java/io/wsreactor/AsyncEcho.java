package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.concurrent.CompletableFuture;

/** An echo built only from futures: readAsync, then writeAsync, then the next readAsync. No thread per peer. */
final class AsyncEcho {
    private AsyncEcho() {
    }

    /** Accepts with acceptAsync forever and echoes each peer with futures. */
    static void serve(WsServer server) {
        server.acceptAsync().thenAccept(peer -> {
            if (peer != null) {
                echo(peer);
                serve(server);
            }
        });
    }

    static void echo(WsPeer peer) {
        while (true) {
            CompletableFuture<Frame> next = peer.readAsync();
            if (!next.isDone()) {
                next.thenAccept(frame -> {
                    if (frame != null) {
                        peer.writeAsync(frame);
                        echo(peer);
                    }
                });
                return;
            }
            Frame frame = next.join();
            if (frame == null) {
                return;
            }
            peer.writeAsync(frame);
        }
    }
}
