package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Makes accepted sockets connections of one reactor: the socket options, the transport (plain, or TLS on an engine
 * from {@link TlsEngines}), the selection key and the slot in the reactor's {@link ConnectionTable}. A socket that
 * cannot be set up is closed, and the reactor goes on. One per reactor; reactor thread only.
 */
final class SocketRegistrar implements Consumer<SocketChannel> {
    private final Reactor reactor;
    private final Selector selector;
    private final ConnectionTable connections;
    /** The reactor as the executor TLS transports resume on: one for all of them, none made per connection. */
    private final Executor onReactor;

    SocketRegistrar(Reactor reactor, Selector selector, ConnectionTable connections) {
        this.reactor = reactor;
        this.selector = selector;
        this.connections = connections;
        this.onReactor = reactor::execute;
    }

    /** Sets up an accepted socket as a connection of the reactor (closed at once during a graceful shutdown). */
    @Override
    public void accept(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, reactor.options.tcpNoDelay());
            Connection connection = new Connection(reactor, channel, newTransport(channel), reactor.now);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            connections.add(connection);
            if (reactor.shutdown.started()) {
                connection.closeNow();
            }
        } catch (IOException e) {
            Connection.LOG.log(Level.DEBUG, "setting up an accepted socket failed", e);
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing.
            }
        }
    }

    private Transport newTransport(SocketChannel channel) throws IOException {
        SSLContext tls = reactor.options.tls();
        if (tls == null) {
            return new PlainTransport(channel, reactor.stats, reactor.asleep);
        }
        try {
            SSLEngine engine = TlsEngines.server(tls, reactor.options.tlsParameters());
            return new SslTransport(channel, engine, reactor.tlsBuffers, TlsTasks.EXECUTOR, onReactor);
        } catch (RuntimeException e) { // the application's tlsParameters, or a context that cannot make engines
            Connection.LOG.log(Level.ERROR, "setting up TLS for an accepted socket failed; closing it", e);
            throw new IOException("TLS setup failed", e);
        }
    }
}
