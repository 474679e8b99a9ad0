package io.wsreactor.frame;

/** The close status codes of RFC 6455 §7.4 and the rule for which of them may be sent on the wire. */
public final class CloseCode {
    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the server is going down or the browser is leaving the page. */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the peer sent a kind of data this endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: no status code was present in the close frame (never sent on the wire). */
    public static final int NO_STATUS = 1005;
    /** 1006: the connection dropped without a close frame (never sent on the wire). */
    public static final int ABNORMAL = 1006;
    /** 1007: a text message or close reason was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was larger than this endpoint accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting. */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (for example, the server is overloaded). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway received an invalid response. */
    public static final int BAD_GATEWAY = 1014;

    private CloseCode() {
    }

    /**
     * Whether {@code code} may appear in a close frame: 1000–1003, 1007–1014 and 3000–4999.
     * 1004, 1005, 1006 and 1015 are reserved and never sent.
     */
    public static boolean isValid(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
