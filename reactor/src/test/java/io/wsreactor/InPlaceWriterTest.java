package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link InPlaceWriter} against a real socket whose peer does not read, the reactor played by the test: frames go in
 * place only once the response is written and while nothing is queued, a frame the socket takes in part leaves its
 * rest to be written first, and the bytes on the wire are the response then every frame whole, in order.
 */
class InPlaceWriterTest {
    private static final int PAYLOAD = 16 * 1024;
    private static final byte[] RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void framesGoInPlaceAfterTheResponseAndARestWrittenInPartGoesFirst() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open();
            client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            client.connect(listener.getLocalAddress());
            try (client; SocketChannel server = listener.accept()) {
                server.configureBlocking(false);
                server.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                StatsRecorder stats = new StatsRecorder();
                AtomicInteger flushRequests = new AtomicInteger();
                Outbound outbound = new Outbound(flushRequests::incrementAndGet, stats,
                        new MemoryBudget(Long.MAX_VALUE));
                PlainTransport transport = new PlainTransport(server, stats, () -> true);
                outbound.writeInPlaceWith(transport);
                Flusher flusher = new Flusher(64 * 1024);

                assertFalse(outbound.tryWriteInPlace(numbered(0)), "nothing goes before the response is written");
                outbound.respond(RESPONSE);
                flushAll(outbound, flusher, transport);
                outbound.clearFlushScheduled();

                int frames = 0;
                boolean partial = false;
                for (int i = 0; i < 10_000 && !partial; i++) {
                    int before = flushRequests.get();
                    if (!outbound.tryWriteInPlace(numbered(frames))) {
                        break; // the socket took nothing: the frame would be queued
                    }
                    frames++;
                    partial = flushRequests.get() > before; // a rest left for the reactor asks for a flush
                }
                assertTrue(partial, "the socket took a frame in part after " + frames + " frames");
                assertEquals(frames, stats.framesOutInPlace.sum() + 1, "all but the last went whole");
                assertFalse(outbound.tryWriteInPlace(numbered(frames)), "nothing goes in place before the rest");
                outbound.offer(OutboundEntry.frame(OutboundEntry.Kind.DATA, io.wsreactor.frame.Opcode.BINARY, true,
                        numbered(frames).payload(), null));
                int total = frames + 1;

                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(client));
                outbound.clearFlushScheduled();
                flushAll(outbound, flusher, transport);
                server.shutdownOutput();
                byte[] wire = received.get(60, TimeUnit.SECONDS);

                assertArrayEquals(RESPONSE, Arrays.copyOf(wire, RESPONSE.length), "the response first");
                DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(wire, RESPONSE.length,
                        wire.length - RESPONSE.length));
                for (int i = 0; i < total; i++) {
                    assertEquals(0x82, in.readUnsignedByte(), "frame " + i + " starts where the last ended");
                    assertEquals(126, in.readUnsignedByte());
                    assertEquals(PAYLOAD, in.readUnsignedShort());
                    byte[] payload = new byte[PAYLOAD];
                    in.readFully(payload);
                    assertArrayEquals(numbered(i).payload(), payload, "frame " + i + " whole, in order");
                }
                assertEquals(-1, in.read(), "nothing else");
            }
        }
    }

    /** Plays the reactor: flushes until everything is written (the reader drains the socket meanwhile). */
    private static void flushAll(Outbound outbound, Flusher flusher, PlainTransport transport) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(outbound.beginFlush(), "no writer holds the socket");
            Flusher.Result result = flusher.flush(transport, outbound);
            outbound.endFlush(result == Flusher.Result.DONE);
            if (result == Flusher.Result.DONE) {
                return;
            }
            assertTrue(System.nanoTime() - deadline < 0, "flushed within the bound");
            Thread.sleep(1);
        }
    }

    private static byte[] readAll(SocketChannel client) {
        try {
            InputStream in = client.socket().getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Frame numbered(int i) {
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) i);
        payload[0] = (byte) (i >> 8);
        return Frame.binary(payload);
    }
}
