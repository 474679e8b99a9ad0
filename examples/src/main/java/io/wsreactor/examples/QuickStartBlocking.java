package io.wsreactor.examples;

import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.io.IOException;

/** An echo server on ws://127.0.0.1:8080/ with a platform thread per peer. */
public final class QuickStartBlocking {
    /** Starts the server and serves peers until it is closed. */
    public static void main(String[] args) throws IOException, InterruptedException {
        WsServer server = WsServer.create("127.0.0.1", 8080);  // nothing runs yet
        server.listen();                                       // binds, starts the reactor thread
        serve(server);
    }

    static void serve(WsServer server) throws InterruptedException {
        for (WsPeer peer; (peer = server.accept()) != null; ) {  // null once the server is closed
            WsPeer accepted = peer;
            new Thread(() -> echo(accepted)).start();  // JDK 21+: Thread.ofVirtual().start(() -> echo(accepted))
        }
    }

    static void echo(WsPeer peer) {
        try {
            for (Frame frame; (frame = peer.read()) != null; ) {  // null: the client closed, or TCP ended
                peer.write(frame);  // waits while the client is slow to read; once closed, read returns null
            }
        } catch (InterruptedException e) {
            peer.close();
        }
    }
}
