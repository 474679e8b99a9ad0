package io.wsreactor.bench.servers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket 1.6.0's own broadcast: every message any peer sends goes to every connected peer through
 * {@link WebSocketServer#broadcast} (frames made once per draft, queued per peer without bound), with the same
 * settings as {@link JavaWebSocketEchoServer}.
 *
 * <p>{@code java -cp wsreactor-bench.jar io.wsreactor.bench.servers.JavaWebSocketBroadcastServer --port 9000}
 */
public final class JavaWebSocketBroadcastServer extends WebSocketServer {
    /** A server for {@code address}; {@link #start()} starts it. */
    public JavaWebSocketBroadcastServer(InetSocketAddress address) {
        super(address);
        setTcpNoDelay(true);
        setReuseAddr(true);
        setConnectionLostTimeout(0);
        setMaxPendingConnections(4096);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        // every open connection is a recipient of broadcast()
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        // nothing to clean up
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        broadcast(message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        broadcast(message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            System.err.println("Java-WebSocket server error: " + ex);
        }
    }

    @Override
    public void onStart() {
        System.out.println("Java-WebSocket broadcast listening on " + getAddress());
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --host H --port P}
     */
    public static void main(String[] args) {
        Arguments arguments = Arguments.parse(args);
        new JavaWebSocketBroadcastServer(new InetSocketAddress(arguments.host(), arguments.port())).run();
    }
}
