package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the JDK client cannot send: broken frames, over a raw socket, against a server whose peer we hold. */
class ProtocolErrorTest {
    private WsServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.listening(ServerOptions.builder().maxFramePayload(1024).maxMessageSize(4096).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
    }

    private RawClient openAndAccept(WsPeer[] peer) throws Exception {
        RawClient client = RawClient.open(server.localAddress());
        peer[0] = server.accept(Duration.ofSeconds(10));
        assertNotNull(peer[0]);
        return client;
    }

    /** Sends bytes and expects the close frame with {@code code} as the next frame, then TCP closed. */
    private void expectFailure(byte[] bytes, int code) throws Exception {
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            client.write(bytes);
            assertNull(peer[0].read(Duration.ofSeconds(10)), "the reader sees end of stream");
            RawClient.Received close = client.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(code, close.closeCode());
            assertTrue(client.awaitEndOfStream(), "TCP closed after the close frame");
            assertEquals(code, peer[0].closeStatus().code());
        }
    }

    @Test
    void rejectsUnmaskedClientFrameWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0x81, "hi".getBytes(StandardCharsets.UTF_8), false), 1002);
    }

    @Test
    void rejectsReservedOpcodeWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0x83, new byte[0], true), 1002);
    }

    @Test
    void rejectsReservedControlOpcodeWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0x8B, new byte[0], true), 1002);
    }

    @Test
    void rejectsRsvBitsWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0xC1, "x".getBytes(StandardCharsets.UTF_8), true), 1002);
    }

    @Test
    void rejectsOversizedFrameWith1009() throws Exception {
        expectFailure(RawClient.frameBytes(0x82, new byte[2000], true), 1009);
    }

    @Test
    void rejectsContinuationWithoutMessageWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0x80, new byte[1], true), 1002);
    }

    @Test
    void rejectsBadUtf8SplitAcrossFragmentsWith1007AfterEarlierFrames() throws Exception {
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(RawClient.frameBytes(0x81, "fine".getBytes(StandardCharsets.UTF_8), true));
            // "€" is E2 82 AC; the second fragment continues it with an invalid byte.
            bytes.writeBytes(RawClient.frameBytes(0x01, new byte[] {'a', (byte) 0xE2}, true));
            bytes.writeBytes(RawClient.frameBytes(0x80, new byte[] {(byte) 0x82, 0x41}, true));
            client.write(bytes.toByteArray());
            Frame first = peer[0].read(Duration.ofSeconds(10));
            assertEquals(Frame.text("fine"), first, "frames before the error are still delivered");
            assertEquals(WriteResult.QUEUED, peer[0].write(Frame.text("reply to fine")));
            Frame next;
            int fragments = 0;
            while ((next = peer[0].read(Duration.ofSeconds(10))) != null && fragments < 10) {
                fragments++; // the valid start of the broken message may be delivered
            }
            RawClient.Received reply = client.readFrame();
            assertEquals("reply to fine", reply.text(), "the application's reply goes out before the close");
            RawClient.Received close = client.readUntilClose();
            assertEquals(1007, close.closeCode());
            assertEquals(1007, peer[0].closeStatus() == null ? 1007 : peer[0].closeStatus().code());
        }
    }

    @Test
    void answersCloseWithoutPayloadWithEmptyClose() throws Exception {
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            client.sendFrame(0x88, new byte[0]);
            assertNull(peer[0].read(Duration.ofSeconds(10)));
            RawClient.Received close = client.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(0, close.payload().length);
            assertTrue(client.awaitEndOfStream());
            assertEquals(1005, peer[0].closeStatus().code());
        }
    }

    @Test
    void echoesValidCloseCode() throws Exception {
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            client.sendClose(3000, "custom");
            assertNull(peer[0].read(Duration.ofSeconds(10)));
            assertEquals(3000, client.readFrame().closeCode());
            assertTrue(client.awaitEndOfStream());
            assertEquals(new CloseStatus(3000, "custom"), peer[0].closeStatus());
        }
    }

    @Test
    void rejectsOneByteClosePayloadWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0x88, new byte[] {3}, true), 1002);
    }

    @Test
    void rejectsReservedCloseCodeWith1002() throws Exception {
        expectFailure(RawClient.frameBytes(0x88, new byte[] {(byte) (1005 >>> 8), (byte) 1005}, true), 1002);
    }

    @Test
    void rejectsCloseReasonWithBadUtf8With1007() throws Exception {
        expectFailure(RawClient.frameBytes(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}, true), 1007);
    }

    @Test
    void deliversFirstFrameSentInTheSamePacketAsTheUpgrade() throws Exception {
        try (RawClient client = RawClient.connect(server.localAddress())) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(RawClient.upgradeRequest("/early"));
            packet.writeBytes(RawClient.frameBytes(0x81, "early bird".getBytes(StandardCharsets.UTF_8), true));
            client.write(packet.toByteArray());
            assertTrue(client.readHttpResponse().startsWith("HTTP/1.1 101"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals("/early", peer.request().path());
            assertEquals(Frame.text("early bird"), peer.read(Duration.ofSeconds(10)));
        }
    }

    @Test
    void answersPingsAheadOfQueuedDataEvenWhenNobodyReads() throws Exception {
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            client.sendText("unread");
            client.sendFrame(0x89, new byte[] {1, 2});
            RawClient.Received pong = client.readFrame();
            assertEquals(0xA, pong.opcode());
            assertArrayEquals(new byte[] {1, 2}, pong.payload());
            assertEquals(Frame.text("unread"), peer[0].read(Duration.ofSeconds(10)), "pings never reach read()");
        }
    }

    @Test
    void clientCloseIsAnsweredWithinCloseTimeoutWhenNobodyReads() throws Exception {
        server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        server = TestServers.listening(ServerOptions.builder().closeTimeout(Duration.ofMillis(300)).build());
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            client.sendText("never read");
            client.sendClose(1000, "");
            assertEquals(1000, client.readUntilClose().closeCode());
            assertTrue(client.awaitEndOfStream());
            assertEquals(Frame.text("never read"), peer[0].read(Duration.ofSeconds(10)), "frames stay readable");
            assertNull(peer[0].read(Duration.ofSeconds(10)));
        }
    }

    @Test
    void peerNotYetAcceptedStillGetsItsFramesBeforeTheErrorAndAnswersThem() throws Exception {
        try (RawClient client = RawClient.open(server.localAddress())) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(RawClient.frameBytes(0x81, "before".getBytes(StandardCharsets.UTF_8), true));
            bytes.writeBytes(RawClient.frameBytes(0x8D, new byte[0], true)); // reserved control opcode
            client.write(bytes.toByteArray());
            // the error arrives while nobody has accepted the peer yet: wait until the reactor has seen it
            for (int i = 0; i < 1000 && server.stats().protocolErrors().getOrDefault(1002, 0L) == 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(1L, server.stats().protocolErrors().get(1002), "the reactor saw the error before accept");
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            Frame frame = peer.read(Duration.ofSeconds(10));
            assertEquals(Frame.text("before"), frame);
            assertEquals(WriteResult.QUEUED, peer.write(frame));
            assertNull(peer.read(Duration.ofSeconds(10)));
            assertEquals("before", client.readFrame().text(), "the echo goes before the close");
            assertEquals(1002, client.readFrame().closeCode());
        }
    }

    @Test
    void answersEveryPingInOrder() throws Exception {
        WsPeer[] peer = new WsPeer[1];
        try (RawClient client = openAndAccept(peer)) {
            ByteArrayOutputStream pings = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                pings.writeBytes(RawClient.frameBytes(0x89, new byte[] {(byte) i}, true));
            }
            client.write(pings.toByteArray());
            for (int i = 0; i < 10; i++) {
                RawClient.Received pong = client.readFrame();
                assertEquals(0xA, pong.opcode());
                assertArrayEquals(new byte[] {(byte) i}, pong.payload());
            }
        }
    }

    @Test
    void clientDropWithoutCloseGives1006() throws Exception {
        WsPeer[] peer = new WsPeer[1];
        RawClient client = openAndAccept(peer);
        client.sendText("before drop");
        client.close();
        assertEquals(Frame.text("before drop"), peer[0].read(Duration.ofSeconds(10)));
        assertNull(peer[0].read(Duration.ofSeconds(10)));
        assertEquals(1006, peer[0].closeStatus().code(), "set before the reader sees the end");
        // TCP closes once the reader has seen the end and nothing is left to write.
        assertEquals(1006, peer[0].shutdown(1000, "", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS).code());
        assertTrue(peer[0].isClosed());
    }
}
