package io.wsreactor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Handshaken peers waiting for {@code accept()}, bounded by {@link ServerOptions#backlog()}.
 *
 * <p>The reactors offer peers; user threads take them. A waiting {@code acceptAsync} is served first; its stages
 * run on the thread of the peer's reactor. While upgrades wait for room (a burst the application has not caught up
 * with), each take tells the reactors through {@code roomMade}. Several reactors each check {@link #hasRoom()}
 * before they offer, so the queue may hold up to one peer per reactor beyond the backlog.
 */
final class AcceptQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final int capacity;
    private final ArrayDeque<WsPeer> ready = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<WsPeer>> asyncAcceptors = new ArrayDeque<>();
    private volatile boolean closed;
    /** The number of ready peers, for spinning acceptors to watch without the lock; written under it. */
    private volatile int readyCount;
    private final WaitStrategy waitStrategy;
    private final Runnable roomMade;
    /** Reactors where upgrades wait for room, so that takes tell them; at zero a take costs no wake-up. */
    private final AtomicInteger reactorsWaiting = new AtomicInteger();

    AcceptQueue(int capacity, WaitStrategy waitStrategy, Runnable roomMade) {
        this.capacity = capacity;
        this.waitStrategy = waitStrategy;
        this.roomMade = roomMade;
    }

    /** Reactor thread: upgrades began ({@code true}) or ceased ({@code false}) to wait for room on this reactor. */
    void upgradesWaiting(boolean waiting) {
        reactorsWaiting.addAndGet(waiting ? 1 : -1);
    }

    private void tellRoomMade() {
        if (reactorsWaiting.get() > 0) {
            roomMade.run();
        }
    }

    /** Whether one more peer fits (a waiting {@code acceptAsync} always makes room). Reactor thread. */
    boolean hasRoom() {
        lock.lock();
        try {
            return !closed && (ready.size() < capacity || !asyncAcceptors.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a peer to a waiting acceptor or queues it. Reactor thread.
     *
     * @return false when the queue is closed (the caller closes the peer)
     */
    boolean offer(WsPeer peer) {
        CompletableFuture<WsPeer> acceptor;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            acceptor = asyncAcceptors.poll();
            if (acceptor == null) {
                ready.add(peer);
                readyCount = ready.size();
                notEmpty.signal();
                return true;
            }
        } finally {
            lock.unlock();
        }
        peer.markAccepted();
        if (!acceptor.complete(peer)) {
            // The acceptor was cancelled by its owner: queue the peer for the next one.
            return offer(peer);
        }
        return true;
    }

    /** Removes a peer that waited too long. Reactor thread. @return false when an acceptor already took it */
    boolean remove(WsPeer peer) {
        lock.lock();
        try {
            boolean removed = ready.remove(peer);
            readyCount = ready.size();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a peer, waiting at most {@code nanos}.
     *
     * @return the peer, or null when the queue is closed
     * @throws TimeoutException when no peer came within {@code nanos}
     */
    WsPeer take(long nanos) throws InterruptedException, TimeoutException {
        WsPeer peer;
        boolean spun = false;
        lock.lockInterruptibly();
        try {
            while ((peer = ready.poll()) == null) {
                if (closed) {
                    return null;
                }
                if (nanos <= 0) {
                    throw new TimeoutException("no peer within the timeout");
                }
                if (Waiting.spinsNow(waitStrategy, spun)) {
                    spun = true;
                    nanos = Waiting.spinUnlocked(waitStrategy, lock, () -> readyCount > 0 || closed, nanos);
                    continue;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            readyCount = ready.size();
        } finally {
            lock.unlock();
        }
        peer.markAccepted();
        tellRoomMade();
        return peer;
    }

    /** A future of the next peer; completed with null when the queue closes. */
    CompletableFuture<WsPeer> takeAsync() {
        WsPeer peer;
        lock.lock();
        try {
            peer = ready.poll();
            readyCount = ready.size();
            if (peer == null) {
                if (closed) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<WsPeer> future = new CompletableFuture<>();
                asyncAcceptors.add(future);
                tellRoomMade();
                return future;
            }
        } finally {
            lock.unlock();
        }
        peer.markAccepted();
        tellRoomMade();
        return CompletableFuture.completedFuture(peer);
    }

    /** Closes the queue: waiting acceptors get null. @return the peers nobody accepted, for the caller to close */
    List<WsPeer> close() {
        List<WsPeer> unaccepted;
        List<CompletableFuture<WsPeer>> acceptors;
        lock.lock();
        try {
            closed = true;
            unaccepted = new ArrayList<>(ready);
            ready.clear();
            readyCount = 0;
            acceptors = new ArrayList<>(asyncAcceptors);
            asyncAcceptors.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        acceptors.forEach(acceptor -> acceptor.complete(null));
        return unaccepted;
    }
}
