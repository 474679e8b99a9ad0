package io.wsreactor;

import java.util.Map;

/**
 * A snapshot of a server's counters, from {@link WsServer#stats()}. Counters are always on; a snapshot taken while
 * the server runs may be a few events behind in one counter relative to another. Immutable.
 */
public final class ServerStats {

    private final long openConnections;
    private final long handshakesAccepted;
    private final Map<Integer, Long> handshakesRejected;
    private final long framesIn;
    private final long bytesIn;
    private final long framesOut;
    private final long bytesOut;
    private final Map<Integer, Long> closesByCode;
    private final Map<CloseInitiator, Long> closesByInitiator;
    private final Map<Integer, Long> protocolErrors;
    private final Map<SlowConsumerPolicy, Long> slowConsumerEvents;
    private final long heldBytes;
    private final long budgetPauses;
    private final long proxyProtocolRejected;
    private final long httpRequestsAnswered;

    ServerStats(long openConnections, long handshakesAccepted, Map<Integer, Long> handshakesRejected,
            long framesIn, long bytesIn, long framesOut, long bytesOut, Map<Integer, Long> closesByCode,
            Map<CloseInitiator, Long> closesByInitiator, Map<Integer, Long> protocolErrors,
            Map<SlowConsumerPolicy, Long> slowConsumerEvents, long heldBytes, long budgetPauses,
            long proxyProtocolRejected, long httpRequestsAnswered) {
        this.openConnections = openConnections;
        this.handshakesAccepted = handshakesAccepted;
        this.handshakesRejected = Map.copyOf(handshakesRejected);
        this.framesIn = framesIn;
        this.bytesIn = bytesIn;
        this.framesOut = framesOut;
        this.bytesOut = bytesOut;
        this.closesByCode = Map.copyOf(closesByCode);
        this.closesByInitiator = Map.copyOf(closesByInitiator);
        this.protocolErrors = Map.copyOf(protocolErrors);
        this.slowConsumerEvents = Map.copyOf(slowConsumerEvents);
        this.heldBytes = heldBytes;
        this.budgetPauses = budgetPauses;
        this.proxyProtocolRejected = proxyProtocolRejected;
        this.httpRequestsAnswered = httpRequestsAnswered;
    }

    /** WebSocket connections open now (handshaken and not yet closed). */
    public long openConnections() {
        return openConnections;
    }

    /** Upgrades answered with 101. */
    public long handshakesAccepted() {
        return handshakesAccepted;
    }

    /** Upgrades refused, by HTTP status (400, 426, 431, 500, 503, or a hook's own status). */
    public Map<Integer, Long> handshakesRejected() {
        return handshakesRejected;
    }

    /** Data frames received from clients (control frames not counted). */
    public long framesIn() {
        return framesIn;
    }

    /** Payload bytes of the data frames received. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Frames written to sockets (data and control). */
    public long framesOut() {
        return framesOut;
    }

    /** Bytes written to sockets, headers and handshake responses included. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Closed connections by close status code (1006 for drops and timeouts). */
    public Map<Integer, Long> closesByCode() {
        return closesByCode;
    }

    /** Closed connections by who began the close. */
    public Map<CloseInitiator, Long> closesByInitiator() {
        return closesByInitiator;
    }

    /** Connections failed for a protocol error, by close code (1002, 1007, 1009). */
    public Map<Integer, Long> protocolErrors() {
        return protocolErrors;
    }

    /** Writes that met the high-water mark or the hard limit, by the policy applied. */
    public Map<SlowConsumerPolicy, Long> slowConsumerEvents() {
        return slowConsumerEvents;
    }

    /**
     * Bytes the server holds on behalf of its peers now, counted against {@link ServerOptions#memoryBudget()}:
     * received frames not yet read, frames being received, frames not yet written, each with a fixed overhead.
     */
    public long heldBytes() {
        return heldBytes;
    }

    /** Times a peer's reading paused because the memory budget was spent and the peer held more than its share. */
    public long budgetPauses() {
        return budgetPauses;
    }

    /**
     * Connections closed because their PROXY protocol header was malformed, too long, or missing though
     * {@link ProxyProtocol#REQUIRED} (see {@link ServerOptions#proxyProtocol()}).
     */
    public long proxyProtocolRejected() {
        return proxyProtocolRejected;
    }

    /** Requests that were no upgrade, answered by the server's {@link HttpHandler} (health probes, say). */
    public long httpRequestsAnswered() {
        return httpRequestsAnswered;
    }

    @Override
    public String toString() {
        return "ServerStats{open=" + openConnections + ", accepted=" + handshakesAccepted + ", rejected="
                + handshakesRejected + ", framesIn=" + framesIn + ", bytesIn=" + bytesIn + ", framesOut=" + framesOut
                + ", bytesOut=" + bytesOut + ", closesByCode=" + closesByCode + ", closesByInitiator="
                + closesByInitiator + ", protocolErrors=" + protocolErrors + ", slowConsumerEvents="
                + slowConsumerEvents + ", heldBytes=" + heldBytes + ", budgetPauses=" + budgetPauses
                + ", proxyProtocolRejected=" + proxyProtocolRejected + ", httpRequestsAnswered=" + httpRequestsAnswered
                + '}';
    }
}
