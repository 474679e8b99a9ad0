package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named set of peers that receive every message published to it, from {@link WsServer#topic} or
 * {@link WsServer#conflatingTopic}.
 *
 * <p>{@link #publish} encodes the message once and adds one small node to each subscriber's queue; each subscriber's
 * slow-consumer policy decides for it alone, exactly as for a {@link WsPeer#writeAsync} of the same message (DROP
 * drops the whole message for that peer, CLOSE closes that peer with 1008 past its hard limit, FAIL and BLOCK
 * refuse it for that peer), and the publisher never waits. Per peer, published messages and direct writes keep the
 * order their calls returned in on one thread, and a published message never lands inside a fragmented message being
 * written to that peer: it is queued right after its last fragment.
 *
 * <p>A closed peer leaves all its topics by itself. A publish racing with {@link #subscribe} or {@link #unsubscribe}
 * of a peer may reach that peer or not; every publish that starts after {@code subscribe} returned reaches it (as its
 * policy allows), and none that starts after {@code unsubscribe} returned does. Topics last as long as their server.
 *
 * <p>All methods are safe from any thread and never block.
 */
public final class Topic {
    private final String name;
    private final boolean conflating;
    private final Publisher publisher;
    /** Every peer that subscribed and has not closed, active or not (see {@link Subscription}). */
    private final ConcurrentHashMap<PeerWriter, Subscription> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    Topic(String name, boolean conflating, Publisher publisher) {
        this.name = name;
        this.conflating = conflating;
        this.publisher = publisher;
    }

    /** The topic's name. */
    public String name() {
        return name;
    }

    /** Whether the topic conflates: a newer message with the same key replaces one still queued for a subscriber. */
    public boolean isConflating() {
        return conflating;
    }

    /**
     * Subscribes a peer.
     *
     * @return true if it was not subscribed before and is not closed
     * @throws IllegalArgumentException if the peer belongs to another server
     */
    public boolean subscribe(WsPeer peer) {
        publisher.checkPeer(peer);
        PeerWriter writer = peer.writer;
        Subscription subscription = subscribers.get(writer);
        if (subscription == null) {
            Subscription created = new Subscription(peer, conflating);
            subscription = subscribers.putIfAbsent(writer, created);
            if (subscription == null) {
                subscription = created;
            }
        }
        if (!subscription.activate()) {
            return false;
        }
        count.incrementAndGet();
        writer.subscriptions().add(this);
        if (writer.isClosing()) {
            // The close may have left its topics before this one was added: leave it here.
            if (subscription.deactivate()) {
                count.decrementAndGet();
            }
            subscribers.remove(writer, subscription);
            return false;
        }
        return true;
    }

    /**
     * Unsubscribes a peer; messages already queued for it are still written.
     *
     * @return true if it was subscribed
     */
    public boolean unsubscribe(WsPeer peer) {
        Objects.requireNonNull(peer, "peer");
        Subscription subscription = subscribers.get(peer.writer);
        if (subscription == null || !subscription.deactivate()) {
            return false;
        }
        count.decrementAndGet();
        return true;
    }

    /** Whether the peer is subscribed. */
    public boolean isSubscribed(WsPeer peer) {
        Subscription subscription = subscribers.get(peer.writer);
        return subscription != null && subscription.active;
    }

    /** The number of subscribers now. */
    public int subscriberCount() {
        return count.get();
    }

    /**
     * Publishes a message to every subscriber.
     *
     * @param frame a whole TEXT or BINARY message ({@code fin} set); its payload array is shared by every recipient
     *     until written, so it must not be changed after this call
     * @return what became of the message, counted over the subscribers
     * @throws IllegalArgumentException for a control frame, a CONTINUATION frame or a frame without {@code fin}
     */
    public PublishResult publish(Frame frame) {
        Fanout fanout = new Fanout(new Publication(Objects.requireNonNull(frame, "frame")), publisher,
                subscribers.size());
        try {
            for (Subscription subscription : subscribers.values()) {
                if (subscription.active) {
                    fanout.deliver(subscription.peer);
                }
            }
        } catch (RuntimeException | Error e) {
            fanout.finish();
            throw e;
        }
        return fanout.finish();
    }

    /**
     * Publishes a message to every subscriber of a conflating topic: for a subscriber that still has a message with
     * an equal {@code key} queued (not yet being written), this one replaces it in its place in the queue, so a
     * subscriber that is behind gets the latest value per key rather than a backlog. A replacement adds nothing to
     * the subscriber's queue, so its policy is not asked; otherwise the message is queued as by {@link #publish}.
     *
     * @param key what identifies the value (a symbol, an entity id); compared with {@code equals}
     * @throws IllegalStateException if the topic does not conflate
     * @throws IllegalArgumentException as {@link #publish(Frame)}
     */
    public PublishResult publish(Frame frame, Object key) {
        Objects.requireNonNull(key, "key");
        if (!conflating) {
            throw new IllegalStateException("topic " + name + " does not conflate: publish(frame) or a conflating topic");
        }
        Fanout fanout = new Fanout(new Publication(Objects.requireNonNull(frame, "frame")), publisher,
                subscribers.size());
        try {
            for (Subscription subscription : subscribers.values()) {
                if (subscription.active) {
                    fanout.deliver(subscription, key);
                }
            }
        } catch (RuntimeException | Error e) {
            fanout.finish();
            throw e;
        }
        return fanout.finish();
    }

    /** The peer closed: it is no longer a subscriber, and its place goes. */
    void leave(PeerWriter writer) {
        Subscription subscription = subscribers.remove(writer);
        if (subscription != null && subscription.deactivate()) {
            count.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "Topic[" + name + (conflating ? ", conflating" : "") + ", " + count.get() + " subscribers]";
    }
}
