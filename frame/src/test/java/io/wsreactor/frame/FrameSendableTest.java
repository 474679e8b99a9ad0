package io.wsreactor.frame;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The control-frame rule every sender shares ({@link Frame#checkSendable}). */
class FrameSendableTest {

    @ParameterizedTest
    @EnumSource(value = Opcode.class, names = {"CLOSE", "PING", "PONG"})
    void controlFramesOf125BytesAreSendable(Opcode opcode) {
        assertDoesNotThrow(() -> Frame.checkSendable(opcode, true, Frame.MAX_CONTROL_PAYLOAD));
    }

    @ParameterizedTest
    @EnumSource(value = Opcode.class, names = {"CLOSE", "PING", "PONG"})
    void controlFramesOver125BytesAreNot(Opcode opcode) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Frame.checkSendable(opcode, true, Frame.MAX_CONTROL_PAYLOAD + 1));
        assertEquals(opcode + " frame must be final and at most 125 bytes, was fin=true, 126 bytes", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Opcode.class, names = {"CLOSE", "PING", "PONG"})
    void controlFramesThatAreNotFinalAreNot(Opcode opcode) {
        assertThrows(IllegalArgumentException.class, () -> Frame.checkSendable(opcode, false, 0));
    }

    @ParameterizedTest
    @EnumSource(value = Opcode.class, names = {"CONTINUATION", "TEXT", "BINARY"})
    void dataFramesOfAnyLengthAndFinAreSendable(Opcode opcode) {
        assertDoesNotThrow(() -> Frame.checkSendable(opcode, false, 1 << 20));
    }

    @Test
    void aCloseReasonOfMaxCloseReasonBytesFitsAndOneMoreDoesNot() {
        Frame longest = Frame.close(CloseCode.NORMAL, "r".repeat(Frame.MAX_CLOSE_REASON));
        assertEquals(Frame.MAX_CONTROL_PAYLOAD, longest.length());
        assertThrows(IllegalArgumentException.class,
                () -> Frame.close(CloseCode.NORMAL, "r".repeat(Frame.MAX_CLOSE_REASON + 1)));
    }
}
