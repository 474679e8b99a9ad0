package io.wsreactor.robustness;

import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny program using the library, run in its own JVM by {@link GracefulShutdownTest}: it serves a few clients,
 * shuts the server down and returns from main. The JVM must then exit by itself: no library thread may be left.
 * Prints "served N" and "shut down" on the way.
 */
public final class ExitAfterShutdownMain {
    private ExitAfterShutdownMain() {
    }

    /**
     * Runs the program.
     *
     * @param args unused
     * @throws Exception on any failure (the test sees a non-zero exit)
     */
    public static void main(String[] args) throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0);
        server.listen();
        List<RawClient> clients = new ArrayList<>();
        int served = 0;
        for (int i = 0; i < 5; i++) {
            clients.add(RawClient.open(server.localAddress()));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            clients.get(i).sendText("hello " + i);
            Frame frame = peer.read(Duration.ofSeconds(10));
            peer.write(frame, Duration.ofSeconds(10));
            if (clients.get(i).readFrame().text().equals("hello " + i)) {
                served++;
            }
        }
        System.out.println("served " + served);
        // Two clients answer the 1001 close; the others never do and are aborted at the deadline.
        Thread answering = new Thread(() -> {
            try {
                for (int i = 0; i < 2; i++) {
                    RawClient client = clients.get(i);
                    client.readUntilClose(100);
                    client.sendClose(1001, "");
                }
            } catch (java.io.IOException e) {
                System.out.println("answering failed: " + e);
            }
        });
        answering.setDaemon(true);
        answering.start();
        server.shutdown(Duration.ofMillis(500)).get();
        System.out.println("shut down");
        // main returns with client sockets still open (the JDK's sockets start no thread): only the library's
        // threads could keep this JVM alive now.
    }
}
