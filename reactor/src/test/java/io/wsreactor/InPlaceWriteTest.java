package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blocking replies that find nothing queued go to the socket from the peer's thread ({@link InPlaceWriter}), and the
 * rules hold as for queued frames: each thread's frames in order, frames whole even when the socket takes them in part,
 * the response first, nothing after the close frame.
 */
class InPlaceWriteTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void aBlockingReplyToARequestIsWrittenInPlace() throws Exception {
        WsServer server = started.start(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(BOUND);
            EchoMode.THREAD.serve(peer);
            for (int i = 0; i < 50; i++) {
                client.sendText("request " + i);
                assertArrayEquals(("request " + i).getBytes(StandardCharsets.UTF_8), client.readFrame().payload());
            }
            assertTrue(peer.connection.reactor.stats.framesOutInPlace.sum() > 0, "replies written by the peer's thread");
            assertEquals(1000, client.closeCleanly(), "the close frame still follows the replies");
        }
    }

    @Test
    void repliesInPlaceAndQueuedFramesOfOtherThreadsStayWholeAndInOrderWhileTheSocketIsFull() throws Exception {
        int writers = 3; // threads that write without reading: queued; thread 3 replies to requests: in place
        int perThread = 300;
        int payload = 8 * 1024; // small enough to go in place, larger than what a full socket takes at once
        WsServer server = started.start(ServerOptions.builder().outboundHighWaterMark(64 * 1024).build());
        try (RawClient client = RawClient.open(server.localAddress(), 16 * 1024)) {
            WsPeer peer = server.accept(BOUND);
            List<CompletableFuture<Void>> threads = new ArrayList<>();
            for (int t = 0; t <= writers; t++) {
                int thread = t;
                threads.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            if (thread == writers) {
                                peer.read(BOUND); // a request: the write below is its reply
                            }
                            assertEquals(WriteResult.QUEUED, peer.write(Frame.binary(numbered(thread, i, payload)),
                                    BOUND));
                        }
                    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                        throw new AssertionError(e);
                    }
                }, runnable -> {
                    Thread writer = new Thread(runnable, "writer-" + thread);
                    writer.setDaemon(true);
                    writer.start();
                }));
            }
            CompletableFuture<Void> requests = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perThread; i++) {
                    try {
                        client.sendText("request " + i);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            Thread.sleep(200); // the client does not read yet: the socket fills and writes are taken in part
            int[] next = new int[writers + 1];
            for (int n = 0; n < (writers + 1) * perThread; n++) {
                byte[] received = client.readFrame().payload();
                int thread = ByteBuffer.wrap(received).getInt();
                int index = ByteBuffer.wrap(received).getInt(4);
                assertEquals(next[thread], index, "thread " + thread + "'s frames in order");
                assertArrayEquals(numbered(thread, index, payload), received, "frame whole");
                next[thread]++;
            }
            requests.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<Void> thread : threads) {
                thread.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(1000, client.closeCleanly());
        }
    }

    private static byte[] numbered(int thread, int index, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) (thread * 31 + index));
        ByteBuffer.wrap(bytes).putInt(thread).putInt(index);
        return bytes;
    }
}
