package io.wsreactor.examples;

import io.wsreactor.WriteResult;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed document's Lua example, step by step in Java: log the handshake, accept one peer, echo one frame, send
 * {@code {"key":value}}, shut the peer down gracefully (closing it if it takes too long), close the server.
 *
 * <p>Run it, then connect a client to ws://127.0.0.1:8080/ and send one message.
 */
public final class SeedExample {
    private static final Logger LOG = LoggerFactory.getLogger(SeedExample.class);

    private SeedExample() {
    }

    /**
     * Runs the example once.
     *
     * @param args {@code [port]}, 8080 by default
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        run(port);
    }

    /** The example's body, callable from a test. */
    static void run(int port) throws Exception {
        // create server socket
        WsServer wsd = WsServer.create("127.0.0.1", port);

        // logging handshake, or return a modified or custom handshake response
        wsd.setProxyHandshake((request, response) -> {
            LOG.info("{}", request);
            LOG.info("{}", response);
            return response;
        });

        // listen: starts the reactor thread
        wsd.listen();
        LOG.info("listening on ws://{}:{}/", wsd.localAddress().getHostString(), wsd.localAddress().getPort());

        // wait for new peers
        if (wsd.isListening()) {
            WsPeer channel = wsd.accept(); // a ready-to-use WebSocket peer
            if (channel != null) {
                Frame message = channel.read(); // a data frame, or null at end of stream
                LOG.info("{}", message);
                if (message == null) {
                    LOG.info("Channel closed");
                } else if (channel.write(message) != WriteResult.QUEUED) { // write the frame back
                    LOG.info("Channel closed#2");
                }

                if (!channel.isClosed()) { // is the channel alive?
                    channel.write(Frame.text("{\"key\":value}")); // send custom data, ignore the status

                    channel.shutdown(1000, "Goodbye", Duration.ofSeconds(5)); // graceful close
                    // channel.close(); // or close at once
                    int waits = 0;
                    while (!channel.isClosed()) { // wait for the graceful close
                        Thread.sleep(10);
                        waits++;
                        if (waits > 20) {
                            channel.close(); // no more time
                        }
                    }
                    LOG.info("closed with {}", channel.closeStatus());
                }
            } else {
                LOG.info("Server is closed");
            }
        }

        if (wsd.isListening()) { // still listening?
            wsd.close(); // close the server, no more clients
        }
    }
}
