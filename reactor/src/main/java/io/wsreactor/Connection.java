package io.wsreactor;

import io.wsreactor.ConnectionLife.State;
import io.wsreactor.ConnectionLife.Step;
import io.wsreactor.frame.CloseCode;
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
import javax.net.ssl.SSLSession;

/**
 * One connection as the reactor sees it: it moves bytes between its {@link Transport} and the codecs, reports every
 * event to its {@link ConnectionLife} and applies the step the life answers (docs/ARCHITECTURE.md, "A connection's
 * life"). Receiving is decoded straight out of the reactor's shared read buffer; while idle a connection owns no
 * buffer.
 *
 * <p>Reactor thread only, except the methods marked "any thread", which post work to the reactor.
 */
final class Connection implements FrameSink, InboundQueue.Owner {
    static final System.Logger LOG = System.getLogger("io.wsreactor");
    /** Reads per readiness event, so one busy client cannot starve the others of a pass. */
    private static final int MAX_READS_PER_EVENT = 16;

    final Reactor reactor;
    private final SocketChannel channel;
    private final Transport transport;
    private final ConnectionLife life;
    final Outbound outbound;
    SelectionKey key;
    /** This connection's slot in the reactor's registry, or -1 once removed. */
    int index = -1;
    /** Null until the upgrade; set before the peer is published, never changed after. */
    private PeerTimers timers;
    /** Null until the upgrade. */
    private ReadBudget readBudget;
    boolean writeBlocked;
    private boolean readPaused;
    private boolean bufferedReadPosted;
    private int interestOps = -1;
    /** The handshake's parser and hook state; null once upgraded or rejected. */
    private HandshakeHandler handshake;
    /** Made on the first frame bytes, so idle connections do not carry one. */
    private FrameDecoder decoder;
    WsPeer peer;

    Connection(Reactor reactor, SocketChannel channel, Transport transport, long now) {
        this.reactor = reactor;
        this.channel = channel;
        this.transport = transport;
        this.outbound = new Outbound(() -> reactor.requestFlush(this), reactor.stats, reactor.budget);
        if (transport instanceof PlainTransport) {
            outbound.writeInPlaceWith(new InPlaceWriter(channel, reactor.stats, reactor.asleep));
        }
        ServerOptions options = reactor.options;
        this.life = new ConnectionLife(options.handshakeTimeout().toNanos(), options.closeTimeout().toNanos(), now);
        this.handshake = new HandshakeHandler(this, reactor);
        transport.onResume(this::onTransportResumed);
    }

    State state() {
        return life.state();
    }

    /** Whether the client's input has ended. Reactor thread (tests ask through {@link #execute}). */
    boolean hasInputEnded() {
        return life.hasInputEnded();
    }

    // ---- events from the selector ----

    void onReadable() throws IOException {
        readSome();
        updateInterest(); // the transport may now wait for a task or for room to write
        readBufferedLater();
    }

    private void readSome() throws IOException {
        ByteBuffer buffer = reactor.readBuffer;
        for (int reads = 0; reads < MAX_READS_PER_EVENT && wantsToRead(); reads++) {
            buffer.clear();
            if (readBudget != null) {
                buffer.limit(readBudget.readLimit(buffer.capacity()));
            }
            int room = buffer.remaining();
            int n = transport.read(buffer);
            if (n < 0) {
                onEndOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            if (timers != null) {
                timers.inputRead(reactor.now);
            }
            buffer.flip();
            switch (life.state()) {
                case HANDSHAKING -> handshake.onBytes(buffer);
                case OPEN, CLOSING -> {
                    decode(buffer);
                    if (readBudget.pauseIfOverShare()) {
                        peer.inbound.pause(); // a reader taking the queue down resumes it; else the tick does
                        updateInterest();
                    }
                }
                default -> { } // LINGERING: what the client still sends is read only to see its end
            }
            if (n < room && !transport.hasBufferedInput()) {
                return;
            }
        }
    }

    void onWritable() {
        flush();
    }

    /** TLS may hold whole records already taken from the socket: the selector will not report them. */
    private void readBufferedLater() {
        if (bufferedReadPosted || !transport.hasBufferedInput() || !wantsToRead() || !transport.readReady()) {
            return;
        }
        bufferedReadPosted = true;
        reactor.execute(() -> {
            bufferedReadPosted = false;
            if (life.state() != State.CLOSED) {
                readNow();
            }
        });
    }

    private void readNow() {
        try {
            onReadable();
        } catch (IOException | RuntimeException | LinkageError e) {
            failed(e);
        }
    }

    /**
     * Something thrown while serving this connection, from a selector event or a read it posted itself: an I/O error
     * closes it, anything else is a bug, logged, that fails it with 1011. Either way only this connection suffers.
     */
    void failed(Throwable failure) {
        if (failure instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "connection " + remote() + " failed: " + failure);
            closeNow();
            return;
        }
        LOG.log(Level.ERROR, "unexpected failure on connection " + remote(), failure);
        fail(CloseCode.INTERNAL_ERROR, "internal error");
        if (life.state() != State.CLOSING) {
            closeNow();
        }
    }

    /** The transport finished work it did off the reactor thread (TLS key work): write, read and wait again. */
    private void onTransportResumed() {
        if (life.state() == State.CLOSED) {
            return;
        }
        flush();
        updateInterest();
        if (transport.hasBufferedInput()) {
            readNow();
        }
    }

    private boolean wantsToRead() {
        return life.wantsInput() && !readPaused && (readBudget == null || !readBudget.isPaused());
    }

    private void decode(ByteBuffer bytes) {
        if (decoder == null) {
            ServerOptions options = reactor.options;
            decoder = new FrameDecoder(this, options.maxFramePayload(), options.maxMessageSize());
        }
        decoder.decode(bytes);
        readBudget.decoderHolds(decoder.payloadCapacity());
    }

    private void onEndOfInput() {
        if (life.state() == State.OPEN) {
            LOG.log(Level.DEBUG, () -> "client " + remote() + " ended its output; answering what it sent before");
        }
        if (peer != null && peer.closeStatus() == null) {
            peer.setCloseStatus(CloseStatus.ABNORMAL); // before the end is queued: a reader seeing it finds 1006
        }
        boolean readerSawEnd = peer == null || peer.inbound.end();
        apply(life.inputEnded(readerSawEnd, reactor.now));
        flush(); // nothing may be queued: the drained check must still run
        updateInterest();
    }

    // ---- the handshake's outcomes (from HandshakeHandler) ----

    /** Pauses reading while the upgrade waits for an asynchronous hook or for room in the accept queue. */
    void awaitDecision() {
        life.awaitDecision();
        updateInterest();
    }

    /** @return whether the wait's outcome still counts (neither timed out nor closed meanwhile) */
    boolean resumeDecision() {
        boolean counts = life.resumeDecision();
        updateInterest();
        readBufferedLater();
        return counts;
    }

    /** The accept queue has room again: a waiting upgrade goes on. */
    void onRoomInAcceptQueue() {
        if (handshake != null) {
            handshake.onRoomInAcceptQueue();
        }
    }

    void upgrade(byte[] requestBytes, HandshakeResponse response, ByteBuffer firstFrames) {
        InetSocketAddress remote = handshake.clientAddress();
        handshake = null;
        outbound.respond(response.toBytes()); // first on the wire, whatever the frames after the request queue
        ServerOptions options = reactor.options;
        PeerWriter writer = new PeerWriter(outbound, options, reactor.stats, reactor::isReactorThread,
                reason -> execute(() -> failSlowConsumer(reason)));
        peer = new WsPeer(this, writer, requestBytes, response.header("Sec-WebSocket-Protocol"), remote, options,
                reactor.budget);
        reactor.budget.peerOpened();
        life.upgraded();
        long now = reactor.now;
        timers = new PeerTimers(options, now);
        readBudget = new ReadBudget(reactor.budget, peer.inbound);
        reactor.onUpgraded();
        updateInterest();
        if (!reactor.acceptQueue.offer(peer)) {
            startClose(CloseCode.GOING_AWAY, "server closed", options.closeTimeout().toNanos());
        }
        if (firstFrames != null && firstFrames.hasRemaining() && life.wantsInput()) {
            decode(firstFrames);
        }
    }

    void reject(HandshakeResponse response, String why) {
        handshake = null;
        reactor.stats.handshakeRejected(response.status());
        LOG.log(Level.DEBUG, () -> "handshake from " + remote() + " refused with " + response.status() + ": " + why);
        life.rejected(reactor.now);
        outbound.respond(response.toBytes());
        updateInterest();
    }

    /** Answers a request that is no upgrade (the server's {@link HttpHandler}) and closes as after a rejection. */
    void answerPlainHttp(byte[] response, int status) {
        handshake = null;
        reactor.stats.httpRequestsAnswered.increment();
        LOG.log(Level.DEBUG, () -> "plain HTTP request from " + remote() + " answered " + status);
        life.rejected(reactor.now);
        outbound.respond(response);
        updateInterest();
    }

    // ---- FrameSink: called by the decoder on the reactor thread ----

    @Override
    public void onData(Frame frame) {
        StatsRecorder stats = reactor.stats;
        stats.framesIn++;
        stats.bytesIn += frame.length();
        if (peer.inbound.offer(frame) && !readPaused) {
            readPaused = true;
            updateInterest();
        }
    }

    @Override
    public void onPing(byte[] payload) {
        outbound.pong(payload);
    }

    @Override
    public void onPong(byte[] payload) {
        timers.pong(payload, reactor.now);
    }

    @Override
    public void onClose(int code, String reason) {
        // A peer not yet accepted stays in the accept queue: the application still gets it and reads its frames.
        Step step = life.closeReceived(code, reason, reactor.now);
        endInbound(step);
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        reactor.stats.protocolError(closeCode);
        LOG.log(Level.DEBUG, () -> "client " + remote() + " broke the protocol (" + closeCode + "): " + reason);
        endInbound(life.protocolError(closeCode, reason, reactor.now));
    }

    /** Sets the peer's status, then ends its stream: a reader that sees the end finds the status set. */
    private void endInbound(Step step) {
        peer.setCloseStatus(life.status());
        apply(step);
        if (peer.inbound.end()) {
            apply(life.readersSawEnd(reactor.now));
        }
    }

    // ---- closes the server begins ----

    /** Starts a close the server begins (shutdown, the accept queue closing); the client's answer is awaited. */
    void startClose(int code, String reason, long timeoutNanos) {
        apply(life.serverCloses(code, reason, false, timeoutNanos, reactor.now));
    }

    /** Fails the connection with {@code code} (1008, 1009, 1011, 1013): it becomes the peer's close status. */
    void fail(int code, String reason) {
        if (life.state() != State.OPEN) {
            return;
        }
        Step step = life.serverCloses(code, reason, true, reactor.options.closeTimeout().toNanos(), reactor.now);
        peer.setCloseStatus(life.status());
        apply(step);
    }

    /** CLOSE policy: discards the data still queued (a partly written frame is finished) and fails with 1008. */
    void failSlowConsumer(String reason) {
        if (life.state() != State.OPEN) {
            return;
        }
        outbound.discardQueued(new SlowConsumerException(reason));
        fail(CloseCode.POLICY_VIOLATION, reason);
    }

    // ---- applying the life's steps ----

    private void apply(Step step) {
        switch (step) {
            case NONE -> { }
            case SEND_CLOSE -> queueClose();
            case SHUTDOWN_OUTPUT -> shutdownOutput();
            case CLOSE -> closeNow();
            case REJECT_UNAVAILABLE -> handshake.onWaitTimedOut();
        }
    }

    private void queueClose() {
        peer.writer.fence();
        int code = life.closeCode();
        byte[] payload = code == ConnectionLife.EMPTY_CLOSE
                ? new byte[0] : Frame.close(code, life.closeReason()).payload();
        outbound.offerClose(payload);
    }

    /** Half-closes, then reads and discards until the client closes or the close timeout passes. */
    private void shutdownOutput() {
        try {
            transport.shutdownOutput();
        } catch (IOException e) {
            closeNow();
            return;
        }
        readPaused = false;
        updateInterest();
    }

    /** Closes TCP now, fails what is still queued and tells the peer. Idempotent. */
    void closeNow() {
        if (life.state() == State.CLOSED) {
            return;
        }
        life.closed();
        CloseStatus status = life.status();
        if (peer != null) {
            peer.setCloseStatus(status); // before TCP closes, so a client seeing the close finds it set
        }
        if (key != null) {
            key.cancel();
        }
        try {
            transport.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a socket failed", e);
        }
        reactor.remove(this);
        if (peer != null) {
            peer.writer.onClosed(); // refuse new writes before failing the queued ones
        }
        outbound.failAll();
        if (peer != null) {
            readBudget.release();
            peer.inbound.leaveBudget();
            reactor.budget.peerClosed();
            reactor.stats.closed(status.code(), life.initiator());
            reactor.onWebSocketClosed();
            peer.onClosed(status);
            reactor.acceptQueue.remove(peer);
        }
    }

    // ---- timers ----

    /** Called by the reactor's sweep about every tick. */
    void onTick(long now) {
        apply(life.tick(now));
        if (readBudget != null && readBudget.resumeIfWithinShare()) {
            updateInterest();
        }
        if (life.state() != State.OPEN || peer == null) {
            return;
        }
        switch (timers.check(now, peer.isAccepted())) {
            case NONE -> { }
            case ACCEPT_TIMEOUT -> {
                if (reactor.acceptQueue.remove(peer)) { // else an acceptor took it just now
                    LOG.log(Level.DEBUG, () -> "peer " + remote() + " was not accepted in time: closing with 1013");
                    fail(CloseCode.TRY_AGAIN_LATER, "not accepted in time");
                }
            }
            case IDLE -> {
                LOG.log(Level.DEBUG, () -> "peer " + remote() + " sent nothing for " + reactor.options.idleTimeout()
                        + ": closing with 1001");
                startClose(CloseCode.GOING_AWAY, "idle timeout", reactor.options.closeTimeout().toNanos());
            }
            case PING -> outbound.ping(timers.pingPayload());
            case PEER_DEAD -> {
                LOG.log(Level.DEBUG, () -> "peer " + remote() + " did not answer a ping in time: dropping it");
                closeNow();
            }
        }
    }

    // ---- InboundQueue.Owner: any thread ----

    @Override
    public void resumeReading() {
        reactor.execute(() -> {
            if (life.state() != State.CLOSED) {
                readPaused = false;
                if (readBudget != null) {
                    readBudget.resumeIfWithinShare();
                }
                updateInterest();
                readBufferedLater();
            }
        });
    }

    @Override
    public void endObserved() {
        reactor.execute(() -> {
            apply(life.readersSawEnd(reactor.now));
            flush(); // nothing may be queued: the drained check must still run
        });
    }

    @Override
    public boolean isReactorThread() {
        return reactor.isReactorThread();
    }

    void updateInterest() {
        if (life.state() == State.CLOSED || key == null) {
            return;
        }
        int ops = (wantsToRead() && transport.readReady() ? SelectionKey.OP_READ : 0)
                | (writeBlocked && !transport.paused() || transport.wantsWrite() ? SelectionKey.OP_WRITE : 0);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- writing ----

    /** Writes what is queued, as far as the socket takes it, and tells the life what was written. */
    void flush() {
        if (!outbound.beginFlush()) {
            return; // a peer's thread is writing in place: it asks for this flush again when done
        }
        boolean drained = false;
        try {
            drained = flushHeld();
        } finally {
            outbound.endFlush(drained);
        }
    }

    /** {@link #flush} while holding the socket. @return whether everything was written */
    private boolean flushHeld() {
        if (life.state() == State.CLOSED) {
            outbound.failAll();
            return false;
        }
        Flusher.Result result;
        try {
            result = transport.flushOwn() ? reactor.flusher.flush(transport, outbound) : Flusher.Result.BLOCKED;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "writing to " + remote() + " failed: " + e.getMessage());
            closeNow();
            return false;
        }
        if (life.state() == State.CLOSED) {
            return false;
        }
        writeBlocked = result == Flusher.Result.BLOCKED;
        updateInterest(); // also when only the transport's own bytes (TLS records) still wait
        if (result == Flusher.Result.MORE) {
            outbound.requestFlush();
        }
        // With TLS, "written" means the records reached the socket, not only that the transport took the bytes.
        boolean ownPending = transport.wantsWrite();
        if (outbound.isCloseWritten() && !ownPending) {
            apply(life.closeWritten(reactor.now));
        }
        if (result == Flusher.Result.DONE && !ownPending && life.state() != State.CLOSED) {
            apply(life.outboundDrained());
            return life.state() == State.OPEN;
        }
        return false;
    }

    // ---- misc ----

    /** The round-trip time of the last keepalive ping answered, in nanoseconds, or -1. Any thread. */
    long rttNanos() {
        PeerTimers current = timers;
        return current == null ? -1 : current.rttNanos();
    }

    void execute(Runnable command) {
        reactor.execute(command);
    }

    /** The socket's remote end (a proxy's, when one is in front), or null once the socket is closed. */
    InetSocketAddress socketRemoteAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null; // the peer sees the drop on its first read
        }
    }

    SSLSession tlsSession() {
        return transport.session();
    }

    Transport transport() {
        return transport;
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
