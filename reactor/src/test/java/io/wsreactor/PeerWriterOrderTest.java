package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Message order on the write side: fragments are never interleaved, and each thread's frames keep their order. */
class PeerWriterOrderTest {
    private final StatsRecorder stats = new StatsRecorder();
    private final Outbound outbound = new Outbound(() -> { }, stats, new MemoryBudget(Long.MAX_VALUE));
    private final PeerWriter writer = new PeerWriter(outbound, ServerOptions.builder()
            .outboundHighWaterMark(1L << 40)
            .outboundHardLimit(1L << 40)
            .build(), stats, WriterOwner.quiet());

    @Test
    void aContinuationWithNoMessageStartedIsRejectedAndNothingIsQueued() {
        assertThrows(IllegalStateException.class, () -> writer.offer(Frame.continuation(new byte[1], true), 0, null));
        assertNull(outbound.next());
    }

    @Test
    void aNewMessageInsideAnUnfinishedOneIsRejectedAndTheOpenMessageGoesOn() throws Exception {
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.text("part 1", false), 0, null));
        assertThrows(IllegalStateException.class, () -> writer.offer(Frame.text("intruder"), 0, null));
        assertThrows(IllegalStateException.class, () -> writer.offer(Frame.binary(new byte[1], false), 0, null));
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.continuation(new byte[1], true), 0, null));
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.text("next"), 0, null), "a new message after the end");
        assertEquals(List.of(Opcode.TEXT, Opcode.CONTINUATION, Opcode.TEXT), opcodes(drain()));
    }

    @Test
    void controlFramesMayGoInsideAFragmentedMessage() throws Exception {
        writer.offer(Frame.binary(new byte[1], false), 0, null);
        assertEquals(WriteResult.QUEUED, writer.offer(Frame.ping(new byte[1]), 0, null));
        writer.offer(Frame.continuation(new byte[1], true), 0, null);
        assertEquals(List.of(Opcode.BINARY, Opcode.PING, Opcode.CONTINUATION), opcodes(drain()));
    }

    @Test
    void eachThreadsFramesKeepTheirOrderWhileManyThreadsWrite() throws Exception {
        int threads = 6;
        int perThread = 5_000;
        List<Throwable> failures = runWriters(threads, id -> {
            for (int i = 0; i < perThread; i++) {
                writer.offer(Frame.binary(tag(id, i)), 0, null);
            }
        });
        assertTrue(failures.isEmpty(), failures::toString);
        int[] next = new int[threads];
        for (OutboundEntry entry : drain()) {
            ByteBuffer tag = ByteBuffer.wrap(entry.payload());
            int id = tag.getInt();
            assertEquals(next[id], tag.getInt(), "thread " + id + " keeps its order");
            next[id]++;
        }
        for (int id = 0; id < threads; id++) {
            assertEquals(perThread, next[id], "nothing lost from thread " + id);
        }
    }

    @Test
    void racingWholeMessagesNeverLandInsideAFragmentedMessage() throws Exception {
        int wholeWriters = 4;
        int fragmentedMessages = 300;
        int fragments = 5;
        CountDownLatch fragmentedDone = new CountDownLatch(1);
        List<Throwable> failures = runWriters(wholeWriters + 1, id -> {
            if (id == wholeWriters) {
                try {
                    for (int m = 0; m < fragmentedMessages; m++) {
                        writeFragmented(m, fragments);
                    }
                } finally {
                    fragmentedDone.countDown();
                }
                return;
            }
            for (int i = 0; fragmentedDone.getCount() > 0 && i < 50_000; i++) { // bounded: nothing drains meanwhile
                try {
                    writer.offer(Frame.text("whole " + id), 0, null);
                } catch (IllegalStateException expected) {
                    // a fragmented message is open: whole messages wait for its end, as the API says
                }
            }
        });
        assertTrue(failures.isEmpty(), failures::toString);
        boolean open = false;
        int messagesSeen = 0;
        for (OutboundEntry entry : drain()) {
            Opcode opcode = entry.opcode();
            if (opcode == Opcode.CONTINUATION) {
                assertTrue(open, "a continuation only inside the fragmented message");
            } else {
                assertFalse(open, "a " + opcode + " frame landed inside a fragmented message");
                if (opcode == Opcode.BINARY) {
                    messagesSeen++;
                }
            }
            open = opcode == Opcode.BINARY ? !entry.fin() : open && !entry.fin();
        }
        assertEquals(fragmentedMessages, messagesSeen);
        assertFalse(open, "the last fragmented message ended");
    }

    private void writeFragmented(int message, int fragments) throws InterruptedException {
        writer.offer(Frame.binary(tag(message, 0), false), 0, null);
        for (int f = 1; f < fragments; f++) {
            writer.offer(Frame.continuation(tag(message, f), f == fragments - 1), 0, null);
        }
    }

    @FunctionalInterface
    private interface Writer {
        void run(int id) throws Exception;
    }

    /** Runs {@code count} writers started together; waits for them (bounded); returns what they threw. */
    private static List<Throwable> runWriters(int count, Writer body) throws InterruptedException {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                    body.run(id);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "writer-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (thread.isAlive()) {
                failures.add(new AssertionError(thread.getName() + " did not finish in time"));
            }
        }
        return failures;
    }

    private List<OutboundEntry> drain() {
        List<OutboundEntry> entries = new ArrayList<>();
        for (OutboundEntry entry; (entry = outbound.next()) != null; ) {
            entries.add(entry);
        }
        return entries;
    }

    private static List<Opcode> opcodes(List<OutboundEntry> entries) {
        List<Opcode> opcodes = new ArrayList<>();
        for (OutboundEntry entry : entries) {
            opcodes.add(entry.opcode());
        }
        return opcodes;
    }

    private static byte[] tag(int id, int sequence) {
        return ByteBuffer.allocate(8).putInt(id).putInt(sequence).array();
    }
}
