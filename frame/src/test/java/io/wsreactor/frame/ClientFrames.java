package io.wsreactor.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;

/** Builds the bytes a client sends, and feeds them to a decoder in pieces of every shape. */
final class ClientFrames {
    static final int ANY_MASK = 0x37FA213D; // the RFC 6455 §5.7 example key

    private ClientFrames() {
    }

    /** Bytes from a hex string; spaces and "0x" prefixes are ignored. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace("0x", "").replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The client (masked) form of {@code frame}, as a browser would send it. */
    static byte[] client(Frame frame, int maskKey) {
        return mask(FrameEncoder.encode(frame), maskKey);
    }

    /** The client (masked) form of {@code frame} with the RFC's example key. */
    static byte[] client(Frame frame) {
        return client(frame, ANY_MASK);
    }

    /** Masks an unmasked frame (as a server writes it): sets the MASK bit, inserts the key, XORs the payload. */
    static byte[] mask(byte[] unmaskedFrame, int maskKey) {
        int lengthCode = unmaskedFrame[1] & 0x7F;
        int headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0);
        byte[] out = new byte[unmaskedFrame.length + 4];
        System.arraycopy(unmaskedFrame, 0, out, 0, headerLength);
        out[1] |= (byte) 0x80;
        ByteBuffer.wrap(out, headerLength, 4).putInt(maskKey);
        int payloadLength = unmaskedFrame.length - headerLength;
        System.arraycopy(unmaskedFrame, headerLength, out, headerLength + 4, payloadLength);
        Masking.unmaskBytewise(out, headerLength + 4, payloadLength, maskKey, 0);
        return out;
    }

    /**
     * A masked client frame with a first byte of the caller's choice (any FIN, RSV and opcode bits), so frames the
     * encoder refuses to make can be built.
     */
    static byte[] raw(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int length = payload.length;
        if (length <= 125) {
            out.write(0x80 | length);
        } else if (length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        byte[] header = out.toByteArray();
        byte[] masked = payload.clone();
        Masking.unmaskBytewise(masked, 0, masked.length, ANY_MASK, 0);
        return concat(header, hex("37fa213d"), masked);
    }

    /** How the bytes are cut into reads. */
    enum Cuts {
        WHOLE, ONE_BYTE_AT_A_TIME, RANDOM
    }

    /** Which kind of buffer each read arrives in; a mix exercises every path of {@link Masking}. */
    enum Buffers {
        HEAP, HEAP_WITH_ARRAY_OFFSET, DIRECT, DIRECT_LITTLE_ENDIAN, MIXED
    }

    /** Decodes {@code wire} in one call and returns what the sink saw. */
    static RecordingSink decode(byte[] wire) {
        return decode(wire, Cuts.WHOLE, Buffers.HEAP, 0);
    }

    /** Decodes with generous limits, cut and buffered as asked (random cuts from {@code seed}). */
    static RecordingSink decode(byte[] wire, Cuts cuts, Buffers buffers, long seed) {
        RecordingSink sink = new RecordingSink();
        feed(new FrameDecoder(sink, 1 << 24, 1L << 26), wire, cuts, buffers, seed);
        return sink;
    }

    /** Feeds {@code wire} to the decoder and checks that every call consumed its whole buffer. */
    static void feed(FrameDecoder decoder, byte[] wire, Cuts cuts, Buffers buffers, long seed) {
        Random random = new Random(seed);
        int position = 0;
        int piece = 0;
        while (position < wire.length) {
            int length = switch (cuts) {
                case WHOLE -> wire.length;
                case ONE_BYTE_AT_A_TIME -> 1;
                // Mostly short reads, so headers split often; sometimes long ones.
                case RANDOM -> 1 + (random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(20));
            };
            length = Math.min(length, wire.length - position);
            ByteBuffer buffer = buffer(wire, position, length, buffers, piece++);
            decoder.decode(buffer);
            if (buffer.hasRemaining()) {
                throw new AssertionError("decode left " + buffer.remaining() + " bytes in the buffer");
            }
            position += length;
        }
    }

    private static ByteBuffer buffer(byte[] wire, int position, int length, Buffers buffers, int piece) {
        Buffers kind = buffers == Buffers.MIXED ? Buffers.values()[piece % 4] : buffers;
        switch (kind) {
            case HEAP:
                return ByteBuffer.wrap(wire, position, length);
            case HEAP_WITH_ARRAY_OFFSET: {
                byte[] padded = new byte[length + 13];
                System.arraycopy(wire, position, padded, 7, length);
                ByteBuffer slice = ByteBuffer.wrap(padded, 5, length + 6).slice(); // arrayOffset 5
                slice.position(2).limit(2 + length);
                return slice;
            }
            default: {
                ByteBuffer direct = ByteBuffer.allocateDirect(length + 3);
                if (kind == Buffers.DIRECT_LITTLE_ENDIAN) {
                    direct.order(ByteOrder.LITTLE_ENDIAN);
                }
                direct.position(3);
                direct.put(wire, position, length);
                direct.position(3);
                return direct;
            }
        }
    }
}
