package io.wsreactor;

import java.time.Duration;

/**
 * How a blocking call waits when it cannot complete at once: {@link WsPeer#read}, {@link WsPeer#readMessage},
 * {@link WsServer#accept} and {@link WsPeer#write} at the high-water mark (BLOCK policy). Trades CPU for latency, after
 * the LMAX Disruptor's wait strategies and Aeron's idle strategies.
 *
 * <p>Chosen per server with {@link ServerOptions.Builder#waitStrategy} and per peer with
 * {@link WsPeer#setWaitStrategy}. Every strategy honours the call's timeout and the thread's interrupt, and loses no
 * wake-up: a spinning thread watches the same state a parked one is signalled about. Futures
 * ({@code readAsync}, {@code acceptAsync}, {@code writeAsync}) never wait and are not affected.
 *
 * <p>Spinning pays only when the spinning thread has a core of its own, beside the reactor's: on a machine with fewer
 * cores than spinning threads plus one, a spinner takes the core the reactor needs to hand it the next frame, and
 * latency gets worse, not better. See the README's "Wait strategies" for figures.
 */
public enum WaitStrategy {
    /**
     * Park at once (the default): a waiting thread costs no CPU, and each hand-off from the reactor costs a wake-up
     * (a futex call and a context switch, or for a virtual thread a trip through its scheduler).
     */
    PARK,
    /**
     * Spin for up to {@link #SPIN_TIME}, then yield the core for up to {@link #YIELD_TIME} more, then park. Costs at
     * most about 0.1 ms of CPU per wait beyond PARK, and saves the wake-up when the next frame (or room, or peer)
     * comes within that time, as it does for a request-response client. For a virtual thread the yields let others
     * run on its carrier, but many yielding virtual threads on a saturated scheduler can delay the wake-ups of parked
     * ones: use it for a few latency-bound peers.
     */
    SPIN_PARK,
    /**
     * Spin until the call completes, its timeout passes or the thread is interrupted: the lowest latency, and one
     * whole core per waiting thread, busy even while idle. Only for a thread with a core of its own (pinned, say with
     * {@code taskset}); never on a virtual thread, which would hold its carrier.
     */
    SPIN;

    /** How long {@link #SPIN_PARK} busy-spins before it yields: 20 µs, about a loopback round trip. */
    public static final Duration SPIN_TIME = Duration.ofNanos(Waiting.SPIN_NANOS);
    /** How long {@link #SPIN_PARK} then yields before it parks: 80 µs. */
    public static final Duration YIELD_TIME = Duration.ofNanos(Waiting.YIELD_NANOS);
}
