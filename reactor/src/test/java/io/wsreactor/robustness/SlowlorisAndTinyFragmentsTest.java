package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slowloris (a request dribbled a byte at a time, each byte well inside any per-read timeout) is closed by the
 * handshake deadline counted from the TCP accept; a stream of tiny or empty fragments costs bounded memory and
 * {@code readMessage} stops at {@code maxFragments}.
 */
class SlowlorisAndTinyFragmentsTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    @Test
    void dribbledHandshakesAreClosedByTheDeadlineWhileOthersConnect() throws Exception {
        server = started.start(ServerOptions.builder()
                .handshakeTimeout(Duration.ofMillis(800))
                .build());
        AsyncEchoApp.start(server);
        byte[] request = RawClient.upgradeRequest("/slow");
        int loris = 50;
        List<Socket> sockets = new ArrayList<>();
        int[] sent = new int[loris];
        boolean[] closed = new boolean[loris];
        try {
            for (int i = 0; i < loris; i++) {
                Socket socket = new Socket("127.0.0.1", server.localAddress().getPort());
                socket.setSoTimeout(1);
                sockets.add(socket);
            }
            // One byte per socket every 50 ms: the ~170-byte request would need over 8 s to complete.
            int open = loris;
            for (int step = 0; step < request.length && open > 0; step++) {
                for (int i = 0; i < loris; i++) {
                    if (!closed[i] && !dribble(sockets.get(i), request[step])) {
                        closed[i] = true;
                        open--;
                    } else if (!closed[i]) {
                        sent[i]++;
                    }
                }
                if (step % 4 == 0) {
                    // meanwhile a well-behaved client still gets in and is echoed
                    try (RawClient client = RawClient.open(server.localAddress())) {
                        client.sendText("hello " + step);
                        assertEquals("hello " + step, client.readFrame().text());
                    }
                }
                Thread.sleep(50);
            }
            for (int i = 0; i < loris; i++) {
                assertTrue(closed[i], "slowloris " + i + " closed before its request was complete (sent " + sent[i]
                        + " of " + request.length + " bytes)");
                assertTrue(sent[i] < request.length);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertEquals(0, server.stats().handshakesRejected().values().stream().mapToLong(Long::longValue).sum()
                - server.stats().handshakesRejected().getOrDefault(408, 0L), "no other rejection");
    }

    /** Sends one byte; false once the server has closed the connection (end of stream, or a reset on write). */
    private static boolean dribble(Socket socket, byte b) {
        try {
            InputStream in = socket.getInputStream();
            try {
                byte[] sink = new byte[512];
                if (in.read(sink) < 0) {
                    return false; // whatever it said (a status line or nothing), the server closed
                }
            } catch (SocketTimeoutException e) {
                // nothing to read yet: still open
            }
            socket.getOutputStream().write(b);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void emptyFragmentsStopAtMaxFragmentsWith1009AndBoundedMemory() throws Exception {
        server = started.start(ServerOptions.builder()
                .maxFragments(100)
                .inboundQueueFrames(64)
                .closeTimeout(Duration.ofMillis(500))
                .build());
        long heapBefore = Probes.heapAfterGc();
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertNotNull(peer);
            AtomicLong fragments = new AtomicLong();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> emptyFragments(client, 1_000_000,
                    fragments));
            Frame message = peer.readMessage(Duration.ofSeconds(20));
            assertNull(message, "no message: it has more than maxFragments fragments");
            assertTrue(Probes.eventually(peer::isClosed, 10_000), "the connection is failed");
            assertEquals(1009, peer.closeStatus().code());
            RawClient.Received close = client.readUntilClose(1000);
            assertEquals(1009, close.closeCode(), "the client is told why");
            client.abort();
            assertTrue(Probes.eventually(flood::isDone, 10_000), "the flood ends");
            assertTrue(fragments.get() < 1_000_000, "the server did not take the whole flood");
            long growth = Probes.heapAfterGc() - heapBefore;
            assertTrue(growth < 32 * Probes.MIB, "heap after GC grew by " + growth / Probes.MIB + " MiB");
        }
    }

    @Test
    void emptyFragmentsNobodyReadsAreBoundedInFramesNotOnlyBytes() throws Exception {
        int queueFrames = 256;
        server = started.start(ServerOptions.builder()
                .inboundQueueFrames(queueFrames)
                .maxFragments(1_000_000)
                .maxMessageSize(1 << 20)
                .build());
        long heapBefore = Probes.heapAfterGc();
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertNotNull(peer);
            AtomicLong fragments = new AtomicLong();
            int total = 2_000_000; // 12 MB of 6-byte frames
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> emptyFragments(client, total, fragments));
            long previous = -1;
            for (int i = 0; i < 200; i++) { // until the server stops reading, at most 10 s
                Thread.sleep(50);
                long in = server.stats().framesIn();
                if (in == previous && in > 0) {
                    break;
                }
                previous = in;
            }
            long framesIn = server.stats().framesIn();
            // the bound: the queue's frames plus the rest of the read that filled it (the reactor's read buffer is
            // 128 KiB, so at most 21,845 six-byte frames)
            assertTrue(framesIn <= queueFrames + 131072 / 6 + 16, "server took " + framesIn + " frames");
            assertFalse(flood.isDone(), "TCP pushes back on the client");
            long growth = Probes.heapAfterGc() - heapBefore;
            assertTrue(growth < 32 * Probes.MIB, "heap after GC grew by " + growth / Probes.MIB + " MiB");
            peer.close();
            client.abort();
            assertTrue(Probes.eventually(flood::isDone, 10_000));
        }
    }

    /** A TEXT start, then empty continuations that never finish. */
    private static void emptyFragments(RawClient client, int count, AtomicLong sent) {
        Random random = new Random(7);
        byte[] first = RawClient.frameBytes(0x01, new byte[0], true, random);
        byte[] empty = RawClient.frameBytes(0x00, new byte[0], true, random);
        byte[] batch = new byte[empty.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(empty, 0, batch, i * empty.length, empty.length);
        }
        try {
            client.write(first);
            for (int i = 0; i < count / 1000; i++) {
                client.write(batch);
                sent.addAndGet(1000);
            }
        } catch (IOException e) {
            // the server closed the connection: the expected end of the flood
        }
    }
}
