package io.wsreactor;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The checks on {@link ServerOptions} values: each setter's bound, and {@link #together} for the values that bound
 * each other at {@link ServerOptions.Builder#build()}. Each throws {@link IllegalArgumentException} naming the option.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    static int positive(String name, int value) {
        return atLeast(name, value, 1);
    }

    static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
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
}
