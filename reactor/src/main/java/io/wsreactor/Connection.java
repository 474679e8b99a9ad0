package io.wsreactor;

import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameDecoder;
import io.wsreactor.frame.FrameSink;
import io.wsreactor.handshake.HandshakeResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection as the reactor sees it: its socket, its state in the connection life
 * ({@code HANDSHAKING → OPEN → CLOSING → CLOSED}, DESIGN.md), the frame decoder it feeds, and its outbound queue.
 *
 * <p>Everything here runs on the reactor thread except the methods marked "any thread", which only post work to
 * the reactor. Receiving is decoded straight out of the reactor's shared read buffer; while idle a connection owns
 * no buffer.
 *
 * <p>The close handshake (who closed, the close frame owed, what follows ours) is a {@link CloseHandshake}, made at
 * the first close event; this class keeps the states, the socket and the TCP end ({@link #linger}, {@link #closeNow}).
 */
final class Connection implements FrameSink {
    static final System.Logger LOG = System.getLogger("io.wsreactor");

    static final int HANDSHAKING = 0;
    static final int HOOK_PENDING = 1;
    static final int OPEN = 2;
    static final int CLOSING = 3;
    static final int LINGER = 4;
    static final int CLOSED = 5;

    final Reactor reactor;
    final SocketChannel channel;
    final Outbound outbound = new Outbound(this);
    SelectionKey key;
    int index = -1;
    int state = HANDSHAKING;
    /** Deadline (System.nanoTime) of the current state: handshake, close answer, close wait or linger. */
    long deadline;
    long acceptDeadline = Long.MAX_VALUE;
    /** Null when keepalive is off; set before the peer is published, never changed after. */
    private Keepalive keepalive;

    boolean writeBlocked;
    private boolean readPaused;
    private int interestOps = -1;

    private HandshakeHandler handshake;
    private FrameDecoder decoder;
    WsPeer peer;

    private boolean rejecting;
    /** Null until the first close event: an open connection does not carry the close bookkeeping. */
    private CloseHandshake close;

    Connection(Reactor reactor, SocketChannel channel, long now) {
        this.reactor = reactor;
        this.channel = channel;
        this.deadline = now + reactor.options.handshakeTimeout().toNanos();
        this.handshake = new HandshakeHandler(this);
    }

    // ---- events from the selector ----

    void onReadable() throws IOException {
        ByteBuffer buffer = reactor.readBuffer;
        for (int reads = 0; reads < 16; reads++) {
            if (readPaused || state == HOOK_PENDING || state == CLOSED) {
                return;
            }
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                onEndOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            if (state == HANDSHAKING) {
                handshake.onBytes(buffer);
            } else if (state == OPEN || state == CLOSING) {
                decode(buffer);
            }
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    void onWritable() {
        flush();
    }

    /** Decodes received bytes; the decoder is made on the first bytes, so idle connections do not carry one. */
    private void decode(ByteBuffer bytes) {
        if (decoder == null) {
            ServerOptions options = reactor.options;
            decoder = new FrameDecoder(this, options.maxFramePayload(), options.maxMessageSize());
        }
        decoder.decode(bytes);
    }

    private void onEndOfInput() {
        if (state == OPEN || state == CLOSING) {
            LOG.log(Level.DEBUG, () -> "client " + remote() + " closed TCP without a close handshake");
        }
        closeNow();
    }

    // ---- handshake results (from HandshakeHandler) ----

    /** Pauses reading while an asynchronous hook decides. */
    void awaitHook() {
        state = HOOK_PENDING;
        updateInterest();
    }

    void upgrade(byte[] requestBytes, HandshakeResponse response, ByteBuffer firstFrames) {
        handshake = null;
        outbound.offer(OutboundEntry.raw(response.toBytes()));
        InetSocketAddress remote = null;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            // The peer sees the drop on its first read.
        }
        ServerOptions options = reactor.options;
        peer = new WsPeer(this, requestBytes, response.header("Sec-WebSocket-Protocol"), remote, options);
        state = OPEN;
        deadline = Long.MAX_VALUE;
        long now = reactor.now;
        acceptDeadline = now + options.acceptTimeout().toNanos();
        if (!options.pingInterval().isZero()) {
            keepalive = new Keepalive(options, now);
        }
        reactor.onUpgraded();
        updateInterest();
        if (!reactor.acceptQueue.offer(peer)) {
            startClose(1001, "server closed", ServerStats.SERVER, reactor.options.closeTimeout().toNanos());
        }
        if (firstFrames != null && firstFrames.hasRemaining() && state != CLOSED) {
            decode(firstFrames);
        }
    }

    void reject(HandshakeResponse response, String why) {
        handshake = null;
        reactor.stats.handshakeRejected(response.status());
        LOG.log(Level.DEBUG, () -> "handshake from " + remote() + " refused with " + response.status() + ": " + why);
        rejecting = true;
        state = LINGER;
        deadline = reactor.now + reactor.options.closeTimeout().toNanos();
        outbound.offer(OutboundEntry.raw(response.toBytes()));
        updateInterest();
    }

    // ---- FrameSink: called by the decoder on the reactor thread ----

    @Override
    public void onData(Frame frame) {
        StatsRecorder stats = reactor.stats;
        stats.framesIn++;
        stats.bytesIn += frame.length();
        if (peer.inbound.offer(frame)) {
            pauseReading();
        }
    }

    @Override
    public void onPing(byte[] payload) {
        outbound.pong(payload);
    }

    @Override
    public void onPong(byte[] payload) {
        if (keepalive != null) {
            keepalive.onPong(payload, reactor.now);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        closeHandshake().onClientClose(code, reason);
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        reactor.stats.protocolError(closeCode);
        LOG.log(Level.DEBUG, () -> "client " + remote() + " broke the protocol (" + closeCode + "): " + reason);
        closeHandshake().onProtocolError(closeCode, reason);
    }

    // ---- closing ----

    private CloseHandshake closeHandshake() {
        if (close == null) {
            close = new CloseHandshake(this);
        }
        return close;
    }

    /** Sends the close frame owed to a client that closed or broke the protocol, once readers saw the end. */
    private void sendPendingClose() {
        if (close != null) {
            close.sendPendingClose();
        }
    }

    /** Starts a close the server begins (shutdown, policy). Reactor thread. */
    void startClose(int code, String reason, String who, long timeoutNanos) {
        if (state != OPEN) {
            return;
        }
        closeHandshake().start(code, reason, who, timeoutNanos);
    }

    /** Marks the connection failed by the server with {@code code} (1008, 1009, 1011, 1013), then closes it. */
    void fail(int code, String reason) {
        if (state != OPEN) {
            return;
        }
        closeHandshake().recordServerFailure(code, reason);
        startClose(code, reason, ServerStats.SERVER, reactor.options.closeTimeout().toNanos());
    }

    /** CLOSE policy: discards the data still queued (a partly written frame is finished) and closes with 1008. */
    void failSlowConsumer(String reason) {
        if (state != OPEN) {
            return;
        }
        outbound.discardQueued(new SlowConsumerException(reason));
        fail(1008, reason);
    }

    /** Half-closes, then reads and discards until the client closes or closeTimeout passes. */
    void linger() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow();
            return;
        }
        state = LINGER;
        readPaused = false;
        deadline = reactor.now + reactor.options.closeTimeout().toNanos();
        updateInterest();
    }

    /** Closes TCP now, fails what is still queued and tells the peer. Idempotent. Reactor thread. */
    void closeNow() {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        CloseStatus status = close == null ? CloseStatus.ABNORMAL : close.status();
        String initiator = close == null ? null : close.initiator();
        if (peer != null) {
            peer.setCloseStatus(status); // before TCP closes, so a client seeing the close finds it set
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a socket failed", e);
        }
        reactor.remove(this);
        if (peer != null) {
            peer.writer.onClosed(); // refuse new writes before failing the queued ones
        }
        outbound.failAll();
        if (peer != null) {
            reactor.stats.closed(status.code(), initiator == null ? ServerStats.ABORT : initiator);
            reactor.onWebSocketClosed();
            peer.onClosed(status);
            reactor.acceptQueue.remove(peer);
        }
    }

    // ---- timers ----

    /** Called by the reactor's sweep about every tick. */
    void onTick(long now) {
        if (now >= deadline) {
            onDeadline();
            if (state == CLOSED) {
                return;
            }
        }
        if (state != OPEN || peer == null) {
            return;
        }
        if (!peer.isAccepted() && now >= acceptDeadline && reactor.acceptQueue.remove(peer)) {
            LOG.log(Level.DEBUG, () -> "peer " + remote() + " was not accepted in time: closing with 1013");
            acceptDeadline = Long.MAX_VALUE;
            fail(1013, "not accepted in time");
            return;
        }
        if (keepalive != null && !keepalive.onTick(now, outbound)) {
            LOG.log(Level.DEBUG, () -> "peer " + remote() + " did not answer a ping in time: dropping it");
            closeNow();
        }
    }

    private void onDeadline() {
        deadline = Long.MAX_VALUE;
        switch (state) {
            case HANDSHAKING -> {
                LOG.log(Level.DEBUG, () -> "handshake from " + remote() + " timed out");
                closeNow();
            }
            case HOOK_PENDING -> handshake.onHookTimeout();
            case OPEN -> sendPendingClose();
            default -> closeNow();
        }
    }

    // ---- reading control ----

    private void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            updateInterest();
        }
    }

    /** A reader took the inbound queue below half: read the socket again. Any thread. */
    void resumeReading() {
        reactor.execute(() -> {
            if (readPaused && state != CLOSED) {
                readPaused = false;
                updateInterest();
            }
        });
    }

    /** A reader saw the end of the stream: the pending close answer may go. Any thread. */
    void endObserved() {
        reactor.execute(this::sendPendingClose);
    }

    void updateInterest() {
        if (state == CLOSED || key == null) {
            return;
        }
        int ops = (readPaused || state == HOOK_PENDING ? 0 : SelectionKey.OP_READ)
                | (writeBlocked ? SelectionKey.OP_WRITE : 0);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- writing ----

    /** Writes what is queued, as far as the socket takes it. Reactor thread. */
    void flush() {
        if (state == CLOSED) {
            outbound.failAll();
            return;
        }
        int result;
        try {
            result = reactor.flusher.flush(channel, outbound);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "writing to " + remote() + " failed: " + e.getMessage());
            closeNow();
            return;
        }
        if (state == CLOSED) {
            return;
        }
        boolean blocked = result == Flusher.BLOCKED;
        if (blocked != writeBlocked) {
            writeBlocked = blocked;
            updateInterest();
        }
        if (result == Flusher.MORE) {
            outbound.requestFlush();
        }
        if (outbound.isCloseWritten() && close != null) {
            close.onCloseWritten();
        } else if (rejecting && result == Flusher.DONE) {
            rejecting = false;
            linger();
        }
    }

    // ---- misc ----

    /** The round-trip time of the last keepalive ping answered, in nanoseconds, or -1. Any thread. */
    long rttNanos() {
        Keepalive current = keepalive;
        return current == null ? -1 : current.lastRttNanos();
    }

    boolean isReactorThread() {
        return reactor.isReactorThread();
    }

    void execute(Runnable command) {
        reactor.execute(command);
    }

    String remote() {
        if (peer != null && peer.remoteAddress() != null) {
            return peer.remoteAddress().toString();
        }
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "(closed)";
        }
    }
}
