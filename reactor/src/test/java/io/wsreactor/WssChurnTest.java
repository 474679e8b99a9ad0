package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.testkit.RawClient;
import java.io.File;
import java.io.IOException;
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
    void twoHundredIdleWssConnectionsOpenAndCloseWithoutLeakingFds() throws Exception {
        echo = new TestServers.Echo(ServerOptions.builder().tls(certs.serverContext()).build());
        SSLContext client = certs.clientContext(false);
        int connections = 200;
        int fdsBefore = openFds();
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                RawClient c = RawClient.openTls(echo.address(), client);
                clients.add(c);
                c.sendText("client " + i);
            }
            for (int i = 0; i < connections; i++) {
                assertEquals("client " + i, clients.get(i).readFrame().text());
            }
            assertTrue(eventually(() -> echo.server.stats().openConnections() == connections),
                    "all open at once: " + echo.server.stats());
            for (RawClient c : clients) {
                assertEquals(1000, c.closeCleanly());
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertTrue(eventually(() -> echo.server.stats().openConnections() == 0), "all closed: " + echo.server.stats());
        assertTrue(eventually(() -> openFds() <= fdsBefore + 8), "fds before " + fdsBefore + ", after " + openFds());
        assertEquals((long) connections, echo.server.stats().closesByCode().getOrDefault(1000, 0L));
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
