package io.wsreactor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link ServerStats}. Hot-path counters are {@link LongAdder}s (cheap from any thread);
 * the keyed ones are maps of adders, touched only on rare events (handshakes, closes, errors).
 */
final class StatsRecorder {
    final LongAdder openConnections = new LongAdder();
    final LongAdder handshakesAccepted = new LongAdder();
    final LongAdder proxyProtocolRejected = new LongAdder();
    final LongAdder httpRequestsAnswered = new LongAdder();
    // Per-frame counters: written by the reactor thread only, so plain fields (no atomic per frame); a snapshot
    // from another thread may lag them slightly.
    long framesIn;
    long bytesIn;
    long framesOut;
    long bytesOut;
    /** Frames and bytes a peer's thread wrote in place ({@link InPlaceWriter}), not the reactor. */
    final LongAdder framesOutInPlace = new LongAdder();
    final LongAdder bytesOutInPlace = new LongAdder();
    private final Map<Integer, LongAdder> handshakesRejected = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closesByCode = new ConcurrentHashMap<>();
    private final Map<CloseInitiator, LongAdder> closesByInitiator = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> protocolErrors = new ConcurrentHashMap<>();
    private final Map<SlowConsumerPolicy, LongAdder> slowConsumerEvents = new ConcurrentHashMap<>();

    void handshakeRejected(int status) {
        handshakesRejected.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    void closed(int code, CloseInitiator initiator) {
        closesByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
        closesByInitiator.computeIfAbsent(initiator, k -> new LongAdder()).increment();
    }

    void protocolError(int code) {
        protocolErrors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void slowConsumer(SlowConsumerPolicy policy) {
        slowConsumerEvents.computeIfAbsent(policy, k -> new LongAdder()).increment();
    }

    ServerStats snapshot(MemoryBudget budget) {
        return new ServerStats(openConnections.sum(), handshakesAccepted.sum(), sums(handshakesRejected),
                framesIn, bytesIn, framesOut + framesOutInPlace.sum(), bytesOut + bytesOutInPlace.sum(),
                sums(closesByCode),
                sums(closesByInitiator), sums(protocolErrors), sums(slowConsumerEvents), budget.held(),
                budget.pauses(), proxyProtocolRejected.sum(), httpRequestsAnswered.sum());
    }

    private static <K> Map<K, Long> sums(Map<K, LongAdder> adders) {
        Map<K, Long> result = new TreeMap<>();
        adders.forEach((key, adder) -> result.put(key, adder.sum()));
        return result;
    }
}
