package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The four slow-consumer policies against a client that does not read. */
class SlowConsumerTest {
    private static final int FRAME = 64 * 1024;
    private static final long HIGH_WATER_MARK = 256 * 1024;
    private static final long HARD_LIMIT = 1024 * 1024;
    /** Enough frames to pass any loopback socket buffers (a few MiB) many times over. */
    private static final int MAX_FRAMES = 4000;

    private WsServer server;
    private RawClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
    }

    private WsPeer connect(SlowConsumerPolicy policy) throws Exception {
        server = TestServers.listening(ServerOptions.builder()
                .outboundHighWaterMark(HIGH_WATER_MARK)
                .outboundHardLimit(HARD_LIMIT)
                .closeTimeout(Duration.ofMillis(300))
                .slowConsumerPolicy(policy)
                .build());
        client = RawClient.open(server.localAddress(), 4096);
        return server.accept(Duration.ofSeconds(10));
    }

    private static Frame bigFrame() {
        return Frame.binary(new byte[FRAME]);
    }

    @Test
    void blockWaitsAtHighWaterMarkAndTimesOut() throws Exception {
        WsPeer peer = connect(SlowConsumerPolicy.BLOCK);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < MAX_FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(bigFrame(), Duration.ofMillis(50));
            assertTrue(peer.writer.outboundBytes() <= HIGH_WATER_MARK + MemoryBudget.cost(FRAME + 14), "queue bounded by the mark");
        }
        assertEquals(WriteResult.TIMED_OUT, result, "a write timed out at the high-water mark");
        assertFalse(peer.isClosed(), "BLOCK never closes the peer");
        assertTrue(server.stats().slowConsumerEvents().getOrDefault(SlowConsumerPolicy.BLOCK, 0L) > 0);
    }

    @Test
    void blockWriteAsyncFailsPastHardLimit() throws Exception {
        WsPeer peer = connect(SlowConsumerPolicy.BLOCK);
        CompletableFuture<Void> last = null;
        for (int i = 0; i < MAX_FRAMES; i++) {
            last = peer.writeAsync(bigFrame());
            if (last.isCompletedExceptionally()) {
                break;
            }
        }
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                last::get);
        assertTrue(failure.getCause() instanceof SlowConsumerException);
        assertTrue(peer.writer.outboundBytes() <= HARD_LIMIT + MemoryBudget.cost(FRAME + 14));
    }

    @Test
    void failRefusesAtOnceAtHighWaterMark() throws Exception {
        WsPeer peer = connect(SlowConsumerPolicy.FAIL);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < MAX_FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(bigFrame(), Duration.ofDays(1));
        }
        assertEquals(WriteResult.REFUSED, result, "a write was refused, without waiting");
        // The reactor may still move a little to the client's socket buffer, making room for a write or two; the
        // client never reads, so the mark is met again at once, and then writeAsync is refused too.
        CompletableFuture<Void> refused = peer.writeAsync(bigFrame());
        for (int i = 0; i < MAX_FRAMES && !refused.isCompletedExceptionally(); i++) {
            assertTrue(peer.writer.outboundBytes() <= HIGH_WATER_MARK + MemoryBudget.cost(FRAME + 14), "never queued past the mark");
            refused = peer.writeAsync(bigFrame());
        }
        CompletableFuture<Void> last = refused;
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> last.get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof SlowConsumerException);
        assertFalse(peer.isClosed());
        assertTrue(peer.writer.outboundBytes() <= HIGH_WATER_MARK + MemoryBudget.cost(FRAME + 14));
    }

    @Test
    void dropDiscardsWholeMessagesOnlyAndKeepsMemoryBoundedOverHundredsOfMebibytes() throws Exception {
        WsPeer peer = connect(SlowConsumerPolicy.DROP);
        // A fragmented message started below the mark is finished even above it.
        assertEquals(WriteResult.QUEUED, peer.write(Frame.text("start ", false)));
        int continuations = 0;
        while (peer.writer.outboundBytes() < HIGH_WATER_MARK && continuations < MAX_FRAMES) {
            assertEquals(WriteResult.QUEUED, peer.write(Frame.continuation(new byte[FRAME], false)));
            continuations++;
        }
        assertEquals(WriteResult.QUEUED,
                peer.write(Frame.continuation("end".getBytes(java.nio.charset.StandardCharsets.UTF_8), true)));
        // Above the mark now: whole messages are dropped, fragmented ones from their first frame.
        long written = 0;
        for (int i = 0; i < 5000; i++) { // 5000 x 64 KiB = 312 MiB offered
            assertTrue(peer.write(Frame.binary(new byte[FRAME])).isAccepted());
            written += FRAME;
            long queued = peer.writer.outboundBytes();
            assertTrue(queued <= HIGH_WATER_MARK + 2L * FRAME, () -> "queue bounded, was " + queued);
        }
        assertEquals(WriteResult.DROPPED, peer.write(Frame.text("dropped ", false)));
        assertEquals(WriteResult.DROPPED, peer.write(Frame.continuation(new byte[10], true)));
        assertTrue(written > 300L << 20);
        assertTrue(server.stats().slowConsumerEvents().get(SlowConsumerPolicy.DROP) >= 4000,
                "almost everything offered above the mark was dropped");

        // The client reads: the first message arrives whole, nothing dropped arrives.
        RawClient.Received first = client.readFrame();
        assertEquals(0x01, first.firstByte());
        for (int i = 0; i < continuations; i++) {
            assertEquals(0x00, client.readFrame().firstByte());
        }
        RawClient.Received end = client.readFrame();
        assertEquals(0x80, end.firstByte());
        assertEquals("end", end.text());
        // Some binary frames were queued before the mark was reached; after them only the marker (queued with
        // BLOCK's writeAsync, which never drops).
        peer.setSlowConsumerPolicy(SlowConsumerPolicy.BLOCK);
        peer.writeAsync(Frame.text("marker"));
        RawClient.Received next;
        do {
            next = client.readFrame();
            assertTrue(next.firstByte() == 0x82 || next.text().equals("marker"), "only whole messages");
        } while (next.firstByte() == 0x82);
    }

    @Test
    void closeFailsPeerWith1008PastHardLimit() throws Exception {
        WsPeer peer = connect(SlowConsumerPolicy.CLOSE);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < MAX_FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(bigFrame(), Duration.ofDays(1));
            assertTrue(peer.writer.outboundBytes() <= HARD_LIMIT + MemoryBudget.cost(FRAME + 14));
        }
        assertEquals(WriteResult.REFUSED, result);
        assertEquals(WriteResult.CLOSED, peer.write(bigFrame()), "later writes find the peer closing");
        assertNull(peer.read(Duration.ofSeconds(10)), "the reader sees end of stream");
        CloseStatus status = peer.shutdown(1000, "", Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        assertEquals(1008, status.code());
        assertTrue(peer.isClosed());
        assertEquals(1L, server.stats().slowConsumerEvents().get(SlowConsumerPolicy.CLOSE));
    }

    @Test
    void perPeerPolicyOverridesServerPolicy() throws Exception {
        WsPeer peer = connect(SlowConsumerPolicy.BLOCK);
        peer.setSlowConsumerPolicy(SlowConsumerPolicy.FAIL);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < MAX_FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(bigFrame());
        }
        assertEquals(WriteResult.REFUSED, result, "FAIL refused instead of blocking forever");
        assertEquals(SlowConsumerPolicy.FAIL, peer.slowConsumerPolicy());
    }
}
