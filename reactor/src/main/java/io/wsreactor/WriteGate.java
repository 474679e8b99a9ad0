package io.wsreactor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where a peer's writers wait for its outbound bytes to fall below the high-water mark: blocking writers park on
 * {@link #writable}, {@link WsPeer#whenWritable()} futures are kept here; a release below the mark and the close wake
 * both. Made on the peer's first wait, so idle peers do not carry it. Any thread.
 */
final class WriteGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    /** Blocking writers and futures waiting now; changed under the lock, read without it to skip needless signals. */
    private volatile int waiting;
    /** Futures waiting for the mark; under the lock. */
    private List<CompletableFuture<Void>> futures;

    /** Whether anyone waits: only then does a release need to {@link #open}. */
    boolean hasWaiters() {
        return waiting > 0;
    }

    /** A blocking writer starts waiting; the lock is held. */
    private void writerWaits() {
        waiting++;
    }

    /** A blocking writer stops waiting; the lock is held. */
    private void writerLeaves() {
        waiting--;
    }

    /**
     * Waits, as {@code strategy} says, until {@code ready} (below the mark) or {@code closing} holds, or
     * {@code nanos} pass. A blocking writer under the BLOCK policy, never the reactor thread.
     *
     * @return {@link WriteResult#QUEUED} to go on, {@link WriteResult#CLOSED} or {@link WriteResult#TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting
     */
    WriteResult await(WaitStrategy strategy, long nanos, BooleanSupplier ready, BooleanSupplier closing)
            throws InterruptedException {
        boolean spun = false;
        lock.lockInterruptibly();
        try {
            // Counted as waiting before the check, so a release that lowers the bytes after it sees this writer.
            writerWaits();
            try {
                while (!ready.getAsBoolean()) {
                    if (closing.getAsBoolean()) {
                        return WriteResult.CLOSED;
                    }
                    if (nanos <= 0) {
                        return WriteResult.TIMED_OUT;
                    }
                    if (Waiting.spinsNow(strategy, spun)) {
                        spun = true;
                        writerLeaves(); // a spinner watches the bytes itself: releases need not signal it
                        try {
                            BooleanSupplier done = () -> ready.getAsBoolean() || closing.getAsBoolean();
                            nanos = Waiting.spinUnlocked(strategy, lock, done, nanos);
                        } finally {
                            writerWaits();
                        }
                        continue;
                    }
                    nanos = writable.awaitNanos(nanos);
                }
            } finally {
                writerLeaves();
            }
        } finally {
            lock.unlock();
        }
        return closing.getAsBoolean() ? WriteResult.CLOSED : WriteResult.QUEUED;
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
