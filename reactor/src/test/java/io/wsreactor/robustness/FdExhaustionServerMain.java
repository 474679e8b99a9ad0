package io.wsreactor.robustness;

import io.wsreactor.WsServer;
import java.lang.System.Logger.Level;

/**
 * An echo server run in its own JVM by {@link FdExhaustionTest}, under a small file-descriptor limit: prints
 * "port N" once listening, then serves until the test kills it.
 */
public final class FdExhaustionServerMain {
    private FdExhaustionServerMain() {
    }

    /**
     * Runs the server.
     *
     * @param args unused
     * @throws Exception on any failure before serving (the test sees no port line)
     */
    public static void main(String[] args) throws Exception {
        // Logging and the echo's classes are loaded now: once descriptors run out, no jar can be opened.
        System.getLogger("io.wsreactor").log(Level.INFO, "starting under a small descriptor limit");
        WsServer server = WsServer.create("127.0.0.1", 0);
        server.listen();
        AsyncEchoApp.start(server);
        System.out.println("port " + server.localAddress().getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // the test destroys this process
    }
}
