package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many messages, many writer threads, many connections. */
class ConcurrencyTest {

    @Test
    void echoesThousandPipelinedMessagesInOrder() throws Exception {
        try (TestServers.Echo echo = new TestServers.Echo(); RawClient client = RawClient.open(echo.address())) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                burst.writeBytes(RawClient.frameBytes(0x81, ("message " + i).getBytes(StandardCharsets.UTF_8), true));
            }
            client.write(burst.toByteArray());
            for (int i = 0; i < 1000; i++) {
                assertEquals("message " + i, client.readFrame().text());
            }
        }
    }

    @Test
    void sixteenThreadsWritingToOnePeerKeepFramesIntactAndInOrder() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.builder().outboundHighWaterMark(64 * 1024).build());
        int threads = 16;
        int perThread = 500;
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            CountDownLatch start = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread writer = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            // Sizes vary so some frames have 16-bit lengths; the body repeats the header text.
                            String head = id + ":" + i + ":";
                            String text = head + head.repeat(i % 7 == 0 ? 40 : 1);
                            if (peer.write(Frame.text(text), Duration.ofSeconds(30)) != WriteResult.QUEUED) {
                                throw new AssertionError("write refused");
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                writers.add(writer);
                writer.start();
            }
            start.countDown();
            Map<Integer, Integer> nextByThread = new HashMap<>();
            for (int n = 0; n < threads * perThread; n++) {
                RawClient.Received frame = client.readFrame();
                assertEquals(0x81, frame.firstByte());
                String[] parts = frame.text().split(":", 3);
                int id = Integer.parseInt(parts[0]);
                int i = Integer.parseInt(parts[1]);
                String head = id + ":" + i + ":";
                assertEquals(head + head.repeat(i % 7 == 0 ? 40 : 1), frame.text(), "frame intact");
                assertEquals(nextByThread.getOrDefault(id, 0), i, "thread " + id + " order kept");
                nextByThread.put(id, i + 1);
            }
            for (Thread writer : writers) {
                writer.join(10_000);
            }
            assertTrue(failures.isEmpty(), () -> "writers failed: " + failures);
        } finally {
            server.close();
        }
    }

    @Test
    void futureOnlyEchoAnswersEveryMessage() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        AsyncEcho.serve(server);
        try (RawClient client = RawClient.open(server.localAddress())) {
            for (int round = 0; round < 50; round++) {
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 0; i < 20; i++) {
                    burst.writeBytes(RawClient.frameBytes(0x82, new byte[] {(byte) round, (byte) i}, true));
                }
                client.write(burst.toByteArray());
                for (int i = 0; i < 20; i++) {
                    RawClient.Received frame = client.readFrame();
                    assertEquals(0x82, frame.firstByte());
                    assertEquals(round, frame.payload()[0]);
                    assertEquals(i, frame.payload()[1]);
                }
            }
            client.sendClose(1000, "");
            assertEquals(1000, client.readFrame().closeCode());
            assertTrue(client.awaitEndOfStream());
        } finally {
            server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void thousandConcurrentConnectionsAllEcho() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        AsyncEcho.serve(server);
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                clients.add(RawClient.open(server.localAddress()));
            }
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).sendText("client " + i);
            }
            for (int i = 0; i < clients.size(); i++) {
                assertEquals("client " + i, clients.get(i).readFrame().text());
            }
            assertEquals(1000L, server.stats().openConnections());
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
            server.shutdown(Duration.ofSeconds(2)).get(20, TimeUnit.SECONDS);
        }
    }
}
