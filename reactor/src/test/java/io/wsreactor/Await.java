package io.wsreactor;

import java.util.function.BooleanSupplier;

/** Bounded waits for tests: the bound only fails a test that would otherwise hang, it times nothing. */
final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@code timeoutMillis}. @return whether it held */
    static boolean until(BooleanSupplier condition, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }
}
