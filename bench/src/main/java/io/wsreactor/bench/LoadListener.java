package io.wsreactor.bench;

/**
 * Told by the {@link LoadGenerator} when its measured window opens and closes, so that a runner can sample the
 * server's CPU time over exactly that window (in idle mode the window is the opening of the connections). Called on the generator's thread; a slow callback delays the load.
 */
public interface LoadListener {
    /** The measured window opens now. */
    default void measurementStarted() {
    }

    /** The measured window closes now. */
    default void measurementEnded() {
    }

    /**
     * In idle mode: all {@code open} connections are open and quiet now, and stay so until this method returns
     * (a runner measures the server's memory here).
     */
    default void connectionsOpen(int open) {
    }

    /**
     * About once a second while traffic flows (warm-up, measured window, then the drain of the echoes in flight).
     *
     * @param phase {@code warm-up}, {@code measuring} or {@code draining}
     * @param seconds since the first message was sent
     * @param echoed echoes checked so far
     * @param outstanding messages sent and not yet echoed
     */
    default void progress(String phase, double seconds, long echoed, long outstanding) {
    }

    /** A listener that does nothing. */
    LoadListener NONE = new LoadListener() {
    };
}
