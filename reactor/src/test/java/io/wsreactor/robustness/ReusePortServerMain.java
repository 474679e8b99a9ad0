package io.wsreactor.robustness;

import io.wsreactor.ServerOptions;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A second server process for {@link ReusePortTest}: listens with {@code reusePort(true)} on the port given, answers
 * each text message with its name and the text ({@code "B:who"}), prints "listening", and shuts down gracefully when
 * a line "shutdown" arrives on standard input (or input ends).
 */
public final class ReusePortServerMain {
    private ReusePortServerMain() {
    }

    /**
     * Runs the server.
     *
     * @param args the port and the server's name
     */
    public static void main(String[] args) throws Exception {
        WsServer server = WsServer.create("127.0.0.1", Integer.parseInt(args[0]),
                ServerOptions.builder().reusePort(true).build());
        server.listen();
        serve(server, args[1]);
        System.out.println("listening on " + server.localAddress());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("shutdown")) {
            // wait for the parent's word
        }
        server.shutdown(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        System.out.println("shut down: " + server.stats());
        System.out.flush();
    }

    /** Accepts every peer and answers each of its text messages with {@code name + ":" + text}. */
    static void serve(WsServer server, String name) {
        server.acceptAsync().thenAccept(peer -> {
            if (peer != null) {
                answer(peer, name);
                serve(server, name);
            }
        });
    }

    private static void answer(WsPeer peer, String name) {
        peer.readAsync().thenAccept(frame -> {
            if (frame != null) {
                peer.writeAsync(Frame.text(name + ":" + frame.text()));
                answer(peer, name);
            }
        });
    }
}
