package io.wsreactor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes a server holds on behalf of all its peers — received frames waiting for {@code read()}, frames being
 * received, frames waiting for the socket — against one limit ({@link ServerOptions#memoryBudget()};
 * docs/ARCHITECTURE.md, "Bounds").
 *
 * <p>Every held frame also costs {@link #ENTRY_OVERHEAD} bytes, so a flood of empty frames is not free. Once more than
 * half the limit is held the budget presses: a peer holding more than its share of the other half (half the limit
 * divided by the open peers) stops being read, so TCP pushes back on it, and its writes meet its slow-consumer
 * policy; peers holding less keep being served. Pressing at half is what keeps the total under the limit: the
 * peers that stop hold at most the first half between them, the ones still served at most their shares of the
 * second, each plus the one small read it may make past its share. Any thread.
 */
final class MemoryBudget {
    /** What a held frame costs beyond its payload: the frame object, its array's header, a queue slot. */
    static final int ENTRY_OVERHEAD = 64;

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final AtomicInteger peers = new AtomicInteger();
    private final LongAdder pauses = new LongAdder();

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** The cost of holding one frame with {@code payloadLength} bytes. */
    static long cost(long payloadLength) {
        return payloadLength + ENTRY_OVERHEAD;
    }

    void add(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    void peerOpened() {
        peers.incrementAndGet();
    }

    void peerClosed() {
        peers.decrementAndGet();
    }

    /** Whether more than half the limit is held: only then does {@link #overShare} need a peer's count. */
    boolean pressing() {
        return held.get() > limit / 2;
    }

    /** Whether a peer holding {@code peerBytes} must wait: the budget presses and the peer holds more than its share. */
    boolean overShare(long peerBytes) {
        return pressing() && peerBytes > limit / 2 / Math.max(1, peers.get());
    }

    /** Counts one peer whose reading paused for the budget. */
    void paused() {
        pauses.increment();
    }

    long held() {
        return held.get();
    }

    long limit() {
        return limit;
    }

    long pauses() {
        return pauses.sum();
    }
}
