package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing is written before the 101: a client that sends its upgrade request and its first frames in one write
 * reads the handshake response first, then the answers to those frames in order — the echoes in each of the three
 * application modes.
 */
class UpgradeResponseFirstTest {
    /** Connections per case: the request and the frames arrive in one read almost always, but not by contract. */
    private static final int ROUNDS = 20;
    private static final byte[] PING_PAYLOAD = "pp".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    /** A server whose application echoes in {@code mode}. */
    private void start(EchoMode mode) throws Exception {
        mode.assumeAvailable();
        server = started.start(ServerOptions.defaults());
        mode.serveAll(server, () -> { });
    }

    @Test
    void pingSentWithTheRequestIsAnsweredAfterThe101() throws Exception {
        start(EchoMode.THREAD);
        for (int i = 0; i < ROUNDS; i++) {
            try (RawClient client = sendInOneWrite(RawClient.frameBytes(0x89, PING_PAYLOAD, true))) {
                assertPong(client.readFrame());
                assertEquals(1000, client.closeCleanly());
            }
        }
    }

    @Test
    void closeSentWithTheRequestIsAnsweredAfterThe101() throws Exception {
        start(EchoMode.THREAD);
        for (int i = 0; i < ROUNDS; i++) {
            try (RawClient client = sendInOneWrite(
                    RawClient.frameBytes(0x88, RawClient.closePayload(4000, "at once"), true))) {
                RawClient.Received close = client.readFrame();
                assertTrue(close.isClose(), "the close answer, first after the 101");
                assertEquals(4000, close.closeCode());
                assertTrue(client.awaitEndOfStream());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void textSentWithTheRequestIsEchoedAfterThe101(EchoMode mode) throws Exception {
        start(mode);
        for (int i = 0; i < ROUNDS; i++) {
            try (RawClient client = sendInOneWrite(text("first"))) {
                assertEquals("first", client.readFrame().text());
                assertEquals(1000, client.closeCleanly());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EchoMode.class)
    void pingTextAndCloseSentWithTheRequestAreAnsweredInOrderAfterThe101(EchoMode mode) throws Exception {
        start(mode);
        for (int i = 0; i < ROUNDS; i++) {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            frames.writeBytes(RawClient.frameBytes(0x89, PING_PAYLOAD, true));
            frames.writeBytes(text("echo me"));
            frames.writeBytes(RawClient.frameBytes(0x88, RawClient.closePayload(1000, ""), true));
            try (RawClient client = sendInOneWrite(frames.toByteArray())) {
                assertPong(client.readFrame());
                assertEquals("echo me", client.readFrame().text(), "the echo goes before the close");
                assertEquals(1000, client.readFrame().closeCode());
                assertTrue(client.awaitEndOfStream());
            }
        }
    }

    @Test
    void pingSentWithTheRequestWaitsForAnAsynchronousHookAndThe101() throws Exception {
        start(EchoMode.THREAD);
        server.setProxyHandshakeAsync((request, response) -> CompletableFuture.supplyAsync(() -> response));
        for (int i = 0; i < ROUNDS; i++) {
            try (RawClient client = sendInOneWrite(RawClient.frameBytes(0x89, PING_PAYLOAD, true))) {
                assertPong(client.readFrame());
                assertEquals(1000, client.closeCleanly());
            }
        }
    }

    /** Sends the upgrade request and {@code frames} in one write, and checks that the 101 is the first answer. */
    private RawClient sendInOneWrite(byte[] frames) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(RawClient.upgradeRequest("/"));
        bytes.writeBytes(frames);
        RawClient client = RawClient.connect(server.localAddress());
        try {
            client.write(bytes.toByteArray());
            String head = client.readHttpHead();
            assertTrue(head.startsWith("HTTP/1.1 101"), () -> "the 101 must come first, got: " + head);
            return client;
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    private static byte[] text(String text) {
        return RawClient.frameBytes(0x81, text.getBytes(StandardCharsets.UTF_8), true);
    }

    private static void assertPong(RawClient.Received frame) {
        assertEquals(0x8A, frame.firstByte(), "a final PONG");
        assertEquals("pp", frame.text());
    }
}
