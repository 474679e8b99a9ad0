package io.wsreactor;

import io.wsreactor.frame.FrameEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Moves a connection's queued frames to its transport. One per reactor; reactor thread only.
 *
 * <p>Frames are taken in {@link Outbound}'s order. Many frames are copied, headers written in place, into one direct
 * buffer and written with one call. Entries are advanced only by the bytes the transport took, so a short write needs
 * no buffer of its own: what was not taken is put back at the front and copied again next time.
 */
final class Flusher {
    /** What a {@link #flush} achieved. */
    enum Result {
        /** Everything queued was written. */
        DONE,
        /** The transport took less than offered: wait for OP_WRITE. */
        BLOCKED,
        /** The round limit was reached with more queued: flush again in the next pass (fairness). */
        MORE
    }

    /** Buffers written per flush before other connections get their turn. */
    static final int MAX_ROUNDS = 16;

    private final ByteBuffer out;
    private final ByteBuffer header = ByteBuffer.allocate(16);
    private OutboundEntry[] taken = new OutboundEntry[64];

    Flusher(int bufferSize) {
        out = ByteBuffer.allocateDirect(bufferSize);
    }

    /**
     * Writes what {@code outbound} holds, as far as {@code transport} takes it.
     *
     * @throws IOException from the transport; the entries taken for that write are put back, so failing the
     *     outbound path fails their futures
     */
    Result flush(Transport transport, Outbound outbound) throws IOException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            out.clear();
            int count = 0;
            OutboundEntry entry;
            while (out.hasRemaining() && (entry = outbound.next()) != null) {
                if (count == taken.length) {
                    taken = Arrays.copyOf(taken, count * 2);
                }
                taken[count++] = entry;
                if (!copy(entry)) {
                    break;
                }
            }
            if (count == 0) {
                return Result.DONE;
            }
            out.flip();
            int offered = out.remaining();
            int written;
            try {
                written = transport.write(out);
            } catch (IOException e) {
                // Hand the taken entries back, so closing the connection fails their futures.
                outbound.putBack(taken, 0, count);
                Arrays.fill(taken, 0, count, null);
                throw e;
            }
            settle(outbound, count, written);
            if (written < offered) {
                return Result.BLOCKED;
            }
        }
        return Result.MORE;
    }

    /** Copies as much of the entry as fits, without advancing it. @return true when all of it fit */
    private boolean copy(OutboundEntry entry) {
        int position = entry.written;
        int headerLength = entry.headerLength();
        byte[] payload = entry.payload();
        byte[] encodedHeader = entry.encodedHeader();
        if (position < headerLength && encodedHeader != null) {
            // A published message: its header was made once for every recipient.
            int length = Math.min(headerLength - position, out.remaining());
            out.put(encodedHeader, position, length);
            position += length;
            if (position < headerLength) {
                return false;
            }
        } else if (position == 0 && headerLength > 0 && out.remaining() >= headerLength) {
            // The usual case: the whole header straight into the direct buffer.
            FrameEncoder.writeHeader(out, entry.opcode(), entry.fin(), payload.length);
            position = headerLength;
        } else if (position < headerLength) {
            // A header split by a short write (or by the end of the buffer): resume it from a scratch copy.
            header.clear();
            FrameEncoder.writeHeader(header, entry.opcode(), entry.fin(), payload.length);
            int length = Math.min(headerLength - position, out.remaining());
            out.put(header.array(), position, length);
            position += length;
            if (position < headerLength) {
                return false;
            }
        }
        int offset = position - headerLength;
        int length = Math.min(payload.length - offset, out.remaining());
        out.put(payload, offset, length);
        return offset + length == payload.length;
    }

    /** Advances the taken entries by the bytes written; completes the whole ones, puts back the rest in order. */
    private void settle(Outbound outbound, int count, int written) {
        int i = 0;
        for (; i < count; i++) {
            OutboundEntry entry = taken[i];
            int remaining = entry.remaining();
            if (written < remaining) {
                entry.written += written;
                break;
            }
            written -= remaining;
            entry.written = entry.total();
            taken[i] = null;
            outbound.onWritten(entry);
        }
        if (i < count) {
            outbound.putBack(taken, i, count);
            Arrays.fill(taken, i, count, null);
        }
    }
}
