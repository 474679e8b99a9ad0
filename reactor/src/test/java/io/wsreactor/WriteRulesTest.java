package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.Opcode;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Illegal frames are refused at the call; fragmented writes and readMessage. */
class WriteRulesTest {
    private WsServer server;
    private RawClient client;
    private WsPeer peer;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.listening(ServerOptions.builder().maxFragments(4).build());
        client = RawClient.open(server.localAddress());
        peer = server.accept(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void refusesCloseFrame() {
        assertThrows(IllegalArgumentException.class, () -> peer.write(Frame.close(1000, "")));
    }

    @Test
    void refusesControlFrameOver125Bytes() {
        assertThrows(IllegalArgumentException.class, () -> peer.write(Frame.ping(new byte[126])));
    }

    @Test
    void refusesFragmentedControlFrame() {
        assertThrows(IllegalArgumentException.class, () -> peer.writeAsync(new Frame(Opcode.PONG, false, new byte[1])));
    }

    @Test
    void refusesContinuationWithNoMessageStarted() {
        assertThrows(IllegalStateException.class, () -> peer.write(Frame.continuation(new byte[1], true)));
    }

    @Test
    void refusesNewMessageInsideUnfinishedOneAndSendsNothingForIt() throws Exception {
        assertEquals(WriteResult.QUEUED, peer.write(Frame.text("part 1 ", false)));
        assertThrows(IllegalStateException.class, () -> peer.write(Frame.text("intruder")));
        assertThrows(IllegalStateException.class, () -> peer.write(Frame.binary(new byte[1], false)));
        assertEquals(WriteResult.QUEUED, peer.write(Frame.ping(new byte[] {1})), "control frames may interleave");
        assertEquals(WriteResult.QUEUED,
                peer.write(new Frame(Opcode.CONTINUATION, true, "part 2".getBytes(StandardCharsets.UTF_8))));
        assertEquals(WriteResult.QUEUED, peer.write(Frame.text("next")));
        assertEquals(0x01, client.readFrame().firstByte());
        assertEquals(0x89, client.readFrame().firstByte());
        RawClient.Received end = client.readFrame();
        assertEquals(0x80, end.firstByte());
        assertEquals("part 2", end.text());
        assertEquals("next", client.readFrame().text());
    }

    @Test
    void readMessageJoinsFragments() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(RawClient.frameBytes(0x01, "a".getBytes(StandardCharsets.UTF_8), true));
        bytes.writeBytes(RawClient.frameBytes(0x89, new byte[0], true));
        bytes.writeBytes(RawClient.frameBytes(0x00, "b".getBytes(StandardCharsets.UTF_8), true));
        bytes.writeBytes(RawClient.frameBytes(0x80, "c".getBytes(StandardCharsets.UTF_8), true));
        bytes.writeBytes(RawClient.frameBytes(0x82, new byte[] {9}, true));
        client.write(bytes.toByteArray());
        assertEquals(Frame.text("abc"), peer.readMessage(Duration.ofSeconds(10)));
        assertEquals(Frame.binary(new byte[] {9}), peer.readMessage(Duration.ofSeconds(10)));
    }

    @Test
    void readMessageStopsAtMaxFragmentsWith1009() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(RawClient.frameBytes(0x01, new byte[0], true));
        for (int i = 0; i < 10; i++) {
            bytes.writeBytes(RawClient.frameBytes(0x00, new byte[0], true));
        }
        client.write(bytes.toByteArray());
        assertNull(peer.readMessage(Duration.ofSeconds(10)));
        assertEquals(1009, client.readUntilClose().closeCode());
    }
}
