package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.concurrent.CompletableFuture;

/**
 * An echo built only from futures, no thread per peer, paced by the peer's writability: it reads the next frame only
 * while the peer {@link WsPeer#isWritable() is writable}, so a slow client holds at most the high-water mark plus one
 * message, and a write that fails closes the peer instead of abandoning it. Frames already queued are handled in a
 * loop, not by nested stages, so a long pipeline does not grow the stack.
 */
final class AsyncEcho {
    private AsyncEcho() {
    }

    /** Accepts with acceptAsync until the server closes and echoes each peer with futures. */
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
            if (!peer.isWritable()) {
                peer.whenWritable().thenRun(() -> echo(peer));
                return;
            }
            CompletableFuture<Frame> next = peer.readAsync();
            if (!next.isDone()) {
                next.thenAccept(frame -> {
                    if (frame != null) {
                        send(peer, frame);
                        echo(peer);
                    }
                });
                return;
            }
            Frame frame = next.join();
            if (frame == null) {
                return;
            }
            send(peer, frame);
        }
    }

    private static void send(WsPeer peer, Frame frame) {
        peer.writeAsync(frame).exceptionally(failure -> {
            peer.close(); // refused or closed: never leave a peer nobody serves
            return null;
        });
    }
}
