package io.wsreactor;

import java.util.ArrayDeque;

/**
 * The upgrades of one reactor that found the accept queue full and wait, each within its handshake timeout, for the
 * application to make room (docs/ARCHITECTURE.md, "A connection's life": PENDING). Oldest first; the accept queue is
 * told whether any reactor has some, so that an accept posts to this reactor only then. Reactor thread only, except
 * {@link #any}.
 */
final class WaitingUpgrades {
    private final AcceptQueue acceptQueue;
    private final ArrayDeque<Connection> waiting = new ArrayDeque<>();
    /** Whether this reactor has told the accept queue that upgrades wait here. */
    private volatile boolean told;

    WaitingUpgrades(AcceptQueue acceptQueue) {
        this.acceptQueue = acceptQueue;
    }

    /** An upgrade found the accept queue full: it waits for room. */
    void add(Connection connection) {
        waiting.add(connection);
        tell(true);
    }

    /** Whether upgrades wait for room here. Any thread: the group asks before posting to this reactor. */
    boolean any() {
        return told;
    }

    /** Lets waiting upgrades go on, oldest first, while the accept queue has room. */
    void admit() {
        while (!waiting.isEmpty() && acceptQueue.hasRoom()) {
            waiting.poll().onRoomInAcceptQueue(); // one that closed or timed out meanwhile does nothing
        }
        if (waiting.isEmpty()) {
            tell(false);
        }
    }

    /** On the reactor's tick: drops the upgrades no longer pending (timed out, closed), then admits what fits. */
    void sweep() {
        if (!waiting.isEmpty()) {
            waiting.removeIf(connection -> connection.state() != ConnectionState.PENDING);
            admit();
        }
    }

    private void tell(boolean any) {
        if (told != any) {
            told = any;
            acceptQueue.upgradesWaiting(any);
        }
    }
}
