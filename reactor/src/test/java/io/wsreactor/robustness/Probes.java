package io.wsreactor.robustness;

import java.io.File;
import java.util.Map;

/** Measurements the robustness tests compare before and after: used heap after GC, open fds, library threads. */
final class Probes {
    static final long MIB = 1 << 20;

    private Probes() {
    }

    /**
     * Used heap after a few full collections, in bytes. (Runtime rather than MemoryMXBean: the tests run inside the
     * io.wsreactor module, which does not read java.management; both report the same used heap.)
     */
    static long heapAfterGc() {
        Runtime memory = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, memory.totalMemory() - memory.freeMemory());
        }
        return used;
    }

    /** The process's open file descriptors (Linux /proc/self/fd), or -1 where that is not available. */
    static int openFds() {
        String[] names = new File("/proc/self/fd").list();
        return names == null ? -1 : names.length;
    }

    /** The soft limit on open files, from /proc/self/limits; -1 when unknown. */
    static long fdLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Live threads whose name starts with {@code prefix}. */
    static long threadsNamed(String prefix) {
        long count = 0;
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey().isAlive() && entry.getKey().getName().startsWith(prefix)) {
                count++;
            }
        }
        return count;
    }

    /** Waits (bounded) until {@code condition} holds; returns whether it did. */
    static boolean eventually(java.util.function.BooleanSupplier condition, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return condition.getAsBoolean();
    }
}
