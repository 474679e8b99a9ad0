package io.wsreactor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a peer's writers wait for its outbound bytes to fall below the high-water mark: blocking writers park on
 * {@link #writable}, {@link WsPeer#whenWritable()} futures are kept here; a release below the mark and the close wake
 * both. Made on the peer's first wait, so idle peers do not carry it. Any thread.
 */
final class WriteGate {
    final ReentrantLock lock = new ReentrantLock();
    final Condition writable = lock.newCondition();
    /** Blocking writers and futures waiting now; changed under the lock, read without it to skip needless signals. */
    private volatile int waiting;
    /** Futures waiting for the mark; under the lock. */
    private List<CompletableFuture<Void>> futures;

    /** Whether anyone waits: only then does a release need to {@link #open}. */
    boolean hasWaiters() {
        return waiting > 0;
    }

    /** A blocking writer starts waiting; the lock is held. */
    void writerWaits() {
        waiting++;
    }

    /** A blocking writer stops waiting; the lock is held. */
    void writerLeaves() {
        waiting--;
    }

    /** Adds a future completed by the next {@link #open}. */
    void await(CompletableFuture<Void> future) {
        lock.lock();
        try {
            if (futures == null) {
                futures = new ArrayList<>(2);
            }
            futures.add(future);
            waiting++;
        } finally {
            lock.unlock();
        }
    }

    /** The bytes fell below the mark, or the peer is closing: blocking writers recheck, futures complete. */
    void open() {
        List<CompletableFuture<Void>> ready = null;
        lock.lock();
        try {
            writable.signalAll();
            if (futures != null && !futures.isEmpty()) {
                ready = futures;
                futures = null;
                waiting -= ready.size();
            }
        } finally {
            lock.unlock();
        }
        if (ready != null) {
            ready.forEach(future -> future.complete(null)); // outside the lock: stages run here
        }
    }
}
