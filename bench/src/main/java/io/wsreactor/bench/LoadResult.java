package io.wsreactor.bench;

/**
 * What one load-generator run measured.
 *
 * @param messages echoes received (and checked) inside the measured window
 * @param payloadBytes payload bytes of those echoes
 * @param seconds the measured window's length in seconds
 * @param latency round-trip latency of those messages in nanoseconds, from each message's intended send time
 * @param connectionsOpened how many connections completed the handshake
 * @param handshakeSeconds from the first connect to the last completed handshake
 * @param sent messages sent over the whole run, warm-up included
 * @param echoed echoes received and checked over the whole run; after a run without failure it equals {@code sent}
 *     (the generator stops sending when the window ends and waits for the echoes in flight)
 * @param sendingSeconds from the first message sent to the end of the measured window (when sending stopped)
 * @param failure null when every echo was right, else the first thing that went wrong
 */
public record LoadResult(long messages, long payloadBytes, double seconds, LatencyHistogram latency,
        int connectionsOpened, double handshakeSeconds, long sent, long echoed, double sendingSeconds,
        String failure) {

    /** Echoes per second in the measured window. */
    public double messagesPerSecond() {
        return seconds <= 0 ? 0 : messages / seconds;
    }

    /** Payload megabytes (10^6 bytes) per second echoed in the measured window. */
    public double megabytesPerSecond() {
        return seconds <= 0 ? 0 : payloadBytes / seconds / 1e6;
    }

    /** Completed handshakes per second while opening the connections. */
    public double handshakesPerSecond() {
        return handshakeSeconds <= 0 ? 0 : connectionsOpened / handshakeSeconds;
    }

    /** Whether the run went without errors. */
    public boolean ok() {
        return failure == null;
    }
}
