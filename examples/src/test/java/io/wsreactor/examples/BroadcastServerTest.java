package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.examples.EchoServer.Mode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The broadcast example with the JDK's client: what any peer sends, every peer receives whole, the sender too. */
class BroadcastServerTest {
    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyMessageReachesEveryPeerWhole(Mode mode) throws Exception {
        Assumptions.assumeTrue(mode != Mode.VIRTUAL || Mode.defaultMode() == Mode.VIRTUAL, "no virtual threads");
        try (BroadcastServer server = BroadcastServer.start("127.0.0.1", 0, mode, 1 << 20)) {
            HttpClient http = HttpClient.newHttpClient();
            List<Collector> peers = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Collector collector = new Collector();
                sockets.add(http.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/room"), collector)
                        .get(10, TimeUnit.SECONDS));
                peers.add(collector);
            }
            assertTrue(waitFor(() -> server.topic().subscriberCount() == 3), "all three subscribed");

            sockets.get(0).sendText("hello", true).get(10, TimeUnit.SECONDS);
            // A message in three fragments is published as one.
            sockets.get(1).sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false).get(10, TimeUnit.SECONDS);
            sockets.get(1).sendBinary(ByteBuffer.wrap(new byte[] {3}), false).get(10, TimeUnit.SECONDS);
            sockets.get(1).sendBinary(ByteBuffer.wrap(new byte[] {4, 5}), true).get(10, TimeUnit.SECONDS);
            for (Collector peer : peers) {
                List<String> got = List.of(peer.next(), peer.next());
                assertTrue(got.contains("text:hello"), got.toString());
                assertTrue(got.contains("binary:[1, 2, 3, 4, 5]"), got.toString());
            }
            sockets.get(2).abort();
            assertTrue(waitFor(() -> server.topic().subscriberCount() == 2), "a peer that left is no subscriber");
            sockets.get(0).sendText("still here", true).get(10, TimeUnit.SECONDS);
            assertEquals("text:still here", peers.get(0).next());
            assertEquals("text:still here", peers.get(1).next());
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    /** Whole messages as "text:..." or "binary:[...]", fragments joined as the JDK client hands them on. */
    private static final class Collector implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 10 s");
            }
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add("text:" + text);
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.write(bytes, 0, bytes.length);
            if (last) {
                byte[] all = binary.toByteArray();
                StringBuilder shown = new StringBuilder("binary:[");
                for (int i = 0; i < all.length; i++) {
                    shown.append(i == 0 ? "" : ", ").append(all[i]);
                }
                messages.add(shown.append(']').toString());
                binary.reset();
            }
            socket.request(1);
            return null;
        }
    }
}
