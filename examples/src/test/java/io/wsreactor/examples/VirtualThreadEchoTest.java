package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wsreactor.examples.EchoServer.Mode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blocking API on virtual threads. Runs where the test JVM has them: the examples module's {@code virtual-threads}
 * Surefire execution runs it on JDK 25 when {@code /usr/lib/jvm/temurin-25-jdk-amd64} exists; on JDK 17 it is skipped.
 */
class VirtualThreadEchoTest {
    private static final int CLIENTS = 200;
    private static final int MESSAGES = 20;

    @Test
    void twoHundredPeersEachServedByAVirtualThreadEchoEveryMessageInOrder() throws Exception {
        assumeTrue(EchoServer.virtualThreadExecutor() != null, "this JVM has no virtual threads");
        try (EchoServer server = EchoServer.start("127.0.0.1", 0, Mode.VIRTUAL, 1 << 20)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<LinkedBlockingQueue<String>> inboxes = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
                inboxes.add(inbox);
                sockets.add(http.newWebSocketBuilder().buildAsync(uri, collectingInto(inbox)).get(10, TimeUnit.SECONDS));
            }
            for (int m = 0; m < MESSAGES; m++) {
                List<CompletableFuture<WebSocket>> sends = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    sends.add(sockets.get(c).sendText("client " + c + " message " + m, true));
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
            for (int c = 0; c < CLIENTS; c++) {
                for (int m = 0; m < MESSAGES; m++) {
                    assertEquals("client " + c + " message " + m, inboxes.get(c).poll(10, TimeUnit.SECONDS));
                }
                sockets.get(c).sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static WebSocket.Listener collectingInto(LinkedBlockingQueue<String> inbox) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                inbox.add(data.toString());
                webSocket.request(1);
                return null;
            }
        };
    }
}
