package io.wsreactor.frame;

/**
 * Receives what a {@link FrameDecoder} decodes. The reactor implements it; tests implement it with a list.
 *
 * <p>Calls come on the thread that calls {@link FrameDecoder#decode}, in wire order. After
 * {@link #onProtocolError} the decoder delivers nothing more.
 */
public interface FrameSink {
    /** A complete TEXT, BINARY or CONTINUATION frame, unmasked; text already validated as UTF-8 so far. */
    void onData(Frame frame);

    /** A PING frame's payload (0–125 bytes), to be answered with a PONG carrying the same bytes. */
    void onPing(byte[] payload);

    /** A PONG frame's payload (0–125 bytes). */
    void onPong(byte[] payload);

    /**
     * A valid CLOSE frame.
     *
     * @param code the status code, or {@link CloseCode#NO_STATUS} (1005) when the frame had no payload
     * @param reason the UTF-8 reason, empty when none
     */
    void onClose(int code, String reason);

    /**
     * The client broke the protocol; the connection must be failed with {@code closeCode}
     * (1002, 1007 or 1009) and {@code reason} (a short English text, at most 123 bytes in UTF-8).
     */
    void onProtocolError(int closeCode, String reason);
}
