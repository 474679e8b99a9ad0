package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.testkit.RawClient;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many wss connections coming and going: no fd or buffer left behind, and broken handshakes never disturb others. */
class WssChurnTest {
    private static TestCerts certs;
    private TestServers.Echo echo;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCerts.get();
    }

    @AfterEach
    void stop() {
        if (echo != null) {
            echo.close();
        }
    }

    private static int openFds() {
        String[] names = new File("/proc/self/fd").list();
        return names == null ? -1 : names.length;
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aThousandIdleWssConnectionsComeAndGoLeavingNoFdHeapOrBuffer() throws Exception {
        SSLContext serverContext = certs.serverContext();
        // The JDK's session caches keep up to 20,480 sessions for a day by default: retention by design, not a
        // leak of ours, so both sides keep one here and the heap shows what connections leave behind.
        serverContext.getServerSessionContext().setSessionCacheSize(1);
        try (WsServer server = TestServers.listening(ServerOptions.builder().tls(serverContext).build())) {
            AsyncEcho.serve(server);
            openEchoAndClose(server, 50); // warm: classes, the reactor's buffer pool, the JIT's first compilations
            long heapBefore = usedHeapAfterGc();
            int fdsBefore = openFds();

            int connections = 1_000;
            openEchoAndClose(server, connections);

            assertTrue(eventually(() -> openFds() <= fdsBefore + 8), "fds before " + fdsBefore + ", after " + openFds());
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            // An SSLEngine and its session left behind per connection would be ~10 MB; a direct packet buffer
            // leaves its ~100 B DirectByteBuffer and cleaner on the heap (the reactor's pool keeps at most 64).
            assertTrue(heapGrowth < 2L * 1024 * 1024, "heap grew by " + heapGrowth + " B after " + connections
                    + " wss connections came and went");
            assertEquals((long) connections + 50, server.stats().closesByCode().getOrDefault(1000, 0L));
        }
    }

    /** Opens {@code count} wss connections, echoes once on each, holds them all open and idle, closes them all. */
    private static void openEchoAndClose(WsServer server, int count) throws Exception {
        SSLContext client = certs.clientContext(false);
        client.getClientSessionContext().setSessionCacheSize(1);
        InetSocketAddress address = server.localAddress();
        long closedBefore = server.stats().closesByCode().getOrDefault(1000, 0L);
        List<RawClient> clients = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                RawClient c = RawClient.openTls(address, client);
                clients.add(c);
                c.sendText("client " + i);
                assertEquals("client " + i, c.readFrame().text());
            }
            assertTrue(eventually(() -> server.stats().openConnections() == count),
                    "all open at once: " + server.stats());
            for (RawClient c : clients) {
                assertEquals(1000, c.closeCleanly());
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertTrue(eventually(() -> server.stats().openConnections() == 0), "all closed: " + server.stats());
        assertTrue(eventually(() -> server.stats().closesByCode().getOrDefault(1000, 0L) == closedBefore + count),
                "every close counted: " + server.stats());
    }

    /** Used heap after collections (Runtime's view: this module does not read java.management). */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }

    @Test
    void handshakesCutAtRandomPointsDoNotDisturbAPeerThatKeepsEchoing() throws Exception {
        echo = new TestServers.Echo(ServerOptions.builder().tls(certs.serverContext())
                .handshakeTimeout(Duration.ofSeconds(2)).build());
        SSLContext context = certs.clientContext(false);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger echoes = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        RawClient steady = RawClient.openTls(echo.address(), context);
        Thread echoer = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    steady.sendText("steady " + i);
                    String got = steady.readFrame().text();
                    if (!got.equals("steady " + i)) {
                        throw new AssertionError("echo " + i + " came back as " + got);
                    }
                    echoes.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "steady-echo");
        echoer.start();
        Random random = new Random(12);
        int fdsBefore = openFds();
        for (int i = 0; i < 80; i++) {
            int point = random.nextInt(10);
            try (TlsEngineClient client = new TlsEngineClient(echo.address(), context)) {
                if (random.nextBoolean()) {
                    client.channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close with a reset
                }
                if (point < 3) {
                    byte[] hello = client.clientHello();
                    client.writeRaw(java.util.Arrays.copyOf(hello, random.nextInt(hello.length)));
                } else if (client.handshake(point - 3) && point >= 8) {
                    byte[] request = RawClient.upgradeRequest("/");
                    client.write(java.util.Arrays.copyOf(request, random.nextInt(request.length)));
                }
            } catch (IOException e) {
                // The server may refuse first; what matters is what the steady peer sees.
            }
        }
        int echoesDuringChurn = echoes.get();
        stop.set(true);
        echoer.join(20_000);
        steady.closeCleanly();
        if (failure.get() != null) {
            throw new AssertionError("the steady peer was disturbed", failure.get());
        }
        assertTrue(echoesDuringChurn > 0, "the steady peer echoed while handshakes broke");
        assertTrue(eventually(() -> echo.server.stats().openConnections() == 0), "all closed: " + echo.server.stats());
        assertTrue(eventually(() -> openFds() <= fdsBefore + 8), "fds before " + fdsBefore + ", after " + openFds());
        try (RawClient after = RawClient.openTls(echo.address(), context)) {
            after.sendText("after");
            assertEquals("after", after.readFrame().text());
        }
    }
}
