package io.wsreactor;

/**
 * What a write does when the peer's client reads slower than the application writes, that is when the peer's
 * outbound bytes (encoded, not yet handed to the socket) are at or above
 * {@link ServerOptions#outboundHighWaterMark()}.
 *
 * <p>Chosen per server with {@link ServerOptions.Builder#slowConsumerPolicy} and per peer with
 * {@link WsPeer#setSlowConsumerPolicy}. Every policy keeps the server's memory bounded; each event is counted in
 * {@link ServerStats#slowConsumerEvents()}.
 */
public enum SlowConsumerPolicy {
    /**
     * {@link WsPeer#write(io.wsreactor.frame.Frame, java.time.Duration) write} waits until the bytes drain below the
     * high-water mark, at most its timeout, and returns {@link WriteResult#TIMED_OUT} on timeout (on the reactor
     * thread, which may not wait, {@link WriteResult#REFUSED} at once). {@link WsPeer#writeAsync writeAsync} never
     * waits: it queues past the high-water mark (its future completes late, which is the backpressure signal) up to
     * {@link ServerOptions#outboundHardLimit()}, beyond which it fails with {@link SlowConsumerException}.
     */
    BLOCK,
    /**
     * The write is refused at once: {@code write} returns {@link WriteResult#REFUSED}, {@code writeAsync} fails with
     * {@link SlowConsumerException}.
     */
    FAIL,
    /**
     * The frame is discarded and counted; {@code write} returns {@link WriteResult#DROPPED} and {@code writeAsync}
     * completes normally at once. Only
     * whole messages are dropped: the decision is taken at a message's first frame, and the continuations of a
     * message whose first frame was sent are always sent.
     */
    DROP,
    /**
     * Frames are queued until the outbound bytes pass {@link ServerOptions#outboundHardLimit()}; then the queued
     * data is discarded (pending {@code writeAsync} futures fail with {@link SlowConsumerException}), the peer is
     * closed with 1008 (policy violation), and the write returns {@link WriteResult#REFUSED}; later writes find the
     * peer closing ({@link WriteResult#CLOSED}).
     */
    CLOSE
}
