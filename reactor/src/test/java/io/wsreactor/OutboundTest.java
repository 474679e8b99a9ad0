package io.wsreactor;

import static io.wsreactor.FlusherTest.assertFailedWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.OutboundEntry.Kind;
import io.wsreactor.frame.Opcode;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The outbound path's order and bookkeeping, driven as the reactor drives it, with no socket and no flusher. */
class OutboundTest {
    private final StatsRecorder stats = new StatsRecorder();
    private int flushRequests;
    private final Outbound outbound = new Outbound(() -> flushRequests++, stats, new MemoryBudget(Long.MAX_VALUE));

    @Test
    void theResponseGoesBeforePongsThePingAndQueuedDataWhateverWasQueuedFirst() {
        OutboundEntry data = data(3);
        outbound.offer(data);
        outbound.pong(new byte[] {1});
        outbound.ping(new byte[] {2});
        outbound.respond(new byte[] {'H'});
        assertEquals(Kind.RESPONSE, outbound.next().kind());
        assertEquals(Opcode.PONG, outbound.next().opcode());
        assertEquals(Opcode.PING, outbound.next().opcode());
        assertSame(data, outbound.next());
        assertNull(outbound.next());
    }

    @Test
    void aSecondResponseIsRefused() {
        outbound.respond(new byte[] {'H'});
        assertThrows(IllegalStateException.class, () -> outbound.respond(new byte[] {'H'}));
    }

    @Test
    void aResponseAfterAnEntryWasTakenIsRefused() {
        outbound.offer(data(1));
        outbound.next();
        assertThrows(IllegalStateException.class, () -> outbound.respond(new byte[] {'H'}));
    }

    @Test
    void aResponseEntryCannotBeOfferedAsAFrame() {
        assertThrows(IllegalArgumentException.class, () -> outbound.offer(OutboundEntry.response(new byte[1])));
        assertThrows(IllegalArgumentException.class,
                () -> OutboundEntry.frame(Kind.RESPONSE, Opcode.TEXT, true, new byte[1], null));
    }

    @Test
    void pongsAnswerPingsInOrderAheadOfQueuedData() {
        OutboundEntry data = data(1);
        outbound.offer(data);
        for (int i = 0; i < 3; i++) {
            outbound.pong(new byte[] {(byte) i});
        }
        for (int i = 0; i < 3; i++) {
            OutboundEntry pong = outbound.next();
            assertEquals(Kind.CONTROL, pong.kind());
            assertArrayEquals(new byte[] {(byte) i}, pong.payload());
        }
        assertSame(data, outbound.next());
    }

    @Test
    void aPingFloodKeepsAtMostTheLimitOfPongsWithTheNewestLast() {
        int pings = Outbound.MAX_PENDING_PONGS + 5;
        for (int i = 0; i < pings; i++) {
            outbound.pong(new byte[] {(byte) i});
        }
        List<Byte> answered = new ArrayList<>();
        for (OutboundEntry pong; (pong = outbound.next()) != null; ) {
            answered.add(pong.payload()[0]);
        }
        assertEquals(Outbound.MAX_PENDING_PONGS, answered.size());
        assertEquals((byte) 0, answered.get(0), "the oldest pongs are kept in order");
        assertEquals((byte) (pings - 1), answered.get(answered.size() - 1), "the newest replaces the last waiting");
    }

    @Test
    void aNewKeepalivePingReplacesAnUnwrittenOne() {
        outbound.ping(new byte[] {1});
        outbound.ping(new byte[] {2});
        assertArrayEquals(new byte[] {2}, outbound.next().payload());
        assertNull(outbound.next());
    }

    @Test
    void nothingIsTakenAfterTheCloseFrame() {
        outbound.offer(data(1));
        outbound.offerClose(new byte[] {3, (byte) 232});
        outbound.offer(data(2));
        outbound.next();
        assertEquals(Kind.CLOSE, outbound.next().kind());
        outbound.pong(new byte[] {9});
        assertNull(outbound.next(), "neither data nor a pong after the close frame");
    }

    @Test
    void entriesPutBackComeFirstInTheirOrder() {
        OutboundEntry a = data(1);
        OutboundEntry b = data(2);
        OutboundEntry c = data(3);
        outbound.offer(a);
        outbound.offer(b);
        outbound.offer(c);
        OutboundEntry[] taken = {outbound.next(), outbound.next()};
        outbound.pong(new byte[0]);
        outbound.putBack(taken, 0, 2);
        assertSame(a, outbound.next());
        assertSame(b, outbound.next());
        assertEquals(Opcode.PONG, outbound.next().opcode());
        assertSame(c, outbound.next());
    }

    @Test
    void oneFlushIsRequestedPerBurstUntilTheMarkIsCleared() {
        outbound.offer(data(1));
        outbound.offer(data(1));
        outbound.pong(new byte[0]);
        assertEquals(1, flushRequests);
        outbound.clearFlushScheduled();
        outbound.offer(data(1));
        assertEquals(2, flushRequests);
    }

    @Test
    void emptyDataFramesCountTheirOverheadInTheQueueAndTheServersBudget() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        Outbound counted = new Outbound(() -> { }, stats, budget);
        for (int i = 0; i < 1000; i++) {
            counted.offer(data(0));
        }
        assertEquals(1000 * MemoryBudget.cost(2), counted.queuedBytes(), "an empty frame is not free");
        assertEquals(counted.queuedBytes(), budget.held());
        counted.onWritten(counted.next());
        counted.failAll();
        assertEquals(0, budget.held(), "written and failed frames leave the budget");
    }

    @Test
    void onlyDataFramesCountInQueuedBytes() {
        outbound.offer(data(10)); // 12 bytes with its header
        outbound.pong(new byte[5]);
        outbound.ping(new byte[8]);
        outbound.offerClose(new byte[2]);
        assertEquals(MemoryBudget.cost(12), outbound.queuedBytes());
    }

    @Test
    void writingAnEntryCompletesItsFutureCountsItAndGivesBackItsBytes() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        OutboundEntry entry = OutboundEntry.frame(Kind.DATA, Opcode.BINARY, true, new byte[4], future);
        outbound.offer(entry);
        outbound.onWritten(outbound.next());
        assertTrue(future.isDone() && !future.isCompletedExceptionally());
        assertEquals(0, outbound.queuedBytes());
        assertEquals(1, stats.framesOut);
        assertEquals(6, stats.bytesOut);
        assertNull(entry.payload(), "the payload is let go once written");
    }

    @Test
    void theReleaseListenerHearsTheBytesLeftAfterEachRelease() {
        List<Long> left = new ArrayList<>();
        outbound.onRelease(left::add);
        outbound.offer(data(10));
        outbound.offer(data(20));
        outbound.onWritten(outbound.next());
        outbound.failAll();
        assertEquals(List.of(MemoryBudget.cost(22), 0L), left);
    }

    @Test
    void discardingKeepsAPartlyWrittenFrameAndFailsTheRestWithTheReasonGiven() {
        CompletableFuture<Void> partial = new CompletableFuture<>();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        CompletableFuture<Void> takenWhole = new CompletableFuture<>();
        outbound.offer(OutboundEntry.frame(Kind.DATA, Opcode.BINARY, true, new byte[10], partial));
        outbound.offer(OutboundEntry.frame(Kind.DATA, Opcode.BINARY, true, new byte[10], takenWhole));
        OutboundEntry[] taken = {outbound.next(), outbound.next()};
        taken[0].written = 4;
        outbound.putBack(taken, 0, 2);
        outbound.offer(OutboundEntry.frame(Kind.DATA, Opcode.BINARY, true, new byte[10], queued));
        SlowConsumerException why = new SlowConsumerException("too slow");
        outbound.discardQueued(why);
        assertFalse(partial.isDone(), "a frame begun on the wire is finished");
        assertFailedWith(SlowConsumerException.class, takenWhole);
        assertFailedWith(SlowConsumerException.class, queued);
        assertSame(taken[0], outbound.next());
        assertEquals(MemoryBudget.cost(12), outbound.queuedBytes(), "only the partly written frame still counts");
    }

    @Test
    void failingAllFailsEveryEntryWithClosedChannelAndDropsControlFrames() {
        CompletableFuture<Void> queued = new CompletableFuture<>();
        outbound.offer(OutboundEntry.frame(Kind.DATA, Opcode.TEXT, true, new byte[3], queued));
        outbound.pong(new byte[1]);
        outbound.ping(new byte[1]);
        outbound.failAll();
        assertFailedWith(ClosedChannelException.class, queued);
        assertNull(outbound.next());
        assertEquals(0, outbound.queuedBytes());
    }

    private static OutboundEntry data(int length) {
        return OutboundEntry.frame(Kind.DATA, Opcode.BINARY, true, new byte[length], null);
    }
}
