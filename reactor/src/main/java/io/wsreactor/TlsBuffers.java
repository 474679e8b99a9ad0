package io.wsreactor;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A reactor's TLS packet buffers: a TLS connection borrows one while bytes are in flight (a record read in part,
 * records not yet written, decrypted bytes the caller had no room for) and gives it back once drained, so an idle
 * wss connection holds none. Buffers are direct (the socket reads and writes them without a copy) and all of one
 * size, the largest packet size asked for; at most {@link #MAX_KEPT} free ones are kept. Reactor thread only.
 */
final class TlsBuffers {
    /** Free buffers kept for reuse; beyond this a burst's extra buffers are left to the collector. */
    static final int MAX_KEPT = 64;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int size;

    /** A cleared buffer of at least {@code minSize} bytes. */
    ByteBuffer borrow(int minSize) {
        if (minSize > size) {
            free.clear(); // a larger packet size (a different provider or protocol): the smaller ones are no use
            size = minSize;
        }
        ByteBuffer buffer = free.pollLast();
        if (buffer == null) {
            return ByteBuffer.allocateDirect(size);
        }
        buffer.clear();
        return buffer;
    }

    void release(ByteBuffer buffer) {
        if (buffer.capacity() == size && free.size() < MAX_KEPT) {
            free.addLast(buffer);
        }
    }

    /** Free buffers kept (for tests). */
    int kept() {
        return free.size();
    }
}
