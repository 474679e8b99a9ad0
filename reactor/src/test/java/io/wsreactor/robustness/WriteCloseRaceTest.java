package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * writeAsync racing the end of the connection: every future must complete (sent, or failed because the peer
 * closed), whichever way the connection ends. Narrowed from {@link ConcurrentChaosTest}.
 */
class WriteCloseRaceTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    private int raceOnce(int way) throws Exception {
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        RawClient client = RawClient.open(server.localAddress(), 4096);
        WsPeer peer = server.accept(Duration.ofSeconds(10));
        assertNotNull(peer);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    futures.add(peer.writeAsync(Frame.binary(new byte[2000])));
                }
            });
            writers.add(writer);
            writer.start();
        }
        Thread.sleep(1);
        switch (way) {
            case 0 -> peer.close();
            case 1 -> client.abort();
            default -> peer.shutdown(1000, "", Duration.ofMillis(50));
        }
        for (Thread writer : writers) {
            writer.join(10_000);
        }
        client.abort();
        Probes.eventually(() -> futures.stream().allMatch(CompletableFuture::isDone), 5_000);
        return (int) futures.stream().filter(f -> !f.isDone()).count();
    }

    @Test
    void everyWriteAsyncCompletesWhenThePeerIsClosedMeanwhile() throws Exception {
        assertNoHang(0);
    }

    @Test
    void everyWriteAsyncCompletesWhenTheClientDropsMeanwhile() throws Exception {
        assertNoHang(1);
    }

    @Test
    void everyWriteAsyncCompletesWhenThePeerIsShutDownMeanwhile() throws Exception {
        assertNoHang(2);
    }

    private void assertNoHang(int way) throws Exception {
        server = started.start(ServerOptions.builder()
                .outboundHighWaterMark(64 * 1024)
                .outboundHardLimit(8 << 20)
                .build());
        int hung = 0;
        int rounds = 0;
        for (; rounds < 30 && hung == 0; rounds++) {
            hung += raceOnce(way);
        }
        assertEquals(0, hung, "writeAsync futures never completed (round " + rounds + ")");
    }
}
