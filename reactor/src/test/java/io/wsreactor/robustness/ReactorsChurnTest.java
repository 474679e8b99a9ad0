package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.ServerStats;
import io.wsreactor.StartedServer;
import io.wsreactor.WsServer;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 connections through a server with four reactors, a thousand open at a time, each echoing one message and
 * leaving (three in four with a close handshake, one in four with a TCP reset): every handshake succeeds, every
 * reactor stays up, and no file descriptor or heap is left behind.
 */
class ReactorsChurnTest {
    private static final int TOTAL = 10_000;
    private static final int AT_ONCE = 1_000;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void tenThousandConnectionsThroughFourReactorsLeaveNoFdOrHeapBehind() throws Exception {
        WsServer server = started.start(ServerOptions.builder().reactors(4).backlog(2 * AT_ONCE).build());
        String reactorThreads = "wsreactor-" + server.localAddress().getPort();
        assertEquals(4, Probes.threadsNamed(reactorThreads));
        AsyncEchoApp app = AsyncEchoApp.start(server);
        InetAddress[] sources = new InetAddress[4];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = InetAddress.getByName("127.0.0." + (i + 1));
        }
        runBatch(server, sources, 200, 0); // warm up: classes loaded, buffers made, before the baseline
        assertTrue(Probes.eventually(() -> server.stats().openConnections() == 0, 30_000));
        long heapBefore = Probes.heapAfterGc();
        int fdsBefore = Probes.openFds();

        for (int batch = 0; batch < TOTAL / AT_ONCE; batch++) {
            runBatch(server, sources, AT_ONCE, batch + 1);
            assertTrue(Probes.eventually(() -> server.stats().openConnections() == 0, 30_000),
                    "batch " + batch + " all closed on the server: " + server.stats());
        }

        assertTrue(Probes.eventually(() -> Probes.openFds() <= fdsBefore + 8, 10_000),
                "fds before " + fdsBefore + ", after " + Probes.openFds());
        long growth = Probes.heapAfterGc() - heapBefore;
        assertTrue(growth < 16 * Probes.MIB, "heap after GC grew by " + growth / 1024 + " KiB");
        assertEquals(4, Probes.threadsNamed(reactorThreads), "every reactor still runs");
        ServerStats stats = server.stats();
        assertEquals(200L + TOTAL, stats.handshakesAccepted(), "every handshake succeeded: " + stats);
        assertTrue(stats.handshakesRejected().isEmpty(), "no rejection: " + stats);
        assertEquals(200L + TOTAL, stats.framesIn(), "one message each");
        assertEquals(200L + TOTAL, app.echoed.get());
        assertEquals(0L, app.failures.get());
        System.out.println("ReactorsChurnTest: " + TOTAL + " connections over 4 reactors; fds " + fdsBefore + " -> "
                + Probes.openFds() + "; heap after GC grew " + growth / 1024 + " KiB; " + stats);
    }

    private static void runBatch(WsServer server, InetAddress[] sources, int count, int batch) throws IOException {
        List<RawClient> clients = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                clients.add(RawClient.open(server.localAddress(), 0, sources[i % sources.length]));
            }
            for (int i = 0; i < count; i++) {
                clients.get(i).sendText("batch " + batch + " client " + i);
            }
            for (int i = 0; i < count; i++) {
                assertEquals("batch " + batch + " client " + i, clients.get(i).readFrame().text());
            }
            for (int i = 0; i < count; i++) {
                RawClient client = clients.get(i);
                if (i % 4 == 3) {
                    client.abort();
                } else {
                    client.sendClose(1000, "");
                }
            }
            for (int i = 0; i < count; i++) {
                if (i % 4 != 3) {
                    assertEquals(1000, clients.get(i).readUntilClose(10).closeCode());
                    assertTrue(clients.get(i).awaitEndOfStream(), "the server closed TCP");
                }
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }
}
