package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.SlowConsumerException;
import io.wsreactor.SlowConsumerPolicy;
import io.wsreactor.WriteResult;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each slow-consumer policy against a client that never reads while the application tries to write 256 MiB at it:
 * the policy's outcome, and the server's heap after GC grows by far less than what was written.
 */
class SlowConsumerHeapTest {
    private static final int FRAME_BYTES = 128 * 1024;
    /** 256 MiB in 128 KiB frames. */
    private static final int FRAMES = 2048;
    private static final long HEAP_BOUND = 64 * Probes.MIB;

    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;
    private RawClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.abort();
        }
    }

    /** Default options (1 MiB high-water mark, 16 MiB hard limit) but the policy; a client with a 4 KiB buffer. */
    private WsPeer stalledPeer(SlowConsumerPolicy policy) throws Exception {
        return stalledPeer(policy, Duration.ofMillis(500));
    }

    private WsPeer stalledPeer(SlowConsumerPolicy policy, Duration closeTimeout) throws Exception {
        server = started.start(ServerOptions.builder()
                .slowConsumerPolicy(policy)
                .closeTimeout(closeTimeout)
                .build());
        client = RawClient.open(server.localAddress(), 4096);
        WsPeer peer = server.accept(Duration.ofSeconds(10));
        assertNotNull(peer, "the peer was accepted");
        return peer;
    }

    @Test
    void blockTimesOutAndWriteAsyncFailsPastHardLimitWithBoundedHeap() throws Exception {
        long before = Probes.heapAfterGc();
        WsPeer peer = stalledPeer(SlowConsumerPolicy.BLOCK);
        Frame frame = Frame.binary(new byte[FRAME_BYTES]);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(frame, Duration.ofMillis(100));
        }
        assertEquals(WriteResult.TIMED_OUT, result, "a blocking write timed out at the high-water mark");
        int refused = 0;
        CompletableFuture<Void> last = null;
        for (int i = 0; i < FRAMES; i++) {
            CompletableFuture<Void> future = peer.writeAsync(frame);
            if (future.isCompletedExceptionally()) {
                refused++;
                last = future;
            }
        }
        assertTrue(refused > FRAMES / 2, "writeAsync refused past the hard limit, " + refused + " times");
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                last::get);
        assertTrue(failure.getCause() instanceof SlowConsumerException, "clear exception: " + failure.getCause());
        assertFalse(peer.isClosed(), "BLOCK does not close the peer");
        assertBounded(before, "BLOCK");
        assertTrue(server.stats().slowConsumerEvents().getOrDefault(SlowConsumerPolicy.BLOCK, 0L) > 0,
                "counted: " + server.stats());
    }

    @Test
    void failRefusesAtOnceWithBoundedHeap() throws Exception {
        long before = Probes.heapAfterGc();
        WsPeer peer = stalledPeer(SlowConsumerPolicy.FAIL);
        Frame frame = Frame.binary(new byte[FRAME_BYTES]);
        int refusedWrites = 0;
        int refusedAsync = 0;
        for (int i = 0; i < FRAMES; i++) {
            // half blocking writes with a long timeout (FAIL must not wait for it), half writeAsync
            if (i % 2 == 0) {
                if (peer.write(frame, Duration.ofSeconds(30)) == WriteResult.REFUSED) {
                    refusedWrites++;
                }
            } else {
                CompletableFuture<Void> future = peer.writeAsync(frame);
                if (future.isCompletedExceptionally()) {
                    refusedAsync++;
                    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                            ExecutionException.class, future::get);
                    assertTrue(failure.getCause() instanceof SlowConsumerException,
                            "clear exception: " + failure.getCause());
                }
            }
        }
        assertTrue(refusedWrites > FRAMES / 4, "write returned false " + refusedWrites + " times");
        assertTrue(refusedAsync > FRAMES / 4, "writeAsync failed at once " + refusedAsync + " times");
        assertFalse(peer.isClosed(), "FAIL does not close the peer");
        assertBounded(before, "FAIL");
        assertTrue(server.stats().slowConsumerEvents().getOrDefault(SlowConsumerPolicy.FAIL, 0L)
                >= refusedWrites + refusedAsync,
                "every refusal counted: " + server.stats());
    }

    @Test
    void closeSends1008PastHardLimitWithBoundedHeap() throws Exception {
        long before = Probes.heapAfterGc();
        // a long close timeout, so the close frame waits for the client to read rather than TCP being aborted
        WsPeer peer = stalledPeer(SlowConsumerPolicy.CLOSE, Duration.ofSeconds(20));
        Frame frame = Frame.binary(new byte[FRAME_BYTES]);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(frame, Duration.ofSeconds(30));
        }
        assertEquals(WriteResult.REFUSED, result, "a write failed once past the hard limit");
        assertEquals(WriteResult.CLOSED, peer.write(frame, Duration.ofSeconds(1)),
                "writes after the failure find the peer closing");
        assertBounded(before, "CLOSE");
        // The client finally reads: whole frames (what was already on its way), then the 1008 close, then EOF.
        RawClient.Received close = client.readUntilClose(100_000);
        assertEquals(1008, close.closeCode());
        client.sendClose(1008, "");
        assertTrue(client.awaitEndOfStream(), "TCP closed");
        assertTrue(Probes.eventually(peer::isClosed, 10_000), "the peer is closed");
        assertEquals(1008, peer.closeStatus().code(), "closeStatus: policy violation");
        assertTrue(server.stats().slowConsumerEvents().getOrDefault(SlowConsumerPolicy.CLOSE, 0L) > 0);
        assertTrue(server.stats().closesByCode().getOrDefault(1008, 0L) >= 1, "close counted: " + server.stats());
    }

    /**
     * Pins WsPeer.closeStatus()'s Javadoc ("the server's code when the server failed the connection ... null until a
     * close frame arrives, the connection fails or TCP closes"): once the CLOSE policy has failed the peer, the
     * application sees 1008 at once, not only after the client answered or closeTimeout passed.
     */
    @Test
    void closeStatusIs1008AsSoonAsTheSlowConsumerIsFailed() throws Exception {
        WsPeer peer = stalledPeer(SlowConsumerPolicy.CLOSE, Duration.ofSeconds(20));
        Frame frame = Frame.binary(new byte[FRAME_BYTES]);
        WriteResult result = WriteResult.QUEUED;
        for (int i = 0; i < FRAMES && result == WriteResult.QUEUED; i++) {
            result = peer.write(frame, Duration.ofSeconds(30));
        }
        assertEquals(WriteResult.REFUSED, result, "a write failed once past the hard limit");
        assertTrue(Probes.eventually(() -> peer.closeStatus() != null, 5_000),
                "closeStatus() is set once the server failed the connection");
        assertEquals(1008, peer.closeStatus().code());
    }

    /**
     * DROP: messages of three fragments with a sequence number; the client reads only after all were written and
     * must see whole messages only, in order, some missing; the drops are counted.
     */
    @Test
    void dropDiscardsWholeMessagesOnlyAndCountsThemWithBoundedHeap() throws Exception {
        long before = Probes.heapAfterGc();
        WsPeer peer = stalledPeer(SlowConsumerPolicy.DROP);
        int messages = FRAMES / 3 * 2; // about 256 MiB in 64 KiB fragments... of three each
        for (int seq = 0; seq < messages; seq++) {
            WriteResult first = peer.write(Frame.binary(fragment(seq, 0), false));
            assertTrue(first.isAccepted(), "DROP queues or drops, never refuses");
            assertEquals(first, peer.write(Frame.continuation(fragment(seq, 1), false)), "a message shares one fate");
            assertEquals(first, peer.write(Frame.continuation(fragment(seq, 2), true)));
        }
        assertBounded(before, "DROP");
        long dropped = server.stats().slowConsumerEvents().getOrDefault(SlowConsumerPolicy.DROP, 0L);
        assertTrue(dropped > 0, "drops counted: " + server.stats());
        peer.shutdown(1000, "done", Duration.ofSeconds(10));

        int seen = 0;
        int lastSeq = -1;
        for (int i = 0; i < messages * 3 + 1; i++) {
            RawClient.Received first = client.readFrame();
            if (first.isClose()) {
                assertEquals(1000, first.closeCode());
                break;
            }
            assertEquals(0x2, first.opcode(), "a message starts with BINARY, never with a lone continuation");
            assertFalse(first.fin());
            int seq = checkFragment(first.payload(), -1, 0);
            assertTrue(seq > lastSeq, "messages in order: " + seq + " after " + lastSeq);
            RawClient.Received second = client.readFrame();
            assertEquals(0x0, second.opcode());
            assertFalse(second.fin());
            checkFragment(second.payload(), seq, 1);
            RawClient.Received third = client.readFrame();
            assertEquals(0x0, third.opcode());
            assertTrue(third.fin());
            checkFragment(third.payload(), seq, 2);
            lastSeq = seq;
            seen++;
        }
        client.sendClose(1000, "");
        assertTrue(seen > 0, "some messages got through");
        assertTrue(seen < messages, "some messages were dropped (" + seen + " of " + messages + " arrived)");
    }

    private static byte[] fragment(int seq, int index) {
        byte[] bytes = new byte[128 * 1024 / 2];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.putInt(seq).putInt(index);
        bytes[bytes.length - 1] = (byte) (seq * 3 + index);
        return bytes;
    }

    private static int checkFragment(byte[] payload, int expectedSeq, int expectedIndex) {
        assertEquals(128 * 1024 / 2, payload.length, "fragment intact");
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        int seq = buffer.getInt();
        int index = buffer.getInt();
        if (expectedSeq >= 0) {
            assertEquals(expectedSeq, seq, "fragment of the same message");
        }
        assertEquals(expectedIndex, index, "fragments in order");
        assertEquals((byte) (seq * 3 + index), payload[payload.length - 1], "fragment's last byte");
        return seq;
    }

    private static void assertBounded(long before, String policy) {
        long growth = Probes.heapAfterGc() - before;
        assertTrue(growth < HEAP_BOUND, policy + ": heap after GC grew by " + growth / Probes.MIB + " MiB");
    }
}
