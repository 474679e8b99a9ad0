package io.wsreactor;

import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * The spinning part of a {@link WaitStrategy}: what a blocking call does before it parks on its condition.
 *
 * <p>Callers keep their lock-and-condition wait and, where they would park, ask {@link #spinsNow}; if so they
 * {@link #spinUnlocked} and recheck under the lock as after a wake-up. {@code ready} reads the volatile state the
 * call waits for, so a spinner needs no signal and misses none: it is not counted among the waiters the producer
 * signals, and the state it watches is written before any signal would be sent. A SPIN_PARK caller spins once per
 * call (if what it saw was taken by a racing thread, it parks); a SPIN caller spins again after every recheck.
 */
final class Waiting {
    static final long SPIN_NANOS = 20_000;
    static final long YIELD_NANOS = 80_000;
    /** Spins between reads of the clock: System.nanoTime costs about 20 ns, Thread.onSpinWait a few. */
    private static final int SPINS_PER_CLOCK_READ = 16;

    private Waiting() {
    }

    /** Whether a caller that must wait spins now rather than parks, given whether it already spun in this call. */
    static boolean spinsNow(WaitStrategy strategy, boolean spun) {
        return strategy == WaitStrategy.SPIN || strategy == WaitStrategy.SPIN_PARK && !spun;
    }

    /**
     * {@link #spin} with the caller's {@code lock} let go for the while: the caller holds it before and after, and
     * rechecks what it waits for as after a wake-up.
     */
    static long spinUnlocked(WaitStrategy strategy, Lock lock, BooleanSupplier ready, long nanos)
            throws InterruptedException {
        lock.unlock();
        try {
            return spin(strategy, ready, nanos);
        } finally {
            lock.lock();
        }
    }

    /**
     * Waits without parking, as {@code strategy} says, until {@code ready}, the end of its spin budget or the end of
     * the caller's wait. The caller holds no lock.
     *
     * @param nanos how long the caller may still wait ({@code Long.MAX_VALUE}: no limit); positive
     * @return how long the caller may still wait after spinning: 0 when its time is up
     * @throws InterruptedException if the thread is interrupted (its flag is cleared, as a parked wait would)
     */
    static long spin(WaitStrategy strategy, BooleanSupplier ready, long nanos) throws InterruptedException {
        long start = System.nanoTime();
        long budget = strategy == WaitStrategy.SPIN ? Long.MAX_VALUE : SPIN_NANOS + YIELD_NANOS;
        long elapsed = 0;
        boolean yielding = false;
        for (int i = 0; ; i++) {
            if (ready.getAsBoolean()) {
                break;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (yielding || i % SPINS_PER_CLOCK_READ == 0) {
                elapsed = System.nanoTime() - start;
                if (elapsed >= nanos || elapsed >= budget) {
                    break;
                }
                yielding = strategy == WaitStrategy.SPIN_PARK && elapsed >= SPIN_NANOS;
            }
            if (yielding) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return Math.max(0, nanos - (System.nanoTime() - start));
    }
}
