package io.wsreactor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's java.net.http.WebSocket client, recording what it receives as events in a queue. */
final class JdkClient implements WebSocket.Listener {
    /** One thing the client received: kind is text, binary, ping, pong, close or error. */
    record Event(String kind, String text, byte[] data, boolean last, int code) {
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final WebSocket socket;

    private JdkClient(URI uri, HttpClient http) throws Exception {
        socket = http.newWebSocketBuilder().buildAsync(uri, this).get(10, TimeUnit.SECONDS);
    }

    static JdkClient connect(URI uri) throws Exception {
        return new JdkClient(uri, HttpClient.newHttpClient());
    }

    static JdkClient connect(URI uri, HttpClient http) throws Exception {
        return new JdkClient(uri, http);
    }

    Event next() throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event from the server within 10 s");
        }
        return event;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        events.add(new Event("text", data.toString(), null, last, 0));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        events.add(new Event("binary", null, bytes, last, 0));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        events.add(new Event("pong", null, bytes, true, 0));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        events.add(new Event("ping", null, bytes, true, 0));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Event("close", reason, null, true, statusCode));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Event("error", String.valueOf(error), null, true, 0));
    }
}
