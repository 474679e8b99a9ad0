package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.CloseInitiator;
import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.ServerStats;
import io.wsreactor.WsServer;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of concurrent connections opened, used (one echo each) and closed, twice: every handshake succeeds, no
 * file descriptor leaks, the heap after GC comes back to where it started; and {@code maxConnections} refuses the
 * upgrade beyond it with 503.
 *
 * <p>2,000 connections by default; {@code -Dwsreactor.full=true} runs 10,000 (scaled down, and said so on stdout,
 * when the process's open-file limit cannot hold two fds per connection: the client and the server side both live
 * in this JVM). Clients spread over 127.0.0.1-4 so no source address runs short of ephemeral ports.
 */
class ManyConnectionsTest {
    private static final boolean FULL = Boolean.getBoolean("wsreactor.full");

    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    @Test
    void thousandsOfConnectionsOpenEchoAndCloseTwiceWithoutLeaks() throws Exception {
        int wanted = FULL ? 10_000 : 2_000;
        long limit = Probes.fdLimit();
        int connections = wanted;
        if (limit > 0 && limit != Long.MAX_VALUE) {
            connections = (int) Math.min(wanted, (limit - Probes.openFds() - 300) / 2);
        }
        if (connections < wanted) {
            System.out.println("ManyConnectionsTest: open-file limit " + limit + " holds " + connections
                    + " connections (two fds each), not " + wanted);
        }
        server = started.start(ServerOptions.builder().backlog(4096).build());
        AsyncEchoApp app = AsyncEchoApp.start(server);
        InetAddress[] sources = new InetAddress[4];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = InetAddress.getByName("127.0.0." + (i + 1));
        }

        long heapBefore = Probes.heapAfterGc();
        int fdsBefore = Probes.openFds();
        for (int round = 0; round < 2; round++) {
            runRound(connections, sources, round);
            int expectedAccepted = connections * (round + 1);
            assertTrue(Probes.eventually(() -> server.stats().openConnections() == 0, 30_000),
                    "every connection closed on the server: " + server.stats());
            assertEquals(expectedAccepted, server.stats().handshakesAccepted(), "every handshake succeeded");
            assertEquals(expectedAccepted, app.accepted.get());
        }
        // A channel registered with a selector releases its fd when the reactor's next select deregisters it.
        assertTrue(Probes.eventually(() -> Probes.openFds() <= fdsBefore + 8, 10_000),
                "fds before " + fdsBefore + ", after " + Probes.openFds());
        int fdsAfter = Probes.openFds();
        long growth = Probes.heapAfterGc() - heapBefore;
        assertTrue(growth < 16 * Probes.MIB, "heap after GC grew by " + growth / 1024 + " KiB");
        ServerStats stats = server.stats();
        assertEquals(2L * connections, stats.closesByCode().getOrDefault(1000, 0L), "all closed with 1000: " + stats);
        assertEquals(2L * connections, stats.framesIn(), "one message each");
        assertEquals(4L * connections, stats.framesOut(), "an echo and a close each, per round");
        assertTrue(stats.bytesOut() > stats.bytesIn(), "bytes out count the 101 responses too: " + stats);
        assertEquals(2L * connections, stats.closesByInitiator().getOrDefault(CloseInitiator.CLIENT, 0L));
        assertTrue(stats.handshakesRejected().isEmpty(), "no rejection: " + stats);
        System.out.println("ManyConnectionsTest: " + connections + " connections x 2 rounds; fds " + fdsBefore
                + " -> " + fdsAfter + "; heap after GC " + heapBefore / Probes.MIB + " -> "
                + (heapBefore + growth) / Probes.MIB + " MiB; " + stats);
    }

    private void runRound(int connections, InetAddress[] sources, int round) throws IOException {
        List<RawClient> clients = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                clients.add(RawClient.open(server.localAddress(), 0, sources[i % sources.length]));
            }
            assertTrue(Probes.eventually(() -> server.stats().openConnections() == connections, 30_000),
                    "all " + connections + " open at once: " + server.stats());
            for (int i = 0; i < connections; i++) {
                clients.get(i).sendText("round " + round + " client " + i);
            }
            for (int i = 0; i < connections; i++) {
                assertEquals("round " + round + " client " + i, clients.get(i).readFrame().text());
            }
            for (RawClient client : clients) {
                client.sendClose(1000, "");
            }
            for (RawClient client : clients) {
                assertEquals(1000, client.readUntilClose(10).closeCode());
                assertTrue(client.awaitEndOfStream(), "the server closed TCP");
                client.close();
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void upgradesBeyondMaxConnectionsGet503AndRoomIsMadeByClosing() throws Exception {
        int max = 50;
        server = started.start(ServerOptions.builder().maxConnections(max).build());
        AsyncEchoApp.start(server);
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                clients.add(RawClient.open(server.localAddress()));
            }
            for (int i = 0; i < 5; i++) {
                try (RawClient extra = RawClient.connect(server.localAddress())) {
                    extra.write(RawClient.upgradeRequest("/"));
                    String head = extra.readHttpHead();
                    assertTrue(head.startsWith("HTTP/1.1 503"), "beyond maxConnections: " + head);
                    assertTrue(extra.awaitEndOfStream());
                }
            }
            assertEquals(5L, server.stats().handshakesRejected().getOrDefault(503, 0L));
            // the ones in are unaffected
            clients.get(0).sendText("still served");
            assertEquals("still served", clients.get(0).readFrame().text());
            // one leaves: a new one gets in
            assertEquals(1000, clients.remove(0).closeCleanly());
            assertTrue(Probes.eventually(() -> server.stats().openConnections() == max - 1, 10_000));
            clients.add(RawClient.open(server.localAddress()));
            assertEquals(max, server.stats().openConnections());
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }
}
