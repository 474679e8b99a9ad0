package io.wsreactor.bench.servers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import io.wsreactor.TlsContexts;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * A Java-WebSocket 1.6.0 echo with its defaults (one selector thread plus its decoder threads), TCP_NODELAY on and
 * its connection-lost pings off and a listen backlog of 4,096. With {@code --tls-cert} and {@code --tls-key} it
 * serves {@code wss://} through its {@link DefaultSSLWebSocketServerFactory} (the JDK's {@code SSLEngine}).
 *
 * <p>{@code java -cp wsreactor-bench.jar io.wsreactor.bench.servers.JavaWebSocketEchoServer --port 9000}
 */
public final class JavaWebSocketEchoServer extends WebSocketServer {
    /** A server for {@code address}; {@link #start()} starts it. */
    public JavaWebSocketEchoServer(InetSocketAddress address) {
        super(address);
        setTcpNoDelay(true);
        setReuseAddr(true);
        setConnectionLostTimeout(0);
        // The same listen backlog as the other servers here; its default (the JDK's 50) resets connections in S5.
        setMaxPendingConnections(4096);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        // nothing to do: the echo starts with the first message
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        // nothing to clean up
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        conn.send(message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        conn.send(message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            System.err.println("Java-WebSocket server error: " + ex);
        }
    }

    @Override
    public void onStart() {
        System.out.println("Java-WebSocket echo listening on " + getAddress());
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --host H --port P [--tls-cert CERT.pem --tls-key KEY.pem]}
     * @throws Exception if the TLS files cannot be used
     */
    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        JavaWebSocketEchoServer server = new JavaWebSocketEchoServer(
                new InetSocketAddress(arguments.host(), arguments.port()));
        if (arguments.tls()) {
            server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(
                    TlsContexts.fromPem(arguments.tlsCert(), arguments.tlsKey())));
        }
        server.run();
    }
}
