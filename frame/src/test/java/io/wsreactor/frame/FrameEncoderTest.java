package io.wsreactor.frame;

import static io.wsreactor.frame.ClientFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameEncoderTest {

    @ParameterizedTest(name = "{0} bytes need a {1}-byte header")
    @CsvSource({"0, 2", "1, 2", "125, 2", "126, 4", "65535, 4", "65536, 10", "2147483647, 10"})
    void usesTheMinimalLengthEncoding(int payloadLength, int headerLength) {
        assertEquals(headerLength, FrameEncoder.headerLength(payloadLength));
    }

    @ParameterizedTest(name = "{0} bytes: {1}")
    @CsvSource({
        "0, 8200",
        "125, 827d",
        "126, 827e007e",
        "65535, 827effff",
        "65536, 827f0000000000010000",
        "2147483647, 827f000000007fffffff",
    })
    void writesTheHeaderBytesInNetworkOrderWhateverTheBufferOrder(int payloadLength, String expected) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer dst = ByteBuffer.allocate(16).order(order);
            FrameEncoder.writeHeader(dst, Opcode.BINARY, true, payloadLength);
            assertEquals(FrameEncoder.headerLength(payloadLength), dst.position());
            assertArrayEquals(hex(expected), Arrays.copyOf(dst.array(), dst.position()));
        }
    }

    @Test
    void encodesTheRfcUnmaskedHelloExactly() {
        assertArrayEquals(hex("0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f"), FrameEncoder.encode(Frame.text("Hello")));
    }

    @Test
    void encodesTheRfcFragmentsAndPingExactly() {
        assertArrayEquals(hex("0x01 0x03 0x48 0x65 0x6c"), FrameEncoder.encode(Frame.text("Hel", false)));
        assertArrayEquals(hex("0x80 0x02 0x6c 0x6f"),
                FrameEncoder.encode(Frame.continuation("lo".getBytes(java.nio.charset.StandardCharsets.UTF_8), true)));
        assertArrayEquals(hex("0x89 0x05 0x48 0x65 0x6c 0x6c 0x6f"),
                FrameEncoder.encode(Frame.ping("Hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void encodesTheRfcLongBinaryExamplesWithTheirLengthFields() {
        byte[] frame256 = FrameEncoder.encode(Frame.binary(new byte[256]));
        assertArrayEquals(hex("0x82 0x7E 0x01 0x00"), Arrays.copyOf(frame256, 4));
        assertEquals(4 + 256, frame256.length);
        byte[] frame64k = FrameEncoder.encode(Frame.binary(new byte[65536]));
        assertArrayEquals(hex("0x82 0x7F 0x00 0x00 0x00 0x00 0x00 0x01 0x00 0x00"), Arrays.copyOf(frame64k, 10));
        assertEquals(10 + 65536, frame64k.length);
    }

    @Test
    void encodesIntoTheCallersBufferAtItsPosition() {
        ByteBuffer dst = ByteBuffer.allocateDirect(32);
        dst.put((byte) 0x55);
        FrameEncoder.encode(Frame.close(CloseCode.NORMAL, "ok"), dst);
        dst.flip().get();
        byte[] written = new byte[dst.remaining()];
        dst.get(written);
        assertArrayEquals(hex("88 04 03 e8 6f 6b"), written);
    }

    @Test
    void refusesControlFramesOver125BytesOrNotFinal() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(Frame.ping(new byte[126])));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.writeHeader(ByteBuffer.allocate(16), Opcode.PONG, true, 126));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.writeHeader(ByteBuffer.allocate(16), Opcode.CLOSE, false, 2));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.headerLength(-1));
    }

    @Test
    void writesNothingWhenTheBufferIsTooSmall() {
        ByteBuffer header = ByteBuffer.allocate(3);
        assertThrows(BufferOverflowException.class, () -> FrameEncoder.writeHeader(header, Opcode.TEXT, true, 126));
        assertEquals(0, header.position());
        ByteBuffer whole = ByteBuffer.allocate(6);
        assertThrows(BufferOverflowException.class, () -> FrameEncoder.encode(Frame.binary(new byte[5]), whole));
        assertEquals(0, whole.position());
    }
}
