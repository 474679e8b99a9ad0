package io.wsreactor.conformance;

import io.wsreactor.conformance.ServerStream.Close;
import io.wsreactor.conformance.ServerStream.Eof;
import io.wsreactor.conformance.ServerStream.Event;
import io.wsreactor.conformance.ServerStream.Message;
import io.wsreactor.conformance.ServerStream.Ping;
import io.wsreactor.conformance.ServerStream.Pong;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The steps a case may take on one open connection: send frames (whole, frame by frame, chopped, or cut short) and
 * expect what comes back. The server's frames are checked against RFC 6455 as they arrive (no mask, no RSV bits,
 * known opcodes, legal fragmentation, valid UTF-8 in text and close reasons, nothing after its close frame); data
 * messages are reassembled, because a server may fragment what it echoes. Every failed expectation throws an
 * {@link AssertionError} that names the case, what was expected and the full transcript.
 */
final class CaseSession {
    /** Code reported for a close frame without payload (RFC 6455 §7.1.5). */
    static final int NO_STATUS = ServerStream.NO_STATUS;

    private final ConformanceCase conformanceCase;
    private final RawConnection connection;
    private final long deadlineNanos;

    private final ServerStream stream = new ServerStream();
    private WireFrame partialFrame;
    private byte[] partialEncoding;
    private int partialHeaderLength;

    CaseSession(ConformanceCase conformanceCase, RawConnection connection) {
        this.conformanceCase = conformanceCase;
        this.connection = connection;
        this.deadlineNanos = System.nanoTime() + conformanceCase.timeout().toNanos();
    }

    // ---- sending ----

    /** Sends all {@code frames} in one write. A write the server refuses (it closed) is noted, not thrown. */
    void send(WireFrame... frames) {
        sendBytes(encode(frames), frames);
    }

    /** Sends each frame in its own write, flushed, with a short pause between (Autobahn's "frame-wise chops"). */
    void sendFramewise(WireFrame... frames) {
        for (WireFrame frame : frames) {
            send(frame);
            RawConnection.sleep(2);
        }
    }

    /** Sends the frames as one byte stream cut into writes of {@code chop} bytes (1 = Autobahn's "octet-wise chops"). */
    void sendChopped(int chop, WireFrame... frames) {
        byte[] bytes = encode(frames);
        for (WireFrame frame : frames) {
            connection.transcript().sent(frame.describe() + " (in " + chop + "-byte writes)");
        }
        try {
            connection.writeChopped(bytes, chop, chop < 16 ? 1 : 0);
        } catch (IOException e) {
            connection.transcript().note("write failed: " + e.getMessage());
        }
    }

    /**
     * Sends the header of {@code frame} and only the first {@code payloadBytes} of its payload, flushed, and nothing
     * more: what follows is the server's reaction to a frame that has not finished arriving. {@link #sendSuffix}
     * may send more of the same frame later.
     */
    void sendPrefix(WireFrame frame, int payloadBytes) {
        partialFrame = frame;
        partialEncoding = frame.encodeMasked();
        partialHeaderLength = partialEncoding.length - frame.payload().length;
        connection.transcript().sent(frame.describe() + " -- only the header and the first " + payloadBytes
                + " payload bytes");
        writeQuietly(Arrays.copyOf(partialEncoding, partialHeaderLength + payloadBytes));
    }

    /** Sends payload bytes {@code from} (inclusive) to {@code to} (exclusive) of the frame begun by {@link #sendPrefix}. */
    void sendSuffix(WireFrame frame, int from, int to) {
        if (frame != partialFrame) {
            throw new IllegalStateException("sendSuffix must continue the frame of sendPrefix");
        }
        connection.transcript().sent("payload bytes " + from + ".." + (to - 1) + " of that frame: "
                + WireFrame.preview(Arrays.copyOfRange(frame.payload(), from, to)));
        writeQuietly(Arrays.copyOfRange(partialEncoding, partialHeaderLength + from, partialHeaderLength + to));
        RawConnection.sleep(1);
    }

    private void writeQuietly(byte[] bytes) {
        try {
            connection.write(bytes);
        } catch (IOException e) {
            connection.transcript().note("write failed: " + e.getMessage());
        }
    }

    /** Sends only the masked header of a frame that announces {@code length} payload bytes, and none of them. */
    void sendHeaderOnly(boolean rsv1, int opcode, boolean fin, long length) {
        byte[] header = new byte[14];
        header[0] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        header[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        header[10] = 0x11; // the mask key: never used, no payload follows
        header[11] = 0x22;
        header[12] = 0x33;
        header[13] = 0x44;
        connection.transcript().sent(WireFrame.opcodeName(opcode) + (fin ? "" : " fin=0") + " header announcing "
                + length + " payload bytes, and no payload");
        writeQuietly(header);
    }

    /** Waits {@code millis} so that what was sent before and after arrives in separate reads. */
    void pause(long millis) {
        connection.transcript().note("pause " + millis + " ms");
        RawConnection.sleep(millis);
    }

    private void sendBytes(byte[] bytes, WireFrame... frames) {
        for (WireFrame frame : frames) {
            connection.transcript().sent(frame.describe());
        }
        writeQuietly(bytes);
    }

    private static byte[] encode(WireFrame... frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (WireFrame frame : frames) {
            bytes.writeBytes(frame.encodeMasked());
        }
        return bytes.toByteArray();
    }

    // ---- expecting ----

    /** The next event must be a data message with this opcode and payload (the echo). */
    void expectMessage(int opcode, byte[] payload) {
        String wanted = (opcode == WireFrame.TEXT ? "text" : "binary") + " message of " + payload.length + " bytes "
                + WireFrame.preview(payload);
        Event event = next("the echo: " + wanted);
        if (!(event instanceof Message message) || message.opcode() != opcode || !Arrays.equals(message.payload(), payload)) {
            throw failure("expected the echo, a " + wanted + "; got " + event + describeDifference(event, payload));
        }
    }

    /** The next event must be a pong with {@code payload}. */
    void expectPong(byte[] payload) {
        Event event = next("a pong " + WireFrame.preview(payload));
        if (!(event instanceof Pong pong) || !Arrays.equals(pong.payload(), payload)) {
            throw failure("expected a pong with payload " + WireFrame.preview(payload) + "; got " + event);
        }
    }

    /**
     * Either the echo of this message or nothing comes before the close (for cases where the RFC leaves the order to
     * the implementation). Returns the close event.
     */
    Event acceptOptionalMessage(int opcode, byte[] payload) {
        Event event = next("the echo or a close frame");
        if (event instanceof Message message && message.opcode() == opcode && Arrays.equals(message.payload(), payload)) {
            return next("a close frame");
        }
        return event;
    }

    /**
     * The server must fail the connection: no further message or pong, then a close frame with one of {@code codes},
     * then TCP closed. The client answers the close frame as a client would.
     */
    void expectFailure(int... codes) {
        expectServerClose(next("a close frame with code " + codeList(codes)), codes);
    }

    /** Sends a normal close (1000) and expects the closing handshake to complete with 1000 and TCP closed. */
    void closeNormally() {
        send(WireFrame.close(1000));
        expectCloseReply(1000);
    }

    /** After the client sent a close frame: a close frame with one of {@code codes} must come next, then TCP close. */
    void expectCloseReply(int... codes) {
        expectCloseReply(next("the server's close frame with code " + codeList(codes)), codes);
    }

    /** After the client sent a close frame: {@code event} must be the server's close with one of {@code codes}, then TCP close. */
    void expectCloseReply(Event event, int... codes) {
        expectCloseEvent(event, codes);
        connection.shutdownOutput();
        expectEof();
    }

    /** Checks that {@code event} is the server's close with one of {@code codes}, answers it, and expects TCP close. */
    private void expectServerClose(Event event, int... codes) {
        expectCloseEvent(event, codes);
        Close close = (Close) event;
        WireFrame reply = close.code() == NO_STATUS ? new WireFrame(true, 0, WireFrame.CLOSE, new byte[0])
                : WireFrame.close(close.code());
        send(reply);
        connection.shutdownOutput();
        expectEof();
    }

    private void expectCloseEvent(Event event, int... codes) {
        if (event instanceof Close close) {
            for (int code : codes) {
                if (close.code() == code) {
                    return;
                }
            }
            throw failure("expected a close frame with code " + codeList(codes) + "; got " + close);
        }
        if (event instanceof Eof) {
            throw failure("expected a close frame with code " + codeList(codes)
                    + "; the server closed TCP without sending one");
        }
        throw failure("expected a close frame with code " + codeList(codes) + "; got " + event + " first");
    }

    private void expectEof() {
        Event event = next("the server to close TCP after the closing handshake");
        if (!(event instanceof Eof)) {
            throw failure("expected TCP to close after the close frames; got " + event);
        }
    }

    /**
     * The next event, reassembled and checked; server pings are answered. Throws the case's failure on timeout,
     * on a connection error and on anything the server sent that breaks RFC 6455.
     */
    Event next(String waitingFor) {
        while (true) {
            WireFrame frame;
            try {
                frame = connection.readFrame(deadlineNanos);
            } catch (SocketTimeoutException e) {
                throw failure("timed out after " + conformanceCase.timeout().toSeconds() + " s waiting for " + waitingFor);
            } catch (EOFException e) {
                connection.transcript().received("EOF in the middle of a frame");
                throw failure("the server closed TCP in the middle of a frame while we waited for " + waitingFor);
            } catch (IOException e) {
                connection.transcript().received("connection error: " + e);
                if (stream.closeReceived()) {
                    return new Eof(); // a reset after the close frames is still a closed connection
                }
                throw failure("connection error (" + e.getMessage() + ") while waiting for " + waitingFor);
            } catch (RawConnection.ServerViolation e) {
                throw failure("protocol violation by the server: " + e.getMessage());
            }
            if (frame == null) {
                connection.transcript().received("EOF");
                return new Eof();
            }
            connection.transcript().received(frame.describe());
            Event event;
            try {
                event = stream.accept(frame);
            } catch (RawConnection.ServerViolation e) {
                throw failure("protocol violation by the server: " + e.getMessage());
            }
            if (event instanceof Ping ping) {
                answer(ping);
            } else if (event != null) {
                return event;
            }
        }
    }

    private void answer(Ping ping) {
        try {
            connection.write(WireFrame.pong(ping.payload()).encodeMasked());
            connection.transcript().sent("PONG (answer to the server's ping)");
        } catch (IOException e) {
            connection.transcript().note("pong write failed: " + e.getMessage());
        }
    }

    private static String codeList(int... codes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codes.length; i++) {
            text.append(i == 0 ? "" : i == codes.length - 1 ? " or " : ", ").append(codes[i] == NO_STATUS ? "none" : String.valueOf(codes[i]));
        }
        return text.toString();
    }

    private static String describeDifference(Event event, byte[] expected) {
        if (event instanceof Message message && message.payload().length == expected.length) {
            for (int i = 0; i < expected.length; i++) {
                if (message.payload()[i] != expected[i]) {
                    return " (first difference at byte " + i + ")";
                }
            }
        }
        return "";
    }

    /** The failure of this case: its number, what was sent, what was expected and what came back. */
    AssertionError failure(String problem) {
        return new AssertionError("Case " + conformanceCase.id() + " FAILED: " + problem
                + "\n  case:        " + conformanceCase.description()
                + "\n  expectation: " + conformanceCase.expectation()
                + "\n  transcript (-> sent by the suite, <- received from the server):\n" + connection.transcript());
    }
}
