package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The flusher against a transport with no socket: short writes, split headers, gathering, the close fence. */
class FlusherTest {
    private final StatsRecorder stats = new StatsRecorder();
    private final Outbound outbound = new Outbound(() -> { }, stats, new MemoryBudget(Long.MAX_VALUE));
    private final FakeTransport transport = new FakeTransport();

    @Test
    void writesAFrameWholeAndCompletesItsFuture() throws IOException {
        CompletableFuture<Void> written = offer(Frame.text("hello"));
        assertEquals(Flusher.Result.DONE, new Flusher(1024).flush(transport, outbound));
        assertArrayEquals(wire(Frame.text("hello")), transport.bytes());
        assertTrue(written.isDone() && !written.isCompletedExceptionally());
    }

    @Test
    void gathersSeveralFramesIntoOneTransportWrite() throws IOException {
        offer(Frame.text("a"));
        offer(Frame.binary(new byte[300]));
        offer(Frame.text("c"));
        assertEquals(Flusher.Result.DONE, new Flusher(1024).flush(transport, outbound));
        assertEquals(1, transport.writes(), "one write for the three frames");
        assertArrayEquals(wire(Frame.text("a"), Frame.binary(new byte[300]), Frame.text("c")), transport.bytes());
    }

    @Test
    void anEmptyOutboundIsDoneWithoutWriting() throws IOException {
        assertEquals(Flusher.Result.DONE, new Flusher(1024).flush(transport, outbound));
        assertEquals(0, transport.writes());
    }

    @Test
    void aShortWriteIsBlockedAndTheNextFlushResumesWhereItStopped() throws IOException {
        Flusher flusher = new Flusher(1024);
        CompletableFuture<Void> written = offer(Frame.text("hello, world"));
        transport.thenTake(5);
        assertEquals(Flusher.Result.BLOCKED, flusher.flush(transport, outbound));
        assertFalse(written.isDone(), "not written until its last byte is");
        assertEquals(Flusher.Result.DONE, flusher.flush(transport, outbound));
        assertArrayEquals(wire(Frame.text("hello, world")), transport.bytes());
        assertTrue(written.isDone());
    }

    @Test
    void aHeaderSplitAcrossShortWritesIsResumedByteForByte() throws IOException {
        Flusher flusher = new Flusher(1024);
        Frame big = Frame.binary(pattern(70_000)); // a ten-byte header
        offer(big);
        transport.thenTake(1).thenTake(3).thenTake(4);
        for (int i = 0; i < 3; i++) {
            assertEquals(Flusher.Result.BLOCKED, flusher.flush(transport, outbound), "write " + i);
        }
        assertEquals(8, transport.bytes().length, "eight of the ten header bytes so far");
        drain(flusher);
        assertArrayEquals(wire(big), transport.bytes());
    }

    @Test
    void aHeaderSplitByTheEndOfTheBufferIsFinishedInTheNextRound() throws IOException {
        Flusher flusher = new Flusher(16);
        Frame first = Frame.binary(pattern(13)); // 15 bytes: one byte of the buffer is left
        Frame second = Frame.binary(pattern(200)); // a four-byte header, split after its first byte
        offer(first);
        offer(second);
        drain(flusher);
        assertArrayEquals(wire(first, second), transport.bytes());
    }

    @Test
    void aPayloadLargerThanTheBufferIsCopiedInPieces() throws IOException {
        Frame big = Frame.binary(pattern(5000));
        offer(big);
        drain(new Flusher(64));
        assertArrayEquals(wire(big), transport.bytes());
    }

    @Test
    void aZeroByteWriteIsBlockedAndLosesNothing() throws IOException {
        Flusher flusher = new Flusher(1024);
        CompletableFuture<Void> written = offer(Frame.text("patience"));
        transport.thenTake(0);
        assertEquals(Flusher.Result.BLOCKED, flusher.flush(transport, outbound));
        assertEquals(0, transport.bytes().length);
        assertFalse(written.isDone());
        assertEquals(Flusher.Result.DONE, flusher.flush(transport, outbound));
        assertArrayEquals(wire(Frame.text("patience")), transport.bytes());
    }

    @Test
    void theRoundLimitReturnsMoreWhenTheQueueOutlastsIt() throws IOException {
        Flusher flusher = new Flusher(16);
        for (int i = 0; i < Flusher.MAX_ROUNDS + 4; i++) {
            offer(Frame.binary(pattern(14))); // one frame fills one buffer
        }
        assertEquals(Flusher.Result.MORE, flusher.flush(transport, outbound));
        assertEquals(Flusher.MAX_ROUNDS, transport.writes());
        assertEquals(Flusher.Result.DONE, flusher.flush(transport, outbound));
        assertEquals((Flusher.MAX_ROUNDS + 4) * 16, transport.bytes().length);
    }

    @Test
    void aCloseFrameFencesTheQueue() throws IOException {
        offer(Frame.text("before"));
        outbound.offerClose(Frame.close(1000, "").payload());
        CompletableFuture<Void> after = offer(Frame.text("after"));
        assertEquals(Flusher.Result.DONE, new Flusher(1024).flush(transport, outbound));
        assertArrayEquals(wire(Frame.text("before"), Frame.close(1000, "")), transport.bytes());
        assertTrue(outbound.isCloseWritten());
        assertFalse(after.isDone(), "nothing after the close frame is written");
        outbound.failAll();
        assertFailedWith(ClosedChannelException.class, after);
    }

    @Test
    void aPartlyWrittenCloseFrameIsNotYetWritten() throws IOException {
        Flusher flusher = new Flusher(1024);
        outbound.offerClose(Frame.close(1000, "bye").payload());
        transport.thenTake(3);
        assertEquals(Flusher.Result.BLOCKED, flusher.flush(transport, outbound));
        assertFalse(outbound.isCloseWritten());
        assertEquals(Flusher.Result.DONE, flusher.flush(transport, outbound));
        assertTrue(outbound.isCloseWritten());
    }

    @Test
    void anIOExceptionPutsTheTakenEntriesBackSoFailingTheOutboundFailsThem() {
        CompletableFuture<Void> first = offer(Frame.text("one"));
        CompletableFuture<Void> second = offer(Frame.text("two"));
        IOException broken = new IOException("broken pipe");
        transport.thenFail(broken);
        assertSame(broken, assertThrows(IOException.class, () -> new Flusher(1024).flush(transport, outbound)));
        assertFalse(first.isDone());
        outbound.failAll();
        assertFailedWith(ClosedChannelException.class, first);
        assertFailedWith(ClosedChannelException.class, second);
        assertEquals(0, outbound.queuedBytes(), "their bytes are given back");
    }

    @Test
    void aFramePartlyWrittenIsFinishedBeforeAPongQueuedMeanwhile() throws IOException {
        Flusher flusher = new Flusher(1024);
        Frame data = Frame.binary(pattern(100));
        offer(data);
        transport.thenTake(10);
        assertEquals(Flusher.Result.BLOCKED, flusher.flush(transport, outbound));
        outbound.pong(new byte[] {7});
        assertEquals(Flusher.Result.DONE, flusher.flush(transport, outbound));
        assertArrayEquals(wire(data, Frame.pong(new byte[] {7})), transport.bytes(), "frames never interleave");
    }

    @Test
    void theHandshakeResponseIsWrittenAsItIsBeforeAnyFrame() throws IOException {
        offer(Frame.text("queued early"));
        outbound.pong(new byte[] {1});
        byte[] response = "HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        outbound.respond(response);
        assertEquals(Flusher.Result.DONE, new Flusher(1024).flush(transport, outbound));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(response);
        expected.writeBytes(wire(Frame.pong(new byte[] {1}), Frame.text("queued early")));
        assertArrayEquals(expected.toByteArray(), transport.bytes());
    }

    @Test
    void countsFramesAndBytesOutButNotTheResponseAsAFrame() throws IOException {
        outbound.respond(new byte[] {'H', 'T'});
        offer(Frame.text("x"));
        new Flusher(1024).flush(transport, outbound);
        assertEquals(1, stats.framesOut);
        assertEquals(2 + 3, stats.bytesOut);
    }

    @Test
    void queuedBytesFallOnlyAsWholeFramesAreWritten() throws IOException {
        Flusher flusher = new Flusher(1024);
        offer(Frame.text("one")); // 5 bytes on the wire
        offer(Frame.text("two"));
        assertEquals(2 * MemoryBudget.cost(5), outbound.queuedBytes());
        transport.thenTake(7);
        flusher.flush(transport, outbound);
        assertEquals(MemoryBudget.cost(5), outbound.queuedBytes(), "the second frame is only partly written");
        flusher.flush(transport, outbound);
        assertEquals(0, outbound.queuedBytes());
        assertNull(outbound.next());
    }

    private CompletableFuture<Void> offer(Frame frame) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        outbound.offer(OutboundEntry.frame(Kind.DATA, frame.opcode(), frame.fin(), frame.payload(), future));
        return future;
    }

    /** Flushes until everything is written, within a bound. */
    private void drain(Flusher flusher) throws IOException {
        for (int i = 0; i < 10_000; i++) {
            if (flusher.flush(transport, outbound) == Flusher.Result.DONE) {
                return;
            }
        }
        throw new AssertionError("the flusher never finished");
    }

    private static byte[] wire(Frame... frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            bytes.writeBytes(FrameEncoder.encode(frame));
        }
        return bytes.toByteArray();
    }

    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    static void assertFailedWith(Class<? extends Throwable> type, CompletableFuture<?> future) {
        assertTrue(future.isCompletedExceptionally(), "the future failed");
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        assertInstanceOf(type, e.getCause());
    }
}
