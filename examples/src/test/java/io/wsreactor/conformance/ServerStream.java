package io.wsreactor.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the server sends, checked against RFC 6455 frame by frame (no RSV bits, known opcodes, final control frames of
 * at most 125 bytes, legal fragmentation, valid UTF-8 in text and close reasons, nothing after its close frame) and
 * turned into events: data messages are reassembled, because a server may fragment what it echoes.
 */
final class ServerStream {
    /** Code reported for a close frame without payload (RFC 6455 §7.1.5). */
    static final int NO_STATUS = 1005;

    private int messageOpcode = -1;
    private final ByteArrayOutputStream messageBuffer = new ByteArrayOutputStream();
    private boolean closeReceived;

    /** What the server sent, after reassembly. */
    sealed interface Event permits Message, Ping, Pong, Close, Eof {
    }

    /** A complete data message; {@code opcode} is TEXT or BINARY. */
    record Message(int opcode, byte[] payload) implements Event {
        @Override
        public String toString() {
            return (opcode == WireFrame.TEXT ? "text" : "binary") + " message of " + payload.length + " bytes "
                    + WireFrame.preview(payload);
        }
    }

    /** A ping, which the session answers. */
    record Ping(byte[] payload) implements Event {
        @Override
        public String toString() {
            return "ping " + WireFrame.preview(payload);
        }
    }

    /** A pong. */
    record Pong(byte[] payload) implements Event {
        @Override
        public String toString() {
            return "pong " + WireFrame.preview(payload);
        }
    }

    /** The server's close frame; {@code code} is 1005 when it had no payload. */
    record Close(int code, String reason) implements Event {
        @Override
        public String toString() {
            return "close frame, code " + (code == NO_STATUS ? "none" : code) + (reason.isEmpty() ? "" : ", reason \"" + reason + '"');
        }
    }

    /** The server closed TCP. */
    record Eof() implements Event {
        @Override
        public String toString() {
            return "TCP closed by the server";
        }
    }

    /** Whether the server's close frame has arrived. */
    boolean closeReceived() {
        return closeReceived;
    }

    /**
     * Takes the next frame the server sent and returns the event it completes, or null for a fragment that does not
     * finish its message.
     *
     * @throws RawConnection.ServerViolation when the frame breaks RFC 6455
     */
    Event accept(WireFrame frame) throws RawConnection.ServerViolation {
        if (closeReceived) {
            throw new RawConnection.ServerViolation("it sent " + frame.describe() + " after its close frame");
        }
        if (frame.rsv() != 0) {
            throw new RawConnection.ServerViolation("RSV bits set without an extension");
        }
        switch (frame.opcode()) {
            case WireFrame.PING -> {
                checkControl(frame);
                return new Ping(frame.payload());
            }
            case WireFrame.PONG -> {
                checkControl(frame);
                return new Pong(frame.payload());
            }
            case WireFrame.CLOSE -> {
                checkControl(frame);
                closeReceived = true;
                return parseClose(frame.payload());
            }
            case WireFrame.TEXT, WireFrame.BINARY -> {
                if (messageOpcode != -1) {
                    throw new RawConnection.ServerViolation("a new message started inside an unfinished one");
                }
                messageOpcode = frame.opcode();
                messageBuffer.reset();
                return appendFragment(frame);
            }
            case WireFrame.CONTINUATION -> {
                if (messageOpcode == -1) {
                    throw new RawConnection.ServerViolation("continuation frame without a message to continue");
                }
                return appendFragment(frame);
            }
            default -> throw new RawConnection.ServerViolation("reserved opcode " + frame.opcode());
        }
    }

    private static void checkControl(WireFrame frame) throws RawConnection.ServerViolation {
        if (!frame.fin() || frame.payload().length > 125) {
            throw new RawConnection.ServerViolation("control frames must be final and at most 125 bytes");
        }
    }

    private Event appendFragment(WireFrame frame) throws RawConnection.ServerViolation {
        messageBuffer.writeBytes(frame.payload());
        if (!frame.fin()) {
            return null;
        }
        byte[] payload = messageBuffer.toByteArray();
        int opcode = messageOpcode;
        messageOpcode = -1;
        messageBuffer.reset();
        if (opcode == WireFrame.TEXT && !Utf8Oracle.isValid(payload)) {
            throw new RawConnection.ServerViolation("it sent a text message that is not valid UTF-8");
        }
        return new Message(opcode, payload);
    }

    private static Close parseClose(byte[] payload) throws RawConnection.ServerViolation {
        if (payload.length == 0) {
            return new Close(NO_STATUS, "");
        }
        if (payload.length == 1) {
            throw new RawConnection.ServerViolation("close frame with a 1-byte payload");
        }
        int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        if (!isSendableCloseCode(code)) {
            throw new RawConnection.ServerViolation("close code " + code + " may not be sent");
        }
        byte[] reason = Arrays.copyOfRange(payload, 2, payload.length);
        if (!Utf8Oracle.isValid(reason)) {
            throw new RawConnection.ServerViolation("close reason is not valid UTF-8");
        }
        return new Close(code, new String(reason, StandardCharsets.UTF_8));
    }

    /** RFC 6455 §7.4 with the IANA registry: 1000–1003, 1007–1014 and 3000–4999 may appear on the wire. */
    static boolean isSendableCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
