package io.wsreactor;

import io.wsreactor.frame.CloseCode;

/**
 * How a connection ended: the close code and reason.
 *
 * <p>{@link WsPeer#closeStatus()} gives the code and reason the client sent in its close frame, 1005 when its frame
 * had no code, 1006 when TCP dropped without a close frame (or a close handshake timed out), and the code the server
 * sent when the server failed the connection (1002, 1007, 1008, 1009, 1011, 1013).
 *
 * @param code the close code (RFC 6455 §7.4)
 * @param reason the reason text, empty when none; never null
 */
public record CloseStatus(int code, String reason) {
    /** 1006 with an empty reason: TCP ended without a close frame. */
    static final CloseStatus ABNORMAL = new CloseStatus(CloseCode.ABNORMAL, "");

    /** Makes a status; a null reason becomes empty. */
    public CloseStatus {
        reason = reason == null ? "" : reason;
    }
}
