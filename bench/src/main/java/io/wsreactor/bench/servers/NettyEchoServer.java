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
import java.net.InetSocketAddress;

/**
 * The bar of the comparison: a Netty 4.2 WebSocket echo, idiomatic and tuned the usual way, on ONE event loop
 * (accepting and serving on the same thread, as wsreactor does), or on {@code --loops N} (one group that accepts
 * and serves, as wsreactor's reactors do). {@link WebSocketServerProtocolHandler} does the
 * handshake, pings and closes, no compression; echoes are written as they are read and flushed once per read
 * batch ({@code channelReadComplete}).
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
        this(host, port, maxMessage, 1);
    }

    /**
     * Starts the server on {@code loops} event loops.
     *
     * @param port the port, or 0 for an ephemeral one
     * @param maxMessage the largest frame payload accepted
     * @param loops the event loop threads
     * @throws InterruptedException if interrupted while binding
     */
    public NettyEchoServer(String host, int port, int maxMessage, int loops) throws InterruptedException {
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
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(config), echo);
                    }
                })
                .bind(new InetSocketAddress(host, port)).sync().channel();
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
     * @param args {@code --host H --port P [--max-message N] [--loops N]}
     * @throws InterruptedException if interrupted while binding
     */
    public static void main(String[] args) throws InterruptedException {
        Arguments arguments = Arguments.parse(args);
        NettyEchoServer server = new NettyEchoServer(arguments.host(), arguments.port(), arguments.maxMessage(),
                arguments.loops());
        System.out.println("Netty echo listening on " + arguments.host() + ":" + server.port() + " ("
                + arguments.loops() + " event loop" + (arguments.loops() == 1 ? "" : "s") + ")");
        server.channel.closeFuture().sync();
    }
}
