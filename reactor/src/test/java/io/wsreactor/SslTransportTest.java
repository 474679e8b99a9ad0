package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SslTransport} against a client {@link SSLEngine} through an in-memory channel: each engine status's path
 * (underflow, overflow, NEED_TASK, NEED_WRAP with the socket full, CLOSED) without a socket or a thread.
 */
@Timeout(60)
class SslTransportTest {
    /** The server's socket: {@link #toServer} is what the client sent, {@link #toClient} what the server wrote. */
    static final class MemoryChannel implements ByteChannel {
        final ByteBuffer toServer = ByteBuffer.allocate(1 << 20).flip();
        final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
        /** Bytes the next writes may take; Integer.MAX_VALUE: unlimited. */
        int room = Integer.MAX_VALUE;
        boolean ended;
        /** Reads asked of this channel so far. */
        int reads;

        void send(byte[] bytes) {
            toServer.compact().put(bytes).flip();
        }

        @Override
        public int read(ByteBuffer dst) {
            reads++;
            if (!toServer.hasRemaining()) {
                return ended ? -1 : 0;
            }
            int n = Math.min(dst.remaining(), toServer.remaining());
            ByteBuffer slice = toServer.slice(toServer.position(), n);
            dst.put(slice);
            toServer.position(toServer.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), room);
            byte[] bytes = new byte[n];
            src.get(bytes);
            toClient.writeBytes(bytes);
            if (room != Integer.MAX_VALUE) {
                room -= n;
            }
            return n;
        }

        byte[] takeWritten() {
            byte[] bytes = toClient.toByteArray();
            toClient.reset();
            return bytes;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final MemoryChannel channel = new MemoryChannel();
    private final List<Runnable> tasks = new ArrayList<>();
    private final TlsBuffers buffers = new TlsBuffers();
    private int resumed;
    private SslTransport server;
    private SSLEngine client;
    private final ByteBuffer clientIn = ByteBuffer.allocate(1 << 20);
    private final ByteBuffer clientApp = ByteBuffer.allocate(1 << 20);

    @BeforeEach
    void setUp() throws Exception {
        TestCerts certs = TestCerts.get();
        SSLEngine engine = certs.serverContext().createSSLEngine();
        engine.setUseClientMode(false);
        server = new SslTransport(channel, engine, buffers, tasks::add, Runnable::run);
        server.onResume(() -> resumed++);
        client = certs.clientContext(false).createSSLEngine("127.0.0.1", 443);
        client.setUseClientMode(true);
    }

    private void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
        }
    }

    /** The client's next flight, wrapped and sent. */
    private void clientWraps() throws IOException {
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        while (true) {
            for (Runnable task; (task = client.getDelegatedTask()) != null; ) {
                task.run();
            }
            if (client.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
            client.wrap(ByteBuffer.allocate(0), out);
        }
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        channel.send(bytes);
    }

    /** Unwraps what the server wrote, running the client's tasks. */
    private void clientUnwraps() throws IOException {
        clientIn.put(channel.takeWritten());
        clientIn.flip();
        try {
            while (clientIn.hasRemaining()) {
                SSLEngineResult result = client.unwrap(clientIn, clientApp);
                for (Runnable task; (task = client.getDelegatedTask()) != null; ) {
                    task.run();
                }
                if (result.getStatus() != SSLEngineResult.Status.OK
                        || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            clientIn.compact();
        }
    }

    private void handshake() throws IOException {
        client.beginHandshake();
        ByteBuffer dst = ByteBuffer.allocate(1 << 17);
        for (int i = 0; i < 100; i++) {
            HandshakeStatus status = client.getHandshakeStatus();
            boolean clientDone = status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
            if (clientDone && server.engine().getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && !server.wantsWrite()) {
                clientUnwraps(); // a session ticket may still be on its way
                return;
            }
            clientWraps();
            server.read(dst);
            runTasks();
            server.flushOwn();
            clientUnwraps();
        }
        throw new AssertionError("no handshake in 100 rounds");
    }

    private byte[] clientRecords(byte[] plaintext) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(plaintext.length + (1 << 16));
        ByteBuffer src = ByteBuffer.wrap(plaintext);
        while (src.hasRemaining()) {
            SSLEngineResult result = client.wrap(src, out);
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                throw new AssertionError("client wrap: " + result + " in " + client.getHandshakeStatus());
            }
        }
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private byte[] readAll(int expected, int dstSize) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocate(dstSize);
        for (int i = 0; i < 10_000 && got.size() < expected; i++) {
            dst.clear();
            int n = server.read(dst);
            assertTrue(n >= 0, "no end of input in the middle");
            got.write(dst.array(), 0, n);
        }
        return got.toByteArray();
    }

    @Test
    void handshakeTasksRunOnTheExecutorAndResumeTheConnection() throws Exception {
        client.beginHandshake();
        clientWraps();
        assertEquals(0, server.read(ByteBuffer.allocate(1 << 17)));
        assertFalse(tasks.isEmpty(), "NEED_TASK handed the key work to the executor");
        assertFalse(server.readReady(), "no reading while the task runs");
        assertFalse(server.wantsWrite());
        assertEquals(0, resumed);
        runTasks();
        assertEquals(1, resumed, "the connection resumes when the task is done");
        assertTrue(server.readReady());
    }

    @Test
    void aRecordSplitIntoSingleBytesIsUnwrappedWhenWhole() throws Exception {
        handshake();
        byte[] record = clientRecords("hello".getBytes());
        ByteBuffer dst = ByteBuffer.allocate(1 << 17);
        for (int i = 0; i < record.length - 1; i++) {
            channel.send(new byte[] {record[i]});
            assertEquals(0, server.read(dst), "BUFFER_UNDERFLOW waits for the rest");
            assertFalse(server.hasBufferedInput(), "half a record is nothing to read yet");
        }
        assertTrue(server.holdsBuffers(), "the partial record is held");
        channel.send(new byte[] {record[record.length - 1]});
        assertEquals(5, server.read(dst));
        assertFalse(server.holdsBuffers(), "drained: the buffer went back");
    }

    @Test
    void aReadBufferTooSmallForARecordGetsWhatFitsAndTheRestLater() throws Exception {
        handshake();
        byte[] plaintext = new byte[50_000];
        new Random(1).nextBytes(plaintext);
        channel.send(clientRecords(plaintext));
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertEquals(100, server.read(dst), "BUFFER_OVERFLOW: decrypted aside, what fits handed over");
        assertTrue(server.hasBufferedInput());
        byte[] rest = readAll(plaintext.length - 100, 100);
        byte[] all = new byte[plaintext.length];
        System.arraycopy(dst.array(), 0, all, 0, 100);
        System.arraycopy(rest, 0, all, 100, rest.length);
        assertArrayEquals(plaintext, all);
        assertFalse(server.holdsBuffers());
    }

    @Test
    void aReadThatDecryptedARecordDoesNotAskTheSocketAgain() throws Exception {
        handshake();
        channel.send(clientRecords("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        int readsBefore = channel.reads;
        ByteBuffer dst = ByteBuffer.allocate(1024);
        assertEquals(4, server.read(dst));
        assertEquals(readsBefore + 1, channel.reads, "one socket read for one record");
        assertFalse(server.holdsBuffers(), "the drained packet buffer went back");
    }

    @Test
    void aReadBufferFullAfterSomeRecordsKeepsTheWholeRecordsLeftBuffered() throws Exception {
        handshake();
        byte[] plaintext = new byte[100 * 200];
        new Random(2).nextBytes(plaintext);
        for (int i = 0; i < 200; i++) { // small records, many of them whole in one packet buffer
            channel.send(clientRecords(Arrays.copyOfRange(plaintext, i * 100, i * 100 + 100)));
        }
        ByteBuffer dst = ByteBuffer.allocate(5_000); // fills before the packet buffer's records run out
        int first = server.read(dst);
        assertTrue(first > dst.capacity() - 200 && first < plaintext.length, "records fill the read buffer: " + first);
        assertTrue(server.hasBufferedInput(), "whole records wait in the packet buffer: read again, unprompted");
        byte[] rest = readAll(plaintext.length - first, 17_000);
        assertArrayEquals(Arrays.copyOfRange(plaintext, first, plaintext.length), rest);
    }

    @Test
    void aHandshakeMessageTheSocketHasNoRoomForWaitsForWritableWithReadingOff() throws Exception {
        client.beginHandshake();
        clientWraps();
        server.read(ByteBuffer.allocate(1 << 17));
        channel.room = 10;
        runTasks(); // the engine now needs to wrap the server's flight
        assertFalse(server.flushOwn(), "the socket took 10 bytes only");
        assertTrue(server.wantsWrite(), "NEED_WRAP with the socket full: wait for OP_WRITE");
        assertFalse(server.readReady(), "and do not read meanwhile");
        assertEquals(0, server.read(ByteBuffer.allocate(1 << 17)));
        channel.room = Integer.MAX_VALUE;
        server.flushOwn();
        assertTrue(server.readReady());
        clientUnwraps();
        for (int i = 0; i < 10 && client.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING; i++) {
            clientWraps();
            server.read(ByteBuffer.allocate(1 << 17));
            runTasks();
            server.flushOwn();
            clientUnwraps();
        }
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, client.getHandshakeStatus());
    }

    @Test
    void aWriteTheSocketTakesInPartKeepsTheRecordsAndAsksForWritable() throws Exception {
        handshake();
        byte[] plaintext = new byte[40_000];
        new Random(3).nextBytes(plaintext);
        channel.room = 1000;
        int taken = server.write(ByteBuffer.wrap(plaintext));
        assertTrue(taken > 0 && taken < plaintext.length, "one record taken, " + taken);
        assertTrue(server.wantsWrite());
        assertFalse(server.flushOwn());
        channel.room = Integer.MAX_VALUE;
        assertTrue(server.flushOwn());
        assertFalse(server.wantsWrite());
        int rest = server.write(ByteBuffer.wrap(plaintext, taken, plaintext.length - taken));
        assertEquals(plaintext.length - taken, rest);
        clientApp.clear();
        clientUnwraps();
        clientApp.flip();
        byte[] got = new byte[clientApp.remaining()];
        clientApp.get(got);
        assertArrayEquals(plaintext, got);
        assertFalse(server.holdsBuffers());
    }

    @Test
    void theClientsCloseNotifyIsEndOfInput() throws Exception {
        handshake();
        client.closeOutbound();
        clientWraps();
        assertEquals(-1, server.read(ByteBuffer.allocate(1 << 17)), "CLOSED: end of input");
        assertEquals(-1, server.read(ByteBuffer.allocate(1 << 17)));
    }

    @Test
    void tcpEndingWithoutCloseNotifyIsEndOfInput() throws Exception {
        handshake();
        channel.ended = true;
        assertEquals(-1, server.read(ByteBuffer.allocate(1 << 17)));
        assertFalse(server.holdsBuffers());
    }

    @Test
    void closingSendsCloseNotifyAndGivesBackTheBuffers() throws Exception {
        handshake();
        channel.send(clientRecords(new byte[10]));
        channel.send(Arrays.copyOf(clientRecords(new byte[10]), 3)); // a partial record stays held
        server.read(ByteBuffer.allocate(1 << 17));
        assertTrue(server.holdsBuffers());
        server.close();
        assertFalse(server.holdsBuffers());
        clientApp.clear();
        clientIn.put(channel.takeWritten()).flip();
        SSLEngineResult result = client.unwrap(clientIn, clientApp);
        clientIn.compact();
        assertEquals(SSLEngineResult.Status.CLOSED, result.getStatus(), "close_notify reached the client");
    }
}
