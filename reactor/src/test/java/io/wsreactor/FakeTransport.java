package io.wsreactor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A {@link Transport} with no socket, for the write path's tests: it keeps every byte it takes, and takes on each
 * write as many bytes as the test planned ({@link #thenTake}), then everything once the plan is used up; it can fail
 * a write with an {@link IOException}. Single-threaded, like the reactor.
 */
final class FakeTransport implements Transport {
    private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    private final Queue<Integer> plan = new ArrayDeque<>();
    private IOException failure;
    private int writes;

    /** The next write takes at most {@code bytes} (0: none); calls queue up, one per write. */
    FakeTransport thenTake(int bytes) {
        plan.add(bytes);
        return this;
    }

    /** The next write throws {@code e} and takes nothing. */
    FakeTransport thenFail(IOException e) {
        failure = e;
        return this;
    }

    /** Every byte taken so far, in order. */
    byte[] bytes() {
        return taken.toByteArray();
    }

    /** The calls to {@link #write} so far. */
    int writes() {
        return writes;
    }

    @Override
    public int read(ByteBuffer dst) {
        return 0;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writes++;
        if (failure != null) {
            IOException e = failure;
            failure = null;
            throw e;
        }
        Integer limit = plan.poll();
        int length = limit == null ? src.remaining() : Math.min(limit, src.remaining());
        byte[] chunk = new byte[length];
        src.get(chunk);
        taken.writeBytes(chunk);
        return length;
    }

    @Override
    public boolean flushOwn() {
        return true;
    }

    @Override
    public boolean wantsWrite() {
        return false;
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public void close() {
    }
}
