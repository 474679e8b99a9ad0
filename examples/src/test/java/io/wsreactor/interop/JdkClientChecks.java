package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The echo checks with the JDK's {@link java.net.http.WebSocket}: text, binary, 1 MiB, a fragmented message, a
 * ping, and a close with 1000 and a reason, checking the close code the client sees. Used directly and through nginx.
 */
final class JdkClientChecks {
    private static final long TIMEOUT_SECONDS = 20;

    private JdkClientChecks() {
    }

    /** What the listener saw, one event per whole message, pong or close. */
    private sealed interface Event permits TextMessage, BinaryMessage, PongEvent, CloseEvent, ErrorEvent {
    }

    private record TextMessage(String text) implements Event {
    }

    private record BinaryMessage(byte[] bytes) implements Event {
    }

    private record PongEvent(byte[] payload) implements Event {
    }

    private record CloseEvent(int code, String reason) implements Event {
    }

    private record ErrorEvent(Throwable error) implements Event {
    }

    /** Joins message parts and queues whole events for the test thread. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(new TextMessage(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                events.add(new BinaryMessage(binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            events.add(new PongEvent(bytes));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new CloseEvent(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new ErrorEvent(error));
        }

        Event next(String waitingFor) throws InterruptedException {
            Event event = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(event, "JDK client: nothing arrived within " + TIMEOUT_SECONDS + " s while waiting for " + waitingFor);
            return event;
        }
    }

    /** Runs every check against {@code url}; throws AssertionError naming the first one that failed. */
    static void run(URI url) throws Exception {
        Recorder recorder = new Recorder();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(url, recorder).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            socket.sendText("Hello from java.net.http \u00b5\u20ac\ud83d\ude00", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(new TextMessage("Hello from java.net.http \u00b5\u20ac\ud83d\ude00"), recorder.next("text echo"),
                    "text echo");

            byte[] small = new byte[256];
            for (int i = 0; i < small.length; i++) {
                small[i] = (byte) i;
            }
            socket.sendBinary(ByteBuffer.wrap(small), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(small, binary(recorder.next("binary echo")), "binary echo");

            byte[] big = new byte[1024 * 1024];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
            }
            socket.sendBinary(ByteBuffer.wrap(big), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(big, binary(recorder.next("1 MiB echo")), "1 MiB binary echo");

            socket.sendText("fragment one, ", false).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            socket.sendText("fragment two", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(new TextMessage("fragment one, fragment two"), recorder.next("fragmented text echo"),
                    "fragmented text echo");

            socket.sendPing(ByteBuffer.wrap("ping from jdk".getBytes(StandardCharsets.UTF_8))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Event pong = recorder.next("pong");
            assertEquals("ping from jdk", pong instanceof PongEvent p ? new String(p.payload(), StandardCharsets.UTF_8) : pong,
                    "pong with the ping payload");

            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye from jdk").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Event close = recorder.next("the server's close");
            assertEquals(1000, close instanceof CloseEvent c ? c.code() : close, "close code seen by the client");
        } finally {
            socket.abort();
        }
    }

    private static Object binaryOrEvent(Event event) {
        return event instanceof BinaryMessage message ? message.bytes() : event;
    }

    private static byte[] binary(Event event) {
        Object value = binaryOrEvent(event);
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        throw new AssertionError("expected a binary message, got " + value);
    }
}
