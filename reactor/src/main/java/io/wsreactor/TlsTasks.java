package io.wsreactor;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the TLS handshakes' delegated tasks run (certificate checks, key agreement, signatures): a few daemon threads
 * shared by every server in the JVM, off the reactor threads, so pings, closes and other peers' frames never wait on
 * key work. The queue is bounded: a handshake whose task finds it full is refused (its connection closed) instead of
 * piling up work no client will wait for.
 */
final class TlsTasks {
    /** Tasks that may wait for a thread; each handshake has at most one queued at a time. */
    static final int QUEUE = 4096;
    static final ThreadPoolExecutor EXECUTOR = create();

    private TlsTasks() {
    }

    private static ThreadPoolExecutor create() {
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), task -> {
                    Thread thread = new Thread(task, "wsreactor-tls-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
