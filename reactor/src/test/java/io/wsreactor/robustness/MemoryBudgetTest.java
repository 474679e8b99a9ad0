package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.EchoMode;
import io.wsreactor.ServerOptions;
import io.wsreactor.ServerStats;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server-wide memory budget: hostile clients whose frames are never read cannot make the server hold more than
 * the budget (plus a small step per peer), however many they are and however large their per-peer bounds, while a
 * well-behaved peer keeps being served; and a single message of the full limit still gets through.
 */
class MemoryBudgetTest {
    private static final long BUDGET = 4 * Probes.MIB;
    private static final int HOSTILE = 12;
    private static final int FRAME = 64 * 1024;
    /** Each hostile client offers 8 MiB: 96 MiB in all, 24 times the budget. */
    private static final int FRAMES_EACH = 128;
    /** What a peer may hold past the budget: one small read's frames, a frame's first array (64 KiB). */
    private static final long STEP_PER_PEER = 96 * 1024;

    private WsServer server;
    private final List<RawClient> clients = new ArrayList<>();
    private final List<Thread> floods = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawClient client : clients) {
            client.abort();
        }
        for (Thread flood : floods) {
            flood.join(10_000);
        }
        if (server != null) {
            server.shutdown(Duration.ofMillis(500)).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void hostileClientsNeverReadCannotHoldMoreThanTheBudgetAndOthersAreServed() throws Exception {
        server = WsServer.create("127.0.0.1", 0, ServerOptions.builder()
                .memoryBudget(BUDGET)
                .inboundQueueBytes(64 * Probes.MIB) // per peer, the bound that does not protect the server
                .inboundQueueFrames(1 << 20)
                .build());
        server.listen();
        long heapBefore = Probes.heapAfterGc();
        List<WsPeer> hoarded = new ArrayList<>();
        for (int i = 0; i < HOSTILE; i++) {
            RawClient client = RawClient.open(server.localAddress());
            hoarded.add(server.accept(Duration.ofSeconds(10))); // accepted, never read
            startFlood(client);
        }
        waitUntilSteady(() -> server.stats().bytesIn());

        ServerStats stats = server.stats();
        long bound = BUDGET + (HOSTILE + 1) * STEP_PER_PEER;
        assertTrue(stats.heldBytes() > BUDGET / 2, "the clients pushed the budget into pressure: " + stats);
        assertTrue(stats.heldBytes() <= bound, "held " + stats.heldBytes() + " > " + bound + ": " + stats);
        assertTrue(stats.budgetPauses() >= HOSTILE / 2, "the peers over their share paused: " + stats);
        long growth = Probes.heapAfterGc() - heapBefore;
        assertTrue(growth < bound + 16 * Probes.MIB, "heap after GC grew by " + growth / 1024 + " KiB");
        System.out.println("MemoryBudgetTest: " + HOSTILE + " clients offered " + HOSTILE * FRAMES_EACH * (FRAME >> 10)
                + " KiB against a budget of " + (BUDGET >> 10) + " KiB; read " + (stats.bytesIn() >> 10) + " KiB, held "
                + (stats.heldBytes() >> 10) + " KiB, heap after GC grew " + (growth >> 10) + " KiB");

        // A well-behaved peer is served while the budget is spent.
        try (RawClient side = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            for (int i = 0; i < 50; i++) {
                side.sendText("side " + i);
                Frame frame = peer.read(Duration.ofSeconds(10));
                assertEquals("side " + i, frame.text());
                peer.write(frame);
                assertEquals("side " + i, side.readFrame().text());
            }
        }

        // What the hostile peers held leaves the budget with them.
        hoarded.forEach(WsPeer::close);
        assertTrue(Probes.eventually(() -> server.stats().heldBytes() == 0, 10_000),
                "nothing held after the peers closed: " + server.stats());
    }

    /**
     * The attack against an echo server: clients flood and never read their echoes, so the application's
     * writes back fill the outbound side too. In each mode the budget holds, a well-behaved client is echoed by the
     * same application meanwhile, and everything held is released when the attackers leave.
     */
    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void floodersThatNeverReadTheirEchoesStayWithinTheBudget(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        server = WsServer.create("127.0.0.1", 0, ServerOptions.builder().memoryBudget(BUDGET).build());
        server.listen();
        mode.serveAll(server, () -> { });
        long heapBefore = Probes.heapAfterGc();
        for (int i = 0; i < HOSTILE; i++) {
            startFlood(RawClient.open(server.localAddress(), 4096)); // reads nothing: a small window fills
        }
        waitUntilSteady(() -> server.stats().bytesIn());

        ServerStats stats = server.stats();
        long bound = BUDGET + (HOSTILE + 1) * STEP_PER_PEER;
        assertTrue(stats.heldBytes() <= bound, mode + ": held " + stats.heldBytes() + " > " + bound + ": " + stats);
        long growth = Probes.heapAfterGc() - heapBefore;
        assertTrue(growth < bound + 16 * Probes.MIB, mode + ": heap after GC grew by " + growth / 1024 + " KiB");
        try (RawClient side = RawClient.open(server.localAddress())) {
            for (int i = 0; i < 50; i++) {
                side.sendText("side " + i);
                assertEquals("side " + i, side.readFrame().text(), mode + ": the side client is echoed");
            }
            assertEquals(1000, side.closeCleanly());
        }
        for (RawClient client : clients) {
            client.abort();
        }
        assertTrue(Probes.eventually(() -> server.stats().heldBytes() == 0, 20_000),
                mode + ": nothing held after the attackers left: " + server.stats());
    }

    @Test
    void aMessageOfTheFullLimitStillGetsThrough() throws Exception {
        int limit = (int) BUDGET / 2;
        server = WsServer.create("127.0.0.1", 0, ServerOptions.builder()
                .memoryBudget(BUDGET).maxFramePayload(limit).maxMessageSize(limit)
                .inboundQueueBytes(2L * limit).build());
        server.listen();
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            byte[] payload = new byte[limit];
            new Random(7).nextBytes(payload);
            for (int round = 0; round < 3; round++) {
                client.write(RawClient.frameBytes(0x82, payload, true));
                Frame frame = peer.read(Duration.ofSeconds(30));
                assertNotNull(frame);
                assertArrayEquals(payload, frame.payload(), "round " + round);
            }
        }
    }

    @Test
    void aBudgetBelowTwiceTheFrameLimitIsRefusedAtBuild() {
        ServerOptions.Builder builder = ServerOptions.builder().memoryBudget(3 * Probes.MIB).maxFramePayload(2 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("memoryBudget"), e.getMessage());
    }

    /** {@code client} sends its frames on a thread of its own until TCP pushes back for good or it is aborted. */
    private void startFlood(RawClient client) {
        clients.add(client);
        Thread flood = new Thread(() -> flood(client), "flood-" + floods.size());
        flood.setDaemon(true);
        flood.start();
        floods.add(flood);
    }

    private static void flood(RawClient client) {
        byte[] frame = RawClient.frameBytes(0x82, new byte[FRAME], true);
        try {
            for (int i = 0; i < FRAMES_EACH; i++) {
                client.write(frame);
            }
        } catch (IOException e) {
            // the test aborts the socket while TCP pushes back
        }
    }

    /** Waits, at most 20 s, until the counter stops moving for half a second. */
    private static void waitUntilSteady(LongSupplier counter) throws InterruptedException {
        long previous = -1;
        int steady = 0;
        for (int i = 0; i < 200 && steady < 5; i++) {
            Thread.sleep(100);
            long value = counter.getAsLong();
            steady = value == previous ? steady + 1 : 0;
            previous = value;
        }
    }
}
