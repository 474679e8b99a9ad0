package io.wsreactor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The topics one peer is subscribed to, so that a closed peer leaves them all by itself. */
final class Subscriptions {
    private final Set<Topic> topics = ConcurrentHashMap.newKeySet();

    void add(Topic topic) {
        topics.add(topic);
    }

    /** The peer closed: it leaves every topic. */
    void leaveAll(PeerWriter writer) {
        for (Topic topic : topics) {
            topic.leave(writer);
        }
        topics.clear();
    }
}
