package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.WriteResult;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read side: a client that floods while the application never reads. The server stops reading that socket at
 * the inbound bound (TCP pushes back), its heap stays bounded, and the control frames it has read are still answered.
 *
 * <p>A ping or close sent behind megabytes the server has not read cannot be seen without reading (and so buffering)
 * that data; what the server promises, and what is pinned here, is that nothing it has read waits for the application.
 */
class FloodingClientTest {
    private static final int FRAME_PAYLOAD = 64 * 1024;
    /** 256 MiB. */
    private static final int FLOOD_FRAMES = 4096;

    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    private WsServer listen(ServerOptions options) throws IOException {
        server = started.start(options);
        return server;
    }

    @Test
    void floodIsNotReadPastTheInboundBoundHeapStaysBoundedAndNothingIsLost() throws Exception {
        long queueBytes = 1 << 20;
        listen(ServerOptions.builder().inboundQueueBytes(queueBytes).build());
        long heapBefore = Probes.heapAfterGc();
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertNotNull(peer);
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(client, sent));
            long previous = -1;
            for (int i = 0; i < 200; i++) { // until the server has stopped reading, at most 10 s
                Thread.sleep(50);
                long in = server.stats().bytesIn();
                if (in == previous && in > 0) {
                    break;
                }
                previous = in;
            }
            long received = server.stats().bytesIn();
            assertTrue(received <= queueBytes + 2 * FRAME_PAYLOAD + 64 * 1024,
                    "the server stopped reading near its bound, received " + received);
            assertFalse(flood.isDone(), "TCP pushes back on the client (it sent " + sent.get() + " bytes so far)");
            long growth = Probes.heapAfterGc() - heapBefore;
            assertTrue(growth < 64 * Probes.MIB, "heap after GC grew by " + growth / Probes.MIB + " MiB");

            // The application catches up: all 256 MiB arrive, in order.
            for (int i = 0; i < FLOOD_FRAMES; i++) {
                Frame frame = peer.read(Duration.ofSeconds(10));
                assertNotNull(frame, "frame " + i);
                assertEquals(FRAME_PAYLOAD, frame.length());
                assertEquals(i, readInt(frame.payload()), "frames in order");
            }
            flood.get(10, TimeUnit.SECONDS);
            assertEquals((long) FLOOD_FRAMES * FRAME_PAYLOAD, server.stats().bytesIn());
            assertEquals(FLOOD_FRAMES, server.stats().framesIn());
        }
    }

    /** Writes the flood with a zero mask key (legal: the payload is its own masked form), a number in each frame. */
    private static void flood(RawClient client, AtomicLong sent) {
        byte[] frame = RawClient.frameBytes(0x82, new byte[FRAME_PAYLOAD], true, new Random(0) {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        });
        int header = frame.length - FRAME_PAYLOAD;
        try {
            for (int i = 0; i < FLOOD_FRAMES; i++) {
                frame[header] = (byte) (i >>> 24);
                frame[header + 1] = (byte) (i >>> 16);
                frame[header + 2] = (byte) (i >>> 8);
                frame[header + 3] = (byte) i;
                client.write(frame);
                sent.addAndGet(frame.length);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int readInt(byte[] bytes) {
        return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    @Test
    void pingAndCloseBehindAFullQueueAreAnsweredWhileTheApplicationNeverReads() throws Exception {
        listen(ServerOptions.builder()
                .inboundQueueBytes(4 * 1024)
                .closeTimeout(Duration.ofMillis(500))
                .build());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertNotNull(peer);
            // One burst, small enough to be read at once: 16 KiB of data (four times the bound), a ping, a close.
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            Random random = new Random(1);
            for (int i = 0; i < 16; i++) {
                byte[] payload = new byte[1024];
                payload[0] = (byte) i;
                burst.writeBytes(RawClient.frameBytes(0x82, payload, true, random));
            }
            burst.writeBytes(RawClient.frameBytes(0x89, new byte[] {4, 2}, true, random));
            burst.writeBytes(RawClient.frameBytes(0x88, RawClient.closePayload(1000, "bye"), true, random));
            client.write(burst.toByteArray());

            RawClient.Received pong = client.readFrame();
            assertEquals(0xA, pong.opcode(), "the ping is answered though nobody reads");
            assertArrayEquals(new byte[] {4, 2}, pong.payload());
            RawClient.Received close = client.readFrame();
            assertTrue(close.isClose(), "the close is answered within closeTimeout though nobody reads");
            assertEquals(1000, close.closeCode());
            assertTrue(client.awaitEndOfStream(), "then TCP is closed");

            // The application reads late: every data frame, then end of stream.
            for (int i = 0; i < 16; i++) {
                Frame frame = peer.read(Duration.ofSeconds(5));
                assertNotNull(frame, "frame " + i + " kept");
                assertEquals((byte) i, frame.payload()[0]);
            }
            assertNull(peer.read(Duration.ofSeconds(5)));
            assertTrue(peer.isClosed());
            assertEquals(1000, peer.closeStatus().code());
            assertEquals("bye", peer.closeStatus().reason());
        }
    }

    @Test
    void floodingPeerDoesNotStopOtherPeersEchoing() throws Exception {
        listen(ServerOptions.builder().inboundQueueBytes(256 * 1024).build());
        try (RawClient flooder = RawClient.open(server.localAddress());
                RawClient other = RawClient.open(server.localAddress())) {
            WsPeer stalled = server.accept(Duration.ofSeconds(10));
            WsPeer echoing = server.accept(Duration.ofSeconds(10));
            assertNotNull(stalled);
            assertNotNull(echoing);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(flooder, new AtomicLong()));
            for (int i = 0; i < 200; i++) {
                other.sendText("m" + i);
                Frame frame = echoing.read(Duration.ofSeconds(10));
                assertNotNull(frame);
                assertEquals(WriteResult.QUEUED, echoing.write(frame, Duration.ofSeconds(10)));
                assertEquals("m" + i, other.readFrame().text());
            }
            assertFalse(flood.isDone(), "the flooder is still held back");
            stalled.close();
            flooder.abort();
            assertTrue(Probes.eventually(flood::isDone, 10_000), "the flooder's writes end once closed");
        }
    }
}
