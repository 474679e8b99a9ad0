package io.wsreactor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one reactor behind {@link ServerStats}; the server sums its reactors' when asked, so no
 * counter is shared between reactor threads. Hot-path counters are {@link LongAdder}s (cheap from any thread);
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

    /** This recorder's counters alone, with the budget's figures. */
    ServerStats snapshot(MemoryBudget budget) {
        return snapshot(new StatsRecorder[] {this}, budget);
    }

    /** The sum of {@code parts}' counters, with the server's budget figures. */
    static ServerStats snapshot(StatsRecorder[] parts, MemoryBudget budget) {
        long open = 0;
        long accepted = 0;
        long proxyRejected = 0;
        long httpAnswered = 0;
        long framesInSum = 0;
        long bytesInSum = 0;
        long framesOutSum = 0;
        long bytesOutSum = 0;
        Map<Integer, Long> rejected = new TreeMap<>();
        Map<Integer, Long> byCode = new TreeMap<>();
        Map<CloseInitiator, Long> byInitiator = new TreeMap<>();
        Map<Integer, Long> errors = new TreeMap<>();
        Map<SlowConsumerPolicy, Long> slow = new TreeMap<>();
        for (StatsRecorder part : parts) {
            open += part.openConnections.sum();
            accepted += part.handshakesAccepted.sum();
            proxyRejected += part.proxyProtocolRejected.sum();
            httpAnswered += part.httpRequestsAnswered.sum();
            framesInSum += part.framesIn;
            bytesInSum += part.bytesIn;
            framesOutSum += part.framesOut + part.framesOutInPlace.sum();
            bytesOutSum += part.bytesOut + part.bytesOutInPlace.sum();
            addSums(part.handshakesRejected, rejected);
            addSums(part.closesByCode, byCode);
            addSums(part.closesByInitiator, byInitiator);
            addSums(part.protocolErrors, errors);
            addSums(part.slowConsumerEvents, slow);
        }
        return new ServerStats(open, accepted, rejected, framesInSum, bytesInSum, framesOutSum, bytesOutSum, byCode,
                byInitiator, errors, slow, budget.held(), budget.pauses(), proxyRejected, httpAnswered);
    }

    private static <K> void addSums(Map<K, LongAdder> adders, Map<K, Long> into) {
        adders.forEach((key, adder) -> into.merge(key, adder.sum(), Long::sum));
    }
}
