package io.wsreactor.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
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
 * Netty's best broadcast on ONE event loop, the bar of the fan-out comparison: every whole message any peer sends is
 * encoded once into one buffer (header and payload), written to a {@link ChannelGroup} (each channel gets a retained
 * duplicate of that buffer: shared bytes, no copy, as Netty's docs advise) and the group is flushed once per read
 * batch. No backpressure: a peer that does not read keeps everything queued for it, as Netty does by default.
 *
 * <p>{@code java -cp wsreactor-bench.jar io.wsreactor.bench.servers.NettyBroadcastServer --port 9000}
 */
public final class NettyBroadcastServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    /** Starts the server. @throws InterruptedException if interrupted while binding */
    public NettyBroadcastServer(String host, int port, int maxMessage) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(maxMessage)
                .build();
        BroadcastHandler broadcast = new BroadcastHandler(new DefaultChannelGroup(group.next()));
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(config), broadcast);
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

    /** Joins handshaken channels to the group; publishes each whole text or binary message to all of them. */
    @ChannelHandler.Sharable
    private static final class BroadcastHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final ChannelGroup peers;
        private boolean written;

        BroadcastHandler(ChannelGroup peers) {
            this.peers = peers;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                peers.add(ctx.channel()); // a closed channel leaves the group by itself
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
                    || !frame.isFinalFragment()) {
                return;
            }
            ByteBuf payload = frame.content();
            int length = payload.readableBytes();
            ByteBuf encoded = ctx.alloc().directBuffer(10 + length);
            encoded.writeByte(0x80 | (frame instanceof TextWebSocketFrame ? 1 : 2));
            if (length <= 125) {
                encoded.writeByte(length);
            } else if (length <= 0xFFFF) {
                encoded.writeByte(126).writeShort(length);
            } else {
                encoded.writeByte(127).writeLong(length);
            }
            encoded.writeBytes(payload, payload.readerIndex(), length);
            peers.write(encoded); // a retained duplicate per channel, then the original is released
            written = true;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (written) {
                written = false;
                peers.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --host H --port P [--max-message N]}
     * @throws InterruptedException if interrupted while binding
     */
    public static void main(String[] args) throws InterruptedException {
        Arguments arguments = Arguments.parse(args);
        NettyBroadcastServer server = new NettyBroadcastServer(arguments.host(), arguments.port(),
                arguments.maxMessage());
        System.out.println("Netty broadcast listening on " + arguments.host() + ":" + server.port());
        server.channel.closeFuture().sync();
    }
}
