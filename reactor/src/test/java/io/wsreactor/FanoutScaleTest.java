package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 subscribers of one topic over real sockets receive every published message, in order and byte for byte.
 * The clients run in a JVM of their own ({@link FanoutClientMain}: a selector thread), so neither process needs
 * more than about 10,000 file descriptors.
 */
class FanoutScaleTest {
    private static final int SUBSCRIBERS = 10_000;
    private static final int MESSAGES = 24;
    private static final int MAX_SIZE = 4000;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void tenThousandSubscribersReceiveEveryMessageInOrderByteExact() throws Exception {
        WsServer server = started.start(ServerOptions.builder().acceptTimeout(Duration.ofMinutes(3)).build());
        Topic topic = server.topic("all");
        Thread acceptor = new Thread(() -> {
            try {
                for (WsPeer peer; (peer = server.accept()) != null; ) {
                    topic.subscribe(peer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fanout-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();

        Process clients = ChildJvm.start(FanoutClientMain.class, List.of("-Xmx512m", "-XX:+UseSerialGC"),
                String.valueOf(server.localAddress().getPort()), String.valueOf(SUBSCRIBERS),
                String.valueOf(MESSAGES), String.valueOf(MAX_SIZE));
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = output.readLine();
            assertEquals("READY", ready, "the clients upgraded");
            assertTrue(Await.until(() -> topic.subscriberCount() == SUBSCRIBERS, 60_000),
                    "every peer subscribed: " + topic.subscriberCount());
            for (int k = 0; k < MESSAGES; k++) {
                PublishResult result = topic.publish(Frame.binary(FanoutMessages.message(k, MAX_SIZE)));
                assertEquals(SUBSCRIBERS, result.queued(), "message " + k + ": " + result);
            }
            String verdict = output.readLine();
            assertTrue(clients.waitFor(180, TimeUnit.SECONDS), "the clients finished");
            assertEquals(0, clients.exitValue(), String.valueOf(verdict));
            assertTrue(verdict.startsWith("OK"), verdict);
        } finally {
            clients.destroyForcibly();
        }
    }
}
