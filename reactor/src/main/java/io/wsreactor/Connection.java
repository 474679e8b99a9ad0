package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;

/**
 * One connection as the reactor sees it: it moves bytes between its {@link Transport} and the handshake or, from the
 * upgrade on, its {@link PeerSession}; reports every event to its {@link ConnectionLife} and applies the step the
 * life answers (docs/ARCHITECTURE.md, "A connection's life"). Reading is its {@link ConnectionInput}'s, writing its
 * {@link ConnectionOutput}'s, which it extends (one object per connection); here are the handshake's outcomes, the
 * closes, the steps applied, the selector's interest and the timers.
 *
 * <p>Reactor thread only, except the methods marked "any thread", which post work to the reactor.
 */
final class Connection extends ConnectionInput {
    private final SocketChannel channel;
    SelectionKey key;
    /** This connection's slot in the reactor's registry, or -1 once removed. */
    int index = -1;
    private int interestOps = -1;

    Connection(Reactor reactor, SocketChannel channel, Transport transport, long now) {
        super(reactor, transport, now);
        this.channel = channel;
        if (transport instanceof PlainTransport plain) {
            outbound.writeInPlaceWith(plain);
        }
        this.handshake = new HandshakeHandler(this, reactor);
    }

    ConnectionState state() {
        return life.state();
    }

    /** Whether the client's input has ended. Reactor thread (tests ask through {@link #execute}). */
    boolean hasInputEnded() {
        return life.hasInputEnded();
    }

    // ---- failures ----

    /**
     * Something thrown while serving this connection, from a selector event or a read it posted itself: an I/O error
     * closes it, anything else is a bug, logged, that fails it with 1011. Either way only this connection suffers.
     */
    @Override
    void failed(Throwable failure) {
        if (failure instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "connection " + remote() + " failed: " + failure);
            closeNow();
            return;
        }
        LOG.log(Level.ERROR, "unexpected failure on connection " + remote(), failure);
        fail(CloseCode.INTERNAL_ERROR, "internal error");
        if (life.state() != ConnectionState.CLOSING) {
            closeNow();
        }
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
        session = new PeerSession(this, requestBytes, response.header("Sec-WebSocket-Protocol"), remote,
                reactor.now);
        life.upgraded();
        reactor.onUpgraded();
        updateInterest();
        if (!reactor.acceptQueue.offer(session.peer)) {
            startClose(CloseCode.GOING_AWAY, "server closed", reactor.options.closeTimeout().toNanos());
        }
        if (firstFrames != null && firstFrames.hasRemaining() && life.wantsInput() && session.decode(firstFrames)) {
            updateInterest();
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

    // ---- closes the server begins ----

    /** Starts a close the server begins (shutdown, the accept queue closing); the client's answer is awaited. */
    void startClose(int code, String reason, long timeoutNanos) {
        apply(life.serverCloses(code, reason, false, timeoutNanos, reactor.now));
    }

    /**
     * Fails an open connection with {@code code} (1008, 1009, 1011, 1013): it becomes the peer's close status. Before
     * the upgrade there is nothing to fail: the handshake answers for itself.
     */
    void fail(int code, String reason) {
        if (session != null) {
            session.fail(code, reason);
        }
    }

    // ---- applying the life's steps ----

    @Override
    void apply(LifeStep step) {
        switch (step) {
            case NONE -> { }
            case SEND_CLOSE -> queueClose();
            case SHUTDOWN_OUTPUT -> shutdownOutput();
            case CLOSE -> closeNow();
            case REJECT_UNAVAILABLE -> handshake.onWaitTimedOut();
        }
    }

    private void queueClose() {
        session.peer.writer.fence();
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
    @Override
    void closeNow() {
        if (life.state() == ConnectionState.CLOSED) {
            return;
        }
        life.closed();
        CloseStatus status = life.status();
        if (session != null) {
            session.peer.setCloseStatus(status); // before TCP closes, so a client seeing the close finds it set
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
        if (session != null) {
            session.closed(status, life.initiator());
        } else {
            outbound.failAll();
        }
    }

    // ---- timers ----

    /** Called by the reactor's sweep about every tick. */
    void onTick(long now) {
        apply(life.tick(now));
        if (session != null) {
            session.onTick(now);
        }
    }

    // ---- the selector's interest ----

    @Override
    void updateInterest() {
        if (life.state() == ConnectionState.CLOSED || key == null) {
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

    /** Asks the reactor for a flush of this connection. Any thread. */
    @Override
    public void flushSoon() {
        reactor.requestFlush(this);
    }

    // ---- misc ----

    /** The round-trip time of the last keepalive ping answered, in nanoseconds, or -1. Any thread. */
    long rttNanos() {
        PeerSession current = session;
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

    @Override
    String remote() {
        if (session != null && session.peer.remoteAddress() != null) {
            return session.peer.remoteAddress().toString();
        }
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "(closed)";
        }
    }
}
