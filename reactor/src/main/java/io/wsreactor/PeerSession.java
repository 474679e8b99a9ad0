package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import io.wsreactor.frame.Frame;
import io.wsreactor.frame.FrameDecoder;
import io.wsreactor.frame.FrameSink;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link Connection} has from its upgrade on: the {@link WsPeer}, the frame decoder and the peer's timers. It
 * turns decoded frames, timer checks and the reader's progress into events of the connection's life
 * (docs/ARCHITECTURE.md, "A connection's life", "The read path"), and keeps the peer's reading within its share of
 * the memory budget (counted by its {@link InboundLimits}); the connection applies the steps and owns the socket.
 *
 * <p>Reactor thread only, except the {@link InboundQueue.Owner} and {@link PeerWriter.Owner} methods, which post
 * work to the reactor.
 */
final class PeerSession implements FrameSink, InboundQueue.Owner, PeerWriter.Owner {
    private static final System.Logger LOG = Connection.LOG;

    private final Connection connection;
    final WsPeer peer;
    private final PeerTimers timers;
    /** Made on the first frame bytes, so idle peers do not carry one. */
    private FrameDecoder decoder;

    /** The upgrade was answered with 101: the peer is born, with {@code requestBytes} as its request. */
    PeerSession(Connection connection, byte[] requestBytes, String subprotocol,
            InetSocketAddress remote, long now) {
        this.connection = connection;
        Reactor reactor = connection.reactor;
        ServerOptions options = reactor.options;
        PeerWriter writer = new PeerWriter(connection.outbound, options, reactor.stats, this);
        this.peer = new WsPeer(connection, this, writer, requestBytes, subprotocol, remote, options, reactor.budget);
        this.timers = new PeerTimers(options, now);
        reactor.budget.peerOpened();
    }

    // ---- reading ----

    /** At most this many bytes may be read now: fewer while the server's memory budget presses. */
    int readLimit(int capacity) {
        return peer.inbound.readLimit(capacity);
    }

    boolean isReadPaused() {
        return peer.inbound.isOverShare();
    }

    /** The client sent bytes: it is alive. */
    void inputRead(long now) {
        timers.inputRead(now);
    }

    /**
     * Decodes {@code bytes}; the decoder calls back for each frame.
     *
     * @return whether reading must pause now because this peer holds more than its share of a pressed budget
     */
    boolean decode(ByteBuffer bytes) {
        if (decoder == null) {
            ServerOptions options = reactor().options;
            decoder = new FrameDecoder(this, options.maxFramePayload(), options.maxMessageSize());
        }
        decoder.decode(bytes);
        peer.inbound.decoderHolds(decoder.payloadCapacity());
        return peer.inbound.pauseIfOverShare(); // a reader taking the queue down resumes it; else the tick does
    }

    /**
     * The client's input ended: the readers get the end of the stream.
     *
     * @return whether the readers have seen the end already (nothing was left for them)
     */
    boolean endOfInput() {
        if (peer.closeStatus() == null) {
            peer.setCloseStatus(CloseStatus.ABNORMAL); // before the end is queued: a reader seeing it finds 1006
        }
        return peer.inbound.end();
    }

    // ---- FrameSink: called by the decoder on the reactor thread ----

    @Override
    public void onData(Frame frame) {
        StatsRecorder stats = reactor().stats;
        stats.framesIn++;
        stats.bytesIn += frame.length();
        if (peer.inbound.offer(frame)) {
            connection.pauseReading();
        }
    }

    @Override
    public void onPing(byte[] payload) {
        connection.outbound.pong(payload);
    }

    @Override
    public void onPong(byte[] payload) {
        timers.pong(payload, reactor().now);
    }

    @Override
    public void onClose(int code, String reason) {
        // A peer not yet accepted stays in the accept queue: the application still gets it and reads its frames.
        endInbound(connection.life.closeReceived(code, reason, reactor().now));
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        reactor().stats.protocolError(closeCode);
        LOG.log(Level.DEBUG, () -> "client " + connection.remote() + " broke the protocol (" + closeCode + "): "
                + reason);
        endInbound(connection.life.protocolError(closeCode, reason, reactor().now));
    }

    /** Sets the peer's status, then ends its stream: a reader that sees the end finds the status set. */
    private void endInbound(LifeStep step) {
        peer.setCloseStatus(connection.life.status());
        connection.apply(step);
        if (peer.inbound.end()) {
            connection.apply(connection.life.readersSawEnd(reactor().now));
        }
    }

    // ---- closes the server begins ----

    /** Fails the connection with {@code code} (1008, 1009, 1011, 1013): it becomes the peer's close status. */
    void fail(int code, String reason) {
        ConnectionLife life = connection.life;
        if (life.state() != ConnectionState.OPEN) {
            return;
        }
        long closeTimeout = reactor().options.closeTimeout().toNanos();
        LifeStep step = life.serverCloses(code, reason, true, closeTimeout, reactor().now);
        peer.setCloseStatus(life.status());
        connection.apply(step);
    }

    /** CLOSE policy: discards the data still queued (a partly written frame is finished) and fails with 1008. */
    private void failSlowConsumer(String reason) {
        if (connection.life.state() != ConnectionState.OPEN) {
            return;
        }
        connection.outbound.discardQueued(new SlowConsumerException(reason));
        fail(CloseCode.POLICY_VIOLATION, reason);
    }

    // ---- timers: the reactor's sweep, about every tick ----

    /** Resumes reading paused by the budget once this peer is within its share again; checks the peer's timers. */
    void onTick(long now) {
        if (peer.inbound.resumeIfWithinShare()) {
            connection.updateInterest();
        }
        if (connection.life.state() != ConnectionState.OPEN) {
            return;
        }
        switch (timers.check(now, peer.isAccepted())) {
            case NONE -> { }
            case ACCEPT_TIMEOUT -> {
                if (reactor().acceptQueue.remove(peer)) { // else an acceptor took it just now
                    LOG.log(Level.DEBUG, () -> "peer " + connection.remote()
                            + " was not accepted in time: closing with 1013");
                    fail(CloseCode.TRY_AGAIN_LATER, "not accepted in time");
                }
            }
            case IDLE -> {
                LOG.log(Level.DEBUG, () -> "peer " + connection.remote() + " sent nothing for "
                        + reactor().options.idleTimeout() + ": closing with 1001");
                connection.startClose(CloseCode.GOING_AWAY, "idle timeout", reactor().options.closeTimeout().toNanos());
            }
            case PING -> connection.outbound.ping(timers.pingPayload());
            case PEER_DEAD -> {
                LOG.log(Level.DEBUG, () -> "peer " + connection.remote() + " did not answer a ping in time: dropping it");
                connection.closeNow();
            }
        }
    }

    /** The round-trip time of the last keepalive ping answered, in nanoseconds, or -1. Any thread. */
    long rttNanos() {
        return timers.rttNanos();
    }

    // ---- the end ----

    /** TCP is closed: refuse new writes, fail the queued ones, release the budget and tell the application. */
    void closed(CloseStatus status, CloseInitiator initiator) {
        peer.writer.onClosed(); // refuse new writes before the connection fails the queued ones
        connection.outbound.failAll();
        peer.inbound.leaveBudget();
        reactor().budget.peerClosed();
        reactor().stats.closed(status.code(), initiator);
        reactor().onWebSocketClosed();
        peer.onClosed(status);
        reactor().acceptQueue.remove(peer);
    }

    // ---- InboundQueue.Owner (and PeerWriter.Owner): any thread ----

    @Override
    public void resumeReading() {
        reactor().execute(() -> {
            if (connection.life.state() != ConnectionState.CLOSED) {
                peer.inbound.resumeIfWithinShare();
                connection.resumeReading();
            }
        });
    }

    @Override
    public void endObserved() {
        reactor().execute(() -> {
            connection.apply(connection.life.readersSawEnd(reactor().now));
            connection.flush(); // nothing may be queued: the drained check must still run
        });
    }

    @Override
    public boolean isReactorThread() {
        return reactor().isReactorThread();
    }

    // ---- PeerWriter.Owner: any thread ----

    @Override
    public void closeSlowConsumer(String reason) {
        reactor().execute(() -> failSlowConsumer(reason));
    }

    @Override
    public boolean takeReplyDue() {
        return peer.inbound.takeReplyDue();
    }

    @Override
    public WaitStrategy waitStrategy() {
        return peer.inbound.waitStrategy();
    }

    /** The connection's reactor, asked rather than kept: one field less on every open peer. */
    private Reactor reactor() {
        return connection.reactor;
    }
}
