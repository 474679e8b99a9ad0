package io.wsreactor;

import io.wsreactor.frame.Frame;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The rules for {@link ServerOptions} values, each written once: a method per option that has a bound (returning the
 * value), and {@link #together} for the values that bound each other. The record's constructor applies all of them;
 * the builder's setters apply their option's at once, so a bad value fails where it is set. Each throws
 * {@link IllegalArgumentException} naming the option (a null value: {@link NullPointerException}).
 */
final class OptionChecks {
    private OptionChecks() {
    }

    static int backlog(int value) {
        return positive("backlog", value);
    }

    static int maxFramePayload(int value) {
        if (value < Frame.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("maxFramePayload must be at least " + Frame.MAX_CONTROL_PAYLOAD
                    + " bytes, was " + value);
        }
        return value;
    }

    static long maxMessageSize(long value) {
        return positive("maxMessageSize", value);
    }

    static int maxFragments(int value) {
        return positive("maxFragments", value);
    }

    static Duration handshakeTimeout(Duration value) {
        return positive("handshakeTimeout", value);
    }

    static int maxHandshakeBytes(int value) {
        return atLeast("maxHandshakeBytes", value, 256);
    }

    static int maxHandshakeHeaders(int value) {
        return atLeast("maxHandshakeHeaders", value, 8);
    }

    static Duration acceptTimeout(Duration value) {
        return positive("acceptTimeout", value);
    }

    static Duration closeTimeout(Duration value) {
        return positive("closeTimeout", value);
    }

    static long inboundQueueBytes(long value) {
        return positive("inboundQueueBytes", value);
    }

    static int inboundQueueFrames(int value) {
        return positive("inboundQueueFrames", value);
    }

    static long outboundHighWaterMark(long value) {
        return positive("outboundHighWaterMark", value);
    }

    static long outboundHardLimit(long value) {
        return positive("outboundHardLimit", value);
    }

    static int reactors(int value) {
        if (value < 1 || value > ServerOptions.MAX_REACTORS) {
            throw new IllegalArgumentException("reactors must be 1-" + ServerOptions.MAX_REACTORS + ", was " + value);
        }
        return value;
    }

    static SlowConsumerPolicy slowConsumerPolicy(SlowConsumerPolicy value) {
        return Objects.requireNonNull(value, "slowConsumerPolicy");
    }

    static WaitStrategy waitStrategy(WaitStrategy value) {
        return Objects.requireNonNull(value, "waitStrategy");
    }

    static Duration pingInterval(Duration value) {
        return notNegative("pingInterval", value);
    }

    static Duration pongTimeout(Duration value) {
        return positive("pongTimeout", value);
    }

    static Duration idleTimeout(Duration value) {
        return notNegative("idleTimeout", value);
    }

    static long memoryBudget(long value) {
        return positive("memoryBudget", value);
    }

    static int maxConnections(int value) {
        return positive("maxConnections", value);
    }

    static ProxyProtocol proxyProtocol(ProxyProtocol value) {
        return Objects.requireNonNull(value, "proxyProtocol");
    }

    /** The checks of values against each other, when the options are built. */
    static void together(long outboundHighWaterMark, long outboundHardLimit, long memoryBudget, int maxFramePayload,
            SSLContext tls, ProxyProtocol proxyProtocol) {
        if (outboundHardLimit < outboundHighWaterMark) {
            throw new IllegalArgumentException("outboundHardLimit (" + outboundHardLimit
                    + ") must not be below outboundHighWaterMark (" + outboundHighWaterMark + ")");
        }
        if (tls != null && proxyProtocol != ProxyProtocol.OFF) {
            // The header precedes the TLS ClientHello on the wire; reading it below TLS is not built yet.
            throw new IllegalArgumentException("proxyProtocol with tls is not supported yet: terminate TLS at the"
                    + " proxy, or serve wss:// without the PROXY protocol");
        }
        if (memoryBudget / 2 < maxFramePayload) {
            throw new IllegalArgumentException("memoryBudget (" + memoryBudget + ") must be at least twice"
                    + " maxFramePayload (" + maxFramePayload + "), so that one peer's frame can always finish");
        }
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    private static int positive(String name, int value) {
        return atLeast(name, value, 1);
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
