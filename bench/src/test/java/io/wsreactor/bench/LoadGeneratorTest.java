package io.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.bench.servers.NettyEchoServer;
import io.wsreactor.bench.servers.PlainEchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoadGeneratorTest {
    private static final Duration WARMUP = Duration.ofMillis(100);
    private static final Duration MEASURE = Duration.ofMillis(300);

    private static LoadConfig config(int port, int connections, int window, int size, boolean text) {
        return LoadConfig.closedLoop("127.0.0.1", port, connections, window, size, text)
                .withDurations(WARMUP, MEASURE);
    }

    @Test
    void echoesAreCheckedAgainstNettyInTextAndBinary() throws Exception {
        try (NettyEchoServer netty = new NettyEchoServer("127.0.0.1", 0, 1 << 20)) {
            LoadResult text = new LoadGenerator(config(netty.port(), 4, 8, 100, true), LoadListener.NONE).run();
            assertNull(text.failure());
            assertEquals(4, text.connectionsOpened());
            assertTrue(text.sent() >= 4 * 8, "the first pass fills every window: sent " + text.sent());
            assertEquals(text.sent(), text.echoed(), "every message sent was echoed and checked");
            assertTrue(text.messages() <= text.echoed());
            assertEquals(text.messages(), text.latency().count());
            LoadResult binary = new LoadGenerator(config(netty.port(), 2, 2, 70_000, false), LoadListener.NONE).run();
            assertNull(binary.failure());
            assertEquals(binary.sent(), binary.echoed());
            assertEquals(binary.messages() * 70_000, binary.payloadBytes());
        }
    }

    @Test
    void rawModeRunsAgainstThePlainEcho() throws Exception {
        PlainEchoServer plain = new PlainEchoServer("127.0.0.1", 0);
        Thread thread = new Thread(plain::run, "plain-echo");
        thread.start();
        try {
            LoadResult result = new LoadGenerator(config(plain.port(), 3, 4, 32, true).withRaw(true),
                    LoadListener.NONE).run();
            assertNull(result.failure());
            assertTrue(result.sent() >= 3 * 4, "sent " + result.sent());
            assertEquals(result.sent(), result.echoed(), "every message sent came back unchanged");
        } finally {
            plain.close();
            thread.join(5_000);
        }
    }

    @Test
    void fixedRateNeverSendsAheadOfTheScheduleAndTellsTheWindow() throws Exception {
        try (NettyEchoServer netty = new NettyEchoServer("127.0.0.1", 0, 1 << 20)) {
            LoadConfig config = new LoadConfig("127.0.0.1", netty.port(), "/", 10, 1024, 32, true, false, 2_000, false,
                    WARMUP, Duration.ofMillis(500), 16, Duration.ofSeconds(30));
            AtomicInteger events = new AtomicInteger();
            LoadListener listener = new LoadListener() {
                @Override
                public void measurementStarted() {
                    events.incrementAndGet();
                }

                @Override
                public void measurementEnded() {
                    events.addAndGet(10);
                }
            };
            LoadResult result = new LoadGenerator(config, listener).run();
            assertNull(result.failure());
            assertEquals(11, events.get(), "window opened once, then closed once");
            // Whatever the machine's load, by time t the schedule has let each of the 10 connections send at most
            // 1 + t x 2,000 / 10 messages (a late loop catches up to the schedule, never past it). How many fall
            // inside the measured window depends on the machine, so that count is not asserted.
            double allowed = 10 + 2_000 * result.sendingSeconds() + 1;
            assertTrue(result.sent() <= allowed, "sent " + result.sent() + ", schedule allows " + allowed);
            assertTrue(result.sent() > 0, "the first connection's first message is due at once");
            assertEquals(result.sent(), result.echoed(), "every message sent was echoed and checked");
        }
    }

    @Test
    void idleModeHoldsTheConnectionsOpenForTheListener() throws Exception {
        try (NettyEchoServer netty = new NettyEchoServer("127.0.0.1", 0, 1 << 20)) {
            LoadConfig config = new LoadConfig("127.0.0.1", netty.port(), "/", 200, 1, 0, true, false, 0, true,
                    WARMUP, MEASURE, 32, Duration.ofSeconds(30));
            AtomicInteger seen = new AtomicInteger();
            LoadListener listener = new LoadListener() {
                @Override
                public void connectionsOpen(int open) {
                    seen.set(open);
                }
            };
            LoadResult result = new LoadGenerator(config, listener).run();
            assertNull(result.failure());
            assertEquals(200, seen.get());
            assertEquals(200, result.connectionsOpened());
            assertTrue(result.handshakesPerSecond() > 0);
        }
    }

    @Test
    void aCorruptedEchoFailsTheRun() throws Exception {
        // Echoes everything but flips one bit of the 1,000th byte (past the opening bytes, inside the messages).
        try (FakeServer corrupting = new FakeServer((in, out) -> {
            byte[] buffer = new byte[4096];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (total <= 1000 && total + n > 1000) {
                    buffer[(int) (1000 - total)] ^= 0x01;
                }
                total += n;
                out.write(buffer, 0, n);
            }
        })) {
            LoadResult result = new LoadGenerator(config(corrupting.port(), 1, 4, 32, true).withRaw(true),
                    LoadListener.NONE).run();
            assertNotNull(result.failure());
        }
    }

    @Test
    void aServerThatStopsEchoingFailsTheRunAsStalled() throws Exception {
        // Echoes the opening bytes (raw mode), then swallows everything.
        try (FakeServer silent = new FakeServer((in, out) -> {
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            out.write(buffer, 0, n);
            while (in.read(buffer) > 0) {
                // swallow
            }
        })) {
            LoadConfig config = config(silent.port(), 1, 1, 32, true).withRaw(true)
                    .withDurations(Duration.ofSeconds(5), Duration.ofSeconds(1));
            LoadResult result = new LoadGenerator(config, LoadListener.NONE).run();
            assertNotNull(result.failure());
            assertTrue(result.failure().startsWith("stalled"), result.failure());
        }
    }

    @Test
    void aWrongAcceptKeyFailsTheHandshake() throws Exception {
        try (FakeServer liar = new FakeServer((in, out) -> {
            byte[] buffer = new byte[4096];
            int length = 0;
            while (length < 4 || !new String(buffer, 0, length, StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    return;
                }
                length += n;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.read(buffer);
        })) {
            LoadResult result = new LoadGenerator(config(liar.port(), 1, 1, 32, true), LoadListener.NONE).run();
            assertNotNull(result.failure());
            assertTrue(result.failure().contains("Sec-WebSocket-Accept"), result.failure());
        }
    }

    /** A one-connection blocking server on an ephemeral port, for misbehaving on purpose. */
    private static final class FakeServer implements AutoCloseable {
        interface Behaviour {
            void serve(InputStream in, OutputStream out) throws IOException;
        }

        private final ServerSocket socket;
        private final Thread thread;

        FakeServer(Behaviour behaviour) throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket client = socket.accept()) {
                    behaviour.serve(client.getInputStream(), client.getOutputStream());
                } catch (IOException ignored) {
                    // the generator closed the connection: the test is over
                }
            }, "fake-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
