package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.WsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's Quick start samples are these two classes, word for word: each README block must equal its class's
 * file after the package line, and each sample must serve several clients at once with the JDK's client.
 */
@Timeout(120)
class QuickStartTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path SOURCES = ROOT.resolve("examples/src/main/java/io/wsreactor/examples");

    @Test
    void theReadmeShowsTheBlockingSampleAsItIs() throws IOException {
        assertEquals(body("QuickStartBlocking"), readmeBlock("QuickStartBlocking"));
    }

    @Test
    void theReadmeShowsTheAsyncSampleAsItIs() throws IOException {
        assertEquals(body("QuickStartAsync"), readmeBlock("QuickStartAsync"));
    }

    @Test
    void theBlockingSampleServesEveryClientAndEndsWhenTheServerCloses() throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0);
        server.listen();
        // its own thread, not the common pool: the pool may have one worker, which the JDK's client also uses
        CompletableFuture<Void> serving = new CompletableFuture<>();
        Thread acceptor = new Thread(() -> {
            try {
                QuickStartBlocking.serve(server);
                serving.complete(null);
            } catch (Throwable t) {
                serving.completeExceptionally(t);
            }
        }, "quick-start-acceptor");
        acceptor.start();
        try {
            echoesForSeveralClients(server);
        } finally {
            server.close();
        }
        serving.get(30, TimeUnit.SECONDS); // accept returned null: the loop ended
    }

    @Test
    void theAsyncSampleServesEveryClient() throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0);
        server.listen();
        try {
            QuickStartAsync.acceptNext(server);
            echoesForSeveralClients(server);
        } finally {
            server.shutdown(java.time.Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Three clients at once, then a fourth after they left; each sends many messages without waiting. */
    private static void echoesForSeveralClients(WsServer server) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/");
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(Client.connect(uri));
        }
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).sendAndCheck("client " + i, 2_000);
        }
        for (Client client : clients) {
            client.close();
        }
        Client late = Client.connect(uri);
        late.sendAndCheck("late client", 10);
        late.close();
    }

    /** The file's text after its package line and the blank line that follows. */
    private static String body(String className) throws IOException {
        String text = Files.readString(SOURCES.resolve(className + ".java"), StandardCharsets.UTF_8);
        String header = "package io.wsreactor.examples;\n\n";
        assertTrue(text.startsWith(header), className + " starts with its package line");
        return text.substring(header.length());
    }

    /** The README's java block that declares {@code className}. */
    private static String readmeBlock(String className) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (block.find()) {
            if (block.group(1).contains("public final class " + className + " {")) {
                return block.group(1);
            }
        }
        throw new AssertionError("README.md has no java block declaring " + className);
    }

    /** A JDK WebSocket client that collects the text messages it receives. */
    private static final class Client implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Client connect(URI uri) throws Exception {
            Client client = new Client();
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, client)
                    .get(30, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** Sends {@code count} messages back to back, then checks every echo in order. */
        void sendAndCheck(String prefix, int count) throws Exception {
            CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(socket);
            for (int i = 0; i < count; i++) {
                String message = prefix + " #" + i;
                sent = sent.thenCompose(ws -> ws.sendText(message, true));
            }
            sent.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                String echo = received.poll(60, TimeUnit.SECONDS);
                assertNotNull(echo, prefix + ": echo " + i + " arrived");
                assertEquals(prefix + " #" + i, echo);
            }
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(30, TimeUnit.SECONDS);
        }
    }
}
