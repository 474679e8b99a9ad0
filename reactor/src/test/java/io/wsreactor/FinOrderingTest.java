package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a half-closed client is owed (RFC 6455 §7): the echoes of what it sent before its FIN, and the answer to its
 * close, whatever the order in which the FIN and the application's reads reach the server. The interleaving is
 * forced: the application starts reading only once the reactor has seen the client's end of input.
 */
class FinOrderingTest {
    private WsServer server;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    private WsPeer open(RawClient[] client) throws Exception {
        server = started.start(ServerOptions.builder().maxFramePayload(8 << 20).maxMessageSize(8 << 20)
                .closeTimeout(Duration.ofSeconds(30)).build());
        client[0] = RawClient.open(server.localAddress());
        return server.accept(Duration.ofSeconds(10));
    }

    /** Waits until the reactor has read the client's end of input. */
    private static void awaitInputEnded(WsPeer peer) throws Exception {
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<Boolean> ended = new CompletableFuture<>();
            peer.connection.execute(() -> ended.complete(peer.connection.hasInputEnded()));
            if (ended.get(10, TimeUnit.SECONDS)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the reactor never saw the client's FIN");
    }

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void dataSentBeforeFinIsEchoedWhenTheApplicationReadsAfterTheFin(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        RawClient[] client = new RawClient[1];
        WsPeer peer = open(client);
        try (RawClient c = client[0]) {
            for (int i = 0; i < 5; i++) {
                c.sendText("before fin " + i);
            }
            c.shutdownOutput();
            awaitInputEnded(peer);
            mode.serve(peer);
            for (int i = 0; i < 5; i++) {
                assertEquals("before fin " + i, c.readFrame().text());
            }
            assertTrue(c.awaitEndOfStream(), "TCP closed once the echoes were out");
        }
        assertEquals(1006, peer.shutdown(1000, "", Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS).code());
    }

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void closeThenFinIsAnsweredAfterTheEchoesWhenTheApplicationReadsAfterTheFin(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        RawClient[] client = new RawClient[1];
        WsPeer peer = open(client);
        try (RawClient c = client[0]) {
            for (int i = 0; i < 3; i++) {
                c.sendText("before close " + i);
            }
            c.sendClose(4000, "done");
            c.shutdownOutput();
            awaitInputEnded(peer);
            mode.serve(peer);
            for (int i = 0; i < 3; i++) {
                assertEquals("before close " + i, c.readFrame().text());
            }
            RawClient.Received close = c.readFrame();
            assertTrue(close.isClose(), "then the answer to the close");
            assertEquals(4000, close.closeCode());
            assertTrue(c.awaitEndOfStream());
        }
        assertEquals(4000, peer.closeStatus().code());
    }

    @Test
    void closeThenFinIsAnsweredWhenTheApplicationNeverReads() throws Exception {
        server = started.start(ServerOptions.builder().closeTimeout(Duration.ofMillis(300)).build());
        try (RawClient c = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            c.sendText("never read");
            c.sendClose(1000, "");
            c.shutdownOutput();
            RawClient.Received close = c.readFrame();
            assertTrue(close.isClose(), "the owed close goes out at the close timeout");
            assertEquals(1000, close.closeCode());
            assertTrue(c.awaitEndOfStream());
            assertEquals(Frame.text("never read"), peer.read(Duration.ofSeconds(10)),
                    "the frame is still readable after the close");
        }
    }

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void fiveLargeMessagesThenFinAreAllEchoed(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        RawClient[] client = new RawClient[1];
        WsPeer peer = open(client);
        mode.serve(peer);
        byte[][] messages = new byte[5][4 << 20];
        Random random = new Random(5);
        for (byte[] message : messages) {
            random.nextBytes(message);
        }
        try (RawClient c = client[0]) {
            Thread writer = new Thread(() -> {
                try {
                    for (byte[] message : messages) {
                        c.write(RawClient.frameBytes(0x82, message, true));
                    }
                    c.shutdownOutput();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "writer");
            writer.start(); // the client reads while it writes, as a real one would
            for (int i = 0; i < messages.length; i++) {
                assertArrayEquals(messages[i], c.readFrame().payload(), "echo " + i);
            }
            writer.join(30_000);
            assertTrue(c.awaitEndOfStream(), "TCP closed after the last echo");
        }
    }
}
