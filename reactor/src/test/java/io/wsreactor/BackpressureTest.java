package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client that floods while the application does not read. */
class BackpressureTest {
    private static final int FRAME = 16 * 1024;
    private WsServer server;

    @AfterEach
    void stop() throws Exception {
        server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void floodStopsBeingReadWhileQueueFullAndNothingIsLost() throws Exception {
        long queueBytes = 256 * 1024;
        server = TestServers.listening(ServerOptions.builder().inboundQueueBytes(queueBytes).build());
        int frames = 2048; // 32 MiB: far more than the queue and the socket buffers hold
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < frames; i++) {
                        byte[] payload = new byte[FRAME];
                        payload[0] = (byte) i;
                        payload[1] = (byte) (i >>> 8);
                        client.sendFrame(0x82, payload);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Let the flood run into the pause.
            long previous = -1;
            for (int i = 0; i < 100; i++) {
                Thread.sleep(20);
                long in = server.stats().bytesIn();
                if (in == previous) {
                    break;
                }
                previous = in;
            }
            long received = server.stats().bytesIn();
            assertTrue(received <= queueBytes + 256 * 1024 + FRAME,
                    () -> "the server stopped reading at the bound, received " + received);
            assertTrue(!flood.isDone(), "TCP pushes back on the client");
            // The application catches up: every frame arrives, in order.
            for (int i = 0; i < frames; i++) {
                Frame frame = peer.read(Duration.ofSeconds(10));
                assertEquals(FRAME, frame.length());
                assertEquals((byte) i, frame.payload()[0]);
                assertEquals((byte) (i >>> 8), frame.payload()[1]);
            }
            flood.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void pingsAndCloseAreAnsweredWhileTheQueueIsFullAndNobodyReads() throws Exception {
        server = TestServers.listening(ServerOptions.builder()
                .inboundQueueFrames(4)
                .closeTimeout(Duration.ofMillis(300))
                .build());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                burst.writeBytes(RawClient.frameBytes(0x82, new byte[] {(byte) i}, true));
            }
            burst.writeBytes(RawClient.frameBytes(0x89, new byte[] {42}, true));
            burst.writeBytes(RawClient.frameBytes(0x88, new byte[] {0x03, (byte) 0xE8}, true));
            client.write(burst.toByteArray());
            RawClient.Received pong = client.readFrame();
            assertEquals(0xA, pong.opcode());
            assertArrayEquals(new byte[] {42}, pong.payload());
            assertEquals(1000, client.readFrame().closeCode(), "answered within closeTimeout, unread");
            assertTrue(client.awaitEndOfStream());
            for (int i = 0; i < 10; i++) {
                assertEquals(Frame.binary(new byte[] {(byte) i}), peer.read(Duration.ofSeconds(10)));
            }
            assertNull(peer.read(Duration.ofSeconds(10)));
        }
    }
}
