package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.bench.servers.NettyEchoServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The load generator and the handshake storm over wss://, against Netty's JDK-provider SslHandler. */
@Timeout(120)
class WssLoadTest {
    @TempDir
    static Path dir;
    private static BenchCerts ec;
    private static BenchCerts rsa;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ec = BenchCerts.make(dir, "ec");
        rsa = BenchCerts.make(dir, "rsa");
    }

    private static NettyEchoServer netty(BenchCerts certs) throws Exception {
        return new NettyEchoServer("127.0.0.1", 0, 1 << 20, 1, NettyEchoServer.jdkTls(certs.cert(), certs.key()));
    }

    @Test
    void echoesAreCheckedOverWssWithSmallAndLargeMessages() throws Exception {
        try (NettyEchoServer netty = netty(ec)) {
            ClientTls tls = ClientTls.trusting(ec.cert());
            LoadConfig small = LoadConfig.closedLoop("127.0.0.1", netty.port(), 4, 8, 100, true)
                    .withDurations(Duration.ofMillis(100), Duration.ofMillis(300)).withTls(tls);
            LoadResult text = new LoadGenerator(small, LoadListener.NONE).run();
            assertNull(text.failure());
            assertEquals(4, text.connectionsOpened());
            assertTrue(text.sent() >= 4 * 8, "sent " + text.sent());
            assertEquals(text.sent(), text.echoed(), "every message sent was echoed and checked");
            // 70,000 bytes: several TLS records per message, more than one read's worth of decrypted bytes
            LoadConfig large = LoadConfig.closedLoop("127.0.0.1", netty.port(), 2, 2, 70_000, false)
                    .withDurations(Duration.ofMillis(100), Duration.ofMillis(300)).withTls(tls);
            LoadResult binary = new LoadGenerator(large, LoadListener.NONE).run();
            assertNull(binary.failure());
            assertEquals(binary.sent(), binary.echoed());
        }
    }

    @Test
    void idleWssConnectionsOpenWithAFullHandshakeEach() throws Exception {
        try (NettyEchoServer netty = netty(rsa)) {
            LoadConfig config = new LoadConfig("127.0.0.1", netty.port(), "/", 50, 1, 0, true, false, 0, true,
                    Duration.ofMillis(100), Duration.ofMillis(300), 16, Duration.ofSeconds(60),
                    ClientTls.trusting(rsa.cert()));
            LoadResult result = new LoadGenerator(config, LoadListener.NONE).run();
            assertNull(result.failure());
            assertEquals(50, result.connectionsOpened());
        }
    }

    @Test
    void aServerWithAnotherCertificateIsNotTrusted() throws Exception {
        try (NettyEchoServer netty = netty(rsa)) {
            LoadConfig config = LoadConfig.closedLoop("127.0.0.1", netty.port(), 1, 1, 10, true)
                    .withDurations(Duration.ofMillis(100), Duration.ofMillis(100))
                    .withTls(ClientTls.trusting(ec.cert()));
            LoadResult result = new LoadGenerator(config, LoadListener.NONE).run();
            assertTrue(result.failure() != null && result.failure().contains("handshake"), result.failure());
        }
    }

    @Test
    void theStormsReplayedClientHellosAreAnsweredByTheServer() throws Exception {
        try (NettyEchoServer netty = netty(ec)) {
            long answered;
            try (HandshakeStorm storm = new HandshakeStorm(netty.port(), ClientTls.trusting(ec.cert()), 20,
                    Duration.ofSeconds(60))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (storm.answered() < 40 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                answered = storm.answered();
                assertNull(storm.problem());
            }
            assertTrue(answered >= 40, "the server answered " + answered + " replayed ClientHellos");
        }
    }
}
