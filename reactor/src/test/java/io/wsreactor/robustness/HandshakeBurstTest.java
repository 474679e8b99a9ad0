package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.EchoMode;
import io.wsreactor.ServerOptions;
import io.wsreactor.WsServer;
import io.wsreactor.testkit.RawClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A burst of handshakes, 256 in flight at a time, against an application that accepts more slowly than the reactor
 * handshakes (a platform thread started per peer, or futures): with a small accept queue every upgrade is absorbed
 * (it waits for room within its handshake timeout) and none gets 503. 2,000 connections, 10,000 with
 * {@code -Dwsreactor.full=true}; all stay open until the end, as a burst of players joining would.
 */
class HandshakeBurstTest {
    private static final int CONCURRENT = 256;

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void burstOfHandshakesIsAbsorbedWithoutA503(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        int connections = Boolean.getBoolean("wsreactor.full") ? 10_000 : 2_000;
        long limit = Probes.fdLimit();
        if (limit > 0 && limit != Long.MAX_VALUE) {
            connections = (int) Math.min(connections, (limit - Probes.openFds() - 300) / 2);
        }
        WsServer server = WsServer.create("127.0.0.1", 0, ServerOptions.builder()
                .backlog(16) // far below the burst: the wait for room is what absorbs it
                .handshakeTimeout(Duration.ofMinutes(1))
                .build());
        server.listen();
        AtomicInteger served = new AtomicInteger();
        Thread acceptor = mode.serveAll(server, served::incrementAndGet);
        List<RawClient> clients = Collections.synchronizedList(new ArrayList<>());
        ExecutorService openers = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                InetAddress source = InetAddress.getByName("127.0.0." + (1 + i % 4));
                opened.add(openers.submit(() -> {
                    RawClient client = RawClient.connect(server.localAddress(), 0, source);
                    // An upgrade may wait for room in the accept queue up to the handshake timeout, a minute here.
                    client.setTimeout(60_000);
                    client.upgrade(); // fails on anything but 101
                    clients.add(client);
                    return null;
                }));
            }
            for (Future<?> future : opened) {
                future.get(2, TimeUnit.MINUTES);
            }
            assertEquals(connections, server.stats().handshakesAccepted());
            assertTrue(server.stats().handshakesRejected().isEmpty(), "no 503: " + server.stats());
            // Every peer is served: one echo each.
            for (RawClient client : clients) {
                client.sendText("hello");
            }
            for (RawClient client : clients) {
                assertEquals("hello", client.readFrame().text());
            }
            assertEquals(connections, served.get());
        } finally {
            openers.shutdownNow();
            for (RawClient client : clients) {
                client.abort();
            }
            server.shutdown(Duration.ofMillis(500)).get(60, TimeUnit.SECONDS);
            acceptor.join(10_000);
        }
    }
}
