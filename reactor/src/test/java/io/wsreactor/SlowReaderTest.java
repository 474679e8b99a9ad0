package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large messages echoed to a client that reads slowly, in thread and future modes: the echo never stalls (each
 * message comes back), the server holds at most about the high-water mark plus a message for it, and when the
 * client leaves its connection is released at once.
 */
class SlowReaderTest {
    private static final int MESSAGE = 4 << 20;
    private static final int MESSAGES = 10;

    private WsServer server;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void largeEchoesReachASlowReaderAndItsLeavingReleasesThePeer(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        server = started.start(ServerOptions.builder().maxFramePayload(8 << 20).maxMessageSize(8 << 20)
                .outboundHighWaterMark(1 << 20).build());
        byte[][] messages = new byte[MESSAGES][MESSAGE];
        Random random = new Random(11);
        for (byte[] message : messages) {
            random.nextBytes(message);
        }
        try (RawClient client = RawClient.open(server.localAddress(), 64 * 1024)) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            mode.serve(peer);
            Thread writer = new Thread(() -> {
                try {
                    for (byte[] message : messages) {
                        client.write(RawClient.frameBytes(0x82, message, true));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "writer");
            writer.setDaemon(true);
            writer.start();
            long mostHeld = 0;
            for (int i = 0; i < MESSAGES; i++) {
                Thread.sleep(50); // a slow reader: the server's queue fills while it dawdles
                mostHeld = Math.max(mostHeld, server.stats().heldBytes());
                assertArrayEquals(messages[i], client.readFrame().payload(), "echo " + i);
            }
            writer.join(30_000);
            assertTrue(mostHeld <= 4L * MESSAGE, "held at most a few messages for the slow reader: " + mostHeld);
            assertEquals(1000, client.closeCleanly(), "the client leaves");
        }
        assertTrue(waitFor(() -> server.stats().openConnections() == 0), "released: " + server.stats());
        assertEquals(0, server.stats().heldBytes(), "nothing held for it");
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
