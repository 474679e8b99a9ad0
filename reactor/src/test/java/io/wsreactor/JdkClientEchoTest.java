package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK's own WebSocket client against an echo built on the blocking API. */
class JdkClientEchoTest {
    private TestServers.Echo echo;

    @BeforeEach
    void start() throws Exception {
        echo = new TestServers.Echo(ServerOptions.builder().maxFramePayload(2 << 20).maxMessageSize(2 << 20)
                .inboundQueueBytes(4 << 20).build());
    }

    @AfterEach
    void stop() {
        echo.close();
        assertTrue(echo.failures.isEmpty(), () -> "echo threads failed: " + echo.failures);
    }

    @Test
    void echoesText() throws Exception {
        JdkClient client = JdkClient.connect(echo.uri("/text"));
        client.socket.sendText("hello, wörld", true).get(10, TimeUnit.SECONDS);
        JdkClient.Event event = client.next();
        assertEquals("text", event.kind());
        assertEquals("hello, wörld", event.text());
        assertTrue(event.last());
    }

    @Test
    void echoesBinary() throws Exception {
        JdkClient client = JdkClient.connect(echo.uri("/"));
        byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0x80};
        client.socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
        JdkClient.Event event = client.next();
        assertEquals("binary", event.kind());
        assertArrayEquals(data, event.data());
    }

    @Test
    void echoesFragmentedTextAsFragments() throws Exception {
        JdkClient client = JdkClient.connect(echo.uri("/"));
        client.socket.sendText("one ", false).get(10, TimeUnit.SECONDS);
        client.socket.sendText("two ", false).get(10, TimeUnit.SECONDS);
        client.socket.sendText("three", true).get(10, TimeUnit.SECONDS);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            JdkClient.Event event = client.next();
            assertEquals("text", event.kind());
            joined.append(event.text());
            if (event.last()) {
                break;
            }
        }
        assertEquals("one two three", joined.toString());
    }

    @Test
    void echoesOneMebibyteBinaryMessage() throws Exception {
        JdkClient client = JdkClient.connect(echo.uri("/"));
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        client.socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
        ByteBuffer received = ByteBuffer.allocate(data.length);
        for (int i = 0; i < 10_000 && received.hasRemaining(); i++) {
            JdkClient.Event event = client.next();
            assertEquals("binary", event.kind());
            received.put(event.data());
            if (event.last()) {
                break;
            }
        }
        assertArrayEquals(data, received.array());
    }

    @Test
    void answersPingWithPongOfSamePayload() throws Exception {
        JdkClient client = JdkClient.connect(echo.uri("/"));
        client.socket.sendPing(ByteBuffer.wrap(new byte[] {7, 8, 9})).get(10, TimeUnit.SECONDS);
        JdkClient.Event event = client.next();
        assertEquals("pong", event.kind());
        assertArrayEquals(new byte[] {7, 8, 9}, event.data());
    }

    @Test
    void clientCloseIsAnsweredAndReaderSeesCodeAndReason() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try {
            JdkClient client = JdkClient.connect(
                    java.net.URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertNotNull(peer);
            client.socket.sendText("last words", true).get(10, TimeUnit.SECONDS);
            client.socket.sendClose(4001, "done here").get(10, TimeUnit.SECONDS);
            Frame frame = peer.read(Duration.ofSeconds(10));
            assertEquals(Frame.text("last words"), frame);
            assertEquals(WriteResult.QUEUED, peer.write(Frame.text("reply")),
                    "a reply before end of stream is still sent");
            assertNull(peer.read(Duration.ofSeconds(10)), "end of stream after the close");
            assertTrue(peer.isClosed());
            JdkClient.Event reply = client.next();
            assertEquals("text", reply.kind());
            assertEquals("reply", reply.text());
            JdkClient.Event close = client.next();
            assertEquals("close", close.kind());
            assertEquals(4001, close.code(), "the server echoes the client's code");
            CloseStatus status = peer.shutdown(1000, "", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertEquals(new CloseStatus(4001, "done here"), status);
            assertEquals(status, peer.closeStatus());
            assertEquals(WriteResult.CLOSED, peer.write(Frame.text("too late")));
        } finally {
            server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverShutdownSendsCodeAndReasonToClient() throws Exception {
        WsServer server = TestServers.listening(ServerOptions.defaults());
        try {
            JdkClient client = JdkClient.connect(
                    java.net.URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            peer.write(new Frame(Opcode.TEXT, true, "bye soon".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            var closed = peer.shutdown(4002, "Goodbye", Duration.ofSeconds(10));
            assertEquals("bye soon", client.next().text(), "data queued before the close goes first");
            JdkClient.Event close = client.next();
            assertEquals("close", close.kind());
            assertEquals(4002, close.code());
            assertEquals("Goodbye", close.text());
            // The JDK client answers the close by itself (echoing the code) once onClose returns.
            assertEquals(4002, closed.get(10, TimeUnit.SECONDS).code());
            assertTrue(peer.isClosed());
            assertNull(peer.read(Duration.ofSeconds(10)));
        } finally {
            server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }
}
