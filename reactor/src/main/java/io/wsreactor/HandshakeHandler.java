package io.wsreactor;

import io.wsreactor.handshake.Handshake;
import io.wsreactor.handshake.HandshakeException;
import io.wsreactor.handshake.HandshakeParser;
import io.wsreactor.handshake.HandshakeRequest;
import io.wsreactor.handshake.HandshakeResponse;
import io.wsreactor.handshake.ProxyHeader;
import io.wsreactor.handshake.ProxyProtocolException;
import io.wsreactor.handshake.ProxyProtocolParser;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The HANDSHAKING part of a connection: reads the PROXY protocol header when configured, feeds the parser, hands a
 * request that is no upgrade to the {@link HttpHandler} if there is one, validates, asks the hook, checks capacity,
 * then tells the {@link Connection} to upgrade or reject. Reactor thread only (an async hook's result is posted back
 * to it).
 */
final class HandshakeHandler {
    private final Connection connection;
    private final Reactor reactor;
    /** Null when the PROXY protocol is off or its header was read. */
    private ProxyProtocolParser proxyParser;
    /** The client as a PROXY protocol header named it; null for the socket's remote address. */
    private InetSocketAddress proxiedClient;
    private HandshakeParser parser;
    private HandshakeRequest pendingRequest;
    /** The hook's answer while the upgrade waits for room in the accept queue; null otherwise. */
    private HandshakeResponse pendingResponse;
    /** Bytes that followed the request while the upgrade waits (a first frame in the same packet). */
    private byte[] early;
    /** The request's bytes as received, kept by the peer for {@link WsPeer#request()}. */
    private byte[] requestBytes = new byte[256];
    private int requestLength;

    HandshakeHandler(Connection connection, Reactor reactor) {
        this.connection = connection;
        this.reactor = reactor;
        ServerOptions options = reactor.options;
        this.parser = new HandshakeParser(options.maxHandshakeBytes(), options.maxHandshakeHeaders());
        if (options.proxyProtocol() != ProxyProtocol.OFF) {
            proxyParser = new ProxyProtocolParser(options.proxyProtocol() == ProxyProtocol.REQUIRED,
                    options.maxHandshakeBytes());
        }
    }

    /** The client's address: from the PROXY protocol header when it named one, else the socket's remote end. */
    InetSocketAddress clientAddress() {
        return proxiedClient != null ? proxiedClient : connection.socketRemoteAddress();
    }

    void onBytes(ByteBuffer in) {
        if (proxyParser != null) {
            in = onProxyHeaderBytes(in);
            if (in == null || !in.hasRemaining()) {
                return;
            }
        }
        onRequestBytes(in);
    }

    /**
     * Feeds the PROXY protocol parser. Returns the bytes that follow the header (the request's), or null while the
     * header is incomplete or after a bad one closed the connection.
     */
    private ByteBuffer onProxyHeaderBytes(ByteBuffer in) {
        ProxyHeader header;
        try {
            header = proxyParser.parse(in);
        } catch (ProxyProtocolException e) {
            reactor.stats.proxyProtocolRejected.increment();
            Connection.LOG.log(Level.DEBUG, () -> "PROXY protocol header from " + connection.remote()
                    + " refused, closing: " + e.getMessage());
            connection.closeNow(); // no answer: the other side is a proxy, not an HTTP client
            return null;
        }
        if (header == null) {
            return null;
        }
        ByteBuffer replay = proxyParser.replay();
        proxyParser = null;
        if (header.hasAddresses()) {
            proxiedClient = header.source();
        }
        if (replay.hasRemaining()) { // an optional header was absent: the bytes it looked at begin the request
            return ByteBuffer.allocate(replay.remaining() + in.remaining()).put(replay).put(in).flip();
        }
        return in;
    }

    private void onRequestBytes(ByteBuffer in) {
        HandshakeRequest request;
        int start = in.position();
        try {
            request = parser.parse(in);
        } catch (HandshakeException e) {
            connection.reject(e.response(), e.getMessage());
            return;
        }
        keep(in, start, in.position() - start);
        if (request == null) {
            return;
        }
        parser = null;
        request = request.withRemoteAddress(clientAddress());
        HttpHandler httpHandler = reactor.server.httpHandler();
        if (httpHandler != null && PlainHttp.isPlain(request)) {
            HandshakeResponse answer = PlainHttp.answer(httpHandler, request, reactor.httpHandlerFailures, reactor.now);
            if (answer != null) {
                connection.answerPlainHttp(PlainHttp.bytes(answer, request), answer.status());
                return;
            }
        }
        HandshakeResponse response = Handshake.respond(request);
        if (!response.isUpgrade()) {
            connection.reject(response, "invalid upgrade request");
            return;
        }
        AsyncHandshakeHook asyncHook = reactor.server.asyncHook();
        if (asyncHook != null) {
            startAsyncHook(asyncHook, request, response, in);
            return;
        }
        HandshakeHook hook = reactor.server.hook();
        if (hook != null) {
            try {
                response = hook.handle(request, response);
            } catch (Throwable e) { // a user callback: contain whatever it throws
                reactor.hookFailures.log("the hook threw " + e, e, reactor.now);
                connection.reject(HandshakeResponse.reject(500, "Internal Server Error"), "hook threw " + e);
                return;
            }
            if (response == null) {
                reactor.hookFailures.log("the hook returned null", null, reactor.now);
                connection.reject(HandshakeResponse.reject(500, "Internal Server Error"), "hook returned null");
                return;
            }
        }
        decide(request, response, in);
    }

    private void keep(ByteBuffer in, int from, int length) {
        if (requestLength + length > requestBytes.length) {
            requestBytes = Arrays.copyOf(requestBytes, Math.max(requestBytes.length * 2, requestLength + length));
        }
        in.get(from, requestBytes, requestLength, length);
        requestLength += length;
    }

    private void startAsyncHook(AsyncHandshakeHook hook, HandshakeRequest request, HandshakeResponse response,
            ByteBuffer in) {
        holdUpgrade(request, null, in);
        CompletableFuture<HandshakeResponse> future;
        try {
            future = hook.handle(request, response);
        } catch (Throwable e) { // a user callback: contain whatever it throws
            future = CompletableFuture.failedFuture(e);
        }
        if (future == null) {
            future = CompletableFuture.completedFuture(null);
        }
        future.whenComplete((result, error) -> connection.execute(() -> onHookDone(result, error)));
    }

    private void onHookDone(HandshakeResponse response, Throwable error) {
        if (!connection.resumeDecision()) {
            return; // timed out or closed meanwhile
        }
        if (error != null || response == null) {
            if (error != null) {
                reactor.hookFailures.log("the async hook failed with " + error, error, reactor.now);
            } else {
                reactor.hookFailures.log("the async hook gave null", null, reactor.now);
            }
            connection.reject(HandshakeResponse.reject(500, "Internal Server Error"), "async hook failed");
            return;
        }
        resume(response);
    }

    /**
     * The upgrade waits, not read, for a hook's answer or for room in the accept queue; bytes that came after the
     * request are kept, since the buffer they are in is the reactor's.
     */
    private void holdUpgrade(HandshakeRequest request, HandshakeResponse response, ByteBuffer in) {
        if (in != null && in.hasRemaining()) {
            early = new byte[in.remaining()];
            in.get(early);
        }
        pendingRequest = request;
        pendingResponse = response;
        connection.awaitDecision();
    }

    /** Decides the waiting upgrade again with {@code response} (the hook's answer, or the one kept). */
    private void resume(HandshakeResponse response) {
        ByteBuffer rest = early == null ? null : ByteBuffer.wrap(early);
        early = null;
        HandshakeRequest request = pendingRequest;
        pendingRequest = null;
        pendingResponse = null;
        decide(request, response, rest);
    }

    /** Room was made in the accept queue (reactor thread): the waiting upgrade goes on, unless it timed out. */
    void onRoomInAcceptQueue() {
        if (connection.resumeDecision()) {
            resume(pendingResponse);
        }
    }

    /** The wait outlasted the handshake timeout: the server is overloaded, not just in a burst. */
    void onWaitTimedOut() {
        String why = pendingResponse == null ? "the async handshake hook did not answer in time"
                : "no room in the accept queue in time";
        Connection.LOG.log(Level.DEBUG, () -> why + ": 503");
        connection.reject(HandshakeResponse.reject(503, "Service Unavailable").withHeader("Retry-After", "1"), why);
    }

    private void decide(HandshakeRequest request, HandshakeResponse response, ByteBuffer rest) {
        if (!response.isUpgrade()) {
            connection.reject(response, "refused by the handshake hook");
            return;
        }
        if (!reactor.hasRoomForWebSocket()) {
            connection.reject(HandshakeResponse.reject(503, "Service Unavailable").withHeader("Retry-After", "1"),
                    "maxConnections reached");
            return;
        }
        if (!reactor.acceptQueue.hasRoom()) {
            // A burst, until the handshake timeout says otherwise: wait for the application to accept.
            holdUpgrade(request, response, rest);
            reactor.waitingUpgrades.add(connection);
            return;
        }
        connection.upgrade(RetainedRequest.compact(requestBytes, requestLength), response, rest);
    }
}
