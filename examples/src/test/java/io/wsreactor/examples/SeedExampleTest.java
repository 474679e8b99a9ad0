package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeedExampleTest {

    @Test
    void echoesOneMessageThenSendsKeyValueAndClosesWith1000Goodbye() throws Exception {
        int port = freePort();
        CompletableFuture<Void> example = CompletableFuture.runAsync(() -> {
            try {
                SeedExample.run(port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        List<String> texts = new CopyOnWriteArrayList<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                texts.add(data.toString());
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }
        };
        WebSocket client = connectWhenListening(port, listener);
        client.sendText("hello seed", true).get(5, TimeUnit.SECONDS);

        assertEquals("1000 Goodbye", closed.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("hello seed", "{\"key\":value}"), texts);
        // The JDK client answers the server's close by itself; the example then closes its server and returns.
        example.get(10, TimeUnit.SECONDS);
        assertTrue(client.isOutputClosed());
    }

    private static WebSocket connectWhenListening(int port, WebSocket.Listener listener) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return http.newWebSocketBuilder().buildAsync(uri, listener).get(5, TimeUnit.SECONDS);
            } catch (Exception notYetListening) {
                if (System.nanoTime() - deadline > 0) {
                    throw notYetListening;
                }
                Thread.sleep(20);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
