package io.wsreactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * Plain TCP: application bytes are the socket's bytes, and the transport holds nothing of its own. It is also where a
 * peer's thread writes in place ({@link InPlaceWriter}, which it extends so that a plain connection carries one
 * object for both).
 */
final class PlainTransport extends InPlaceWriter implements Transport {
    /**
     * @param stats where frames written in place are counted
     * @param reactorAsleep whether the connection's reactor waits in its selector
     */
    PlainTransport(SocketChannel channel, StatsRecorder stats, BooleanSupplier reactorAsleep) {
        super(channel, stats, reactorAsleep);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
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
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
