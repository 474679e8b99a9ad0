package io.wsreactor;

import io.wsreactor.frame.CloseCode;
import io.wsreactor.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@link WsPeer#readMessage}: takes frames from the peer's {@link InboundQueue} and joins a fragmented message into
 * one final frame, at most {@code maxFragments} fragments. Fragments read before a timeout or an interrupt are kept
 * for the next call. One reader thread at a time.
 */
final class MessageReader {
    private final InboundQueue inbound;
    private final int maxFragments;
    /** Fails the connection with 1009 when a message has too many fragments. */
    private final Runnable tooManyFragments;
    /** The fragments of the message begun, or null. */
    private List<Frame> partial;

    MessageReader(InboundQueue inbound, int maxFragments, Runnable tooManyFragments) {
        this.inbound = inbound;
        this.maxFragments = maxFragments;
        this.tooManyFragments = tooManyFragments;
    }

    /** {@code peer}'s message reader: a message of more than {@link ServerOptions#maxFragments()} fails it (1009). */
    static MessageReader of(PeerLifecycle peer) {
        Connection connection = peer.connection;
        int maxFragments = connection.reactor.options.maxFragments();
        return new MessageReader(peer.inbound, maxFragments, () -> connection.execute(() -> connection.fail(
                CloseCode.MESSAGE_TOO_BIG, "message has more than " + maxFragments + " fragments")));
    }

    /**
     * The next whole message, waiting at most {@code nanos} in all.
     *
     * @return the message; null at end of stream or when it had too many fragments
     * @throws TimeoutException when the message did not complete in time (fragments so far are kept)
     */
    Frame read(long nanos) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + nanos;
        while (true) {
            Frame frame = inbound.poll(deadline - System.nanoTime());
            if (frame == null) {
                partial = null;
                return null;
            }
            if (partial == null) {
                if (frame.fin()) {
                    return frame;
                }
                partial = new ArrayList<>();
            }
            partial.add(frame);
            if (partial.size() > maxFragments) {
                partial = null;
                tooManyFragments.run();
                return null;
            }
            if (frame.fin()) {
                return join();
            }
        }
    }

    private Frame join() {
        List<Frame> parts = partial;
        partial = null;
        int length = 0;
        for (Frame part : parts) {
            length += part.length();
        }
        byte[] payload = new byte[length];
        int offset = 0;
        for (Frame part : parts) {
            System.arraycopy(part.payload(), 0, payload, offset, part.length());
            offset += part.length();
        }
        return new Frame(parts.get(0).opcode(), true, payload);
    }
}
