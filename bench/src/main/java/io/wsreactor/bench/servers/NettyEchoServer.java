package io.wsreactor.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The bar of the comparison: a Netty 4.2 WebSocket echo, idiomatic and tuned the usual way, on ONE event loop
 * (accepting and serving on the same thread, as wsreactor does), or on {@code --loops N} (one group that accepts
 * and serves, as wsreactor's reactors do). {@link WebSocketServerProtocolHandler} does the
 * handshake, pings and closes, no compression; echoes are written as they are read and flushed once per read
 * batch ({@code channelReadComplete}).
 *
 * <p>With {@code --tls-cert} and {@code --tls-key} it serves {@code wss://} through Netty's {@code SslHandler} on
 * the JDK's provider ({@link SslProvider#JDK}, the same {@code SSLEngine} as wsreactor), TLS 1.3 and 1.2, with
 * Netty's defaults: delegated handshake tasks run on the event loop.
 *
 * <p>{@code java -cp wsreactor-bench.jar io.wsreactor.bench.servers.NettyEchoServer --host 127.0.0.1 --port 9000}
 */
public final class NettyEchoServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    /**
     * Starts the server on one event loop.
     *
     * @param port the port, or 0 for an ephemeral one
     * @param maxMessage the largest frame payload accepted
     * @throws InterruptedException if interrupted while binding
     */
    public NettyEchoServer(String host, int port, int maxMessage) throws InterruptedException {
        this(host, port, maxMessage, 1, null);
    }

    /**
     * Starts the server on {@code loops} event loops, over TLS when {@code tls} is not null.
     *
     * @param port the port, or 0 for an ephemeral one
     * @param maxMessage the largest frame payload accepted
     * @param loops the event loop threads
     * @param tls the TLS context ({@link #jdkTls}), or null for plain {@code ws://}
     * @throws InterruptedException if interrupted while binding
     */
    public NettyEchoServer(String host, int port, int maxMessage, int loops, SslContext tls)
            throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(maxMessage)
                .build();
        EchoHandler echo = new EchoHandler();
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(config), echo);
                    }
                })
                .bind(new InetSocketAddress(host, port)).sync().channel();
    }

    /**
     * A server TLS context on the JDK's provider from a PEM certificate chain and its PKCS#8 key.
     *
     * @throws SSLException if the files cannot be used
     */
    public static SslContext jdkTls(Path certChain, Path privateKey) throws SSLException {
        return SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Closes the listening channel and stops the event loop. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Echoes text and binary frames; control frames never reach it. */
    @ChannelHandler.Sharable
    private static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.write(frame.retain());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --host H --port P [--max-message N] [--loops N] [--tls-cert CERT.pem --tls-key KEY.pem]}
     * @throws InterruptedException if interrupted while binding
     * @throws SSLException if the TLS files cannot be used
     */
    public static void main(String[] args) throws InterruptedException, SSLException {
        Arguments arguments = Arguments.parse(args);
        SslContext tls = arguments.tls() ? jdkTls(arguments.tlsCert(), arguments.tlsKey()) : null;
        NettyEchoServer server = new NettyEchoServer(arguments.host(), arguments.port(), arguments.maxMessage(),
                arguments.loops(), tls);
        System.out.println("Netty echo listening on " + (tls == null ? "ws" : "wss") + "://" + arguments.host() + ":"
                + server.port() + "/ (" + arguments.loops() + " event loop" + (arguments.loops() == 1 ? "" : "s")
                + ")");
        server.channel.closeFuture().sync();
    }
}
