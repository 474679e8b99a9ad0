package io.wsreactor.examples;

import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import java.io.IOException;

/** An echo server on ws://127.0.0.1:8080/ with no thread per peer. */
public final class QuickStartAsync {
    /** Starts the server; the reactor thread keeps the JVM running. */
    public static void main(String[] args) throws IOException {
        WsServer server = WsServer.create("127.0.0.1", 8080);
        server.listen();
        acceptNext(server);
    }

    static void acceptNext(WsServer server) {
        server.acceptAsync().thenAccept(peer -> {
            if (peer != null) {      // null once the server is closed
                echo(peer);
                acceptNext(server);  // then wait for the next client
            }
        });
    }

    static void echo(WsPeer peer) {
        peer.readAsync().thenAccept(frame -> {
            if (frame != null) {                                   // null: end of stream
                peer.writeAsync(frame).thenRun(() -> echo(peer));  // read on once the echo is written
            }
        });
    }
}
