package io.wsreactor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The {@link SSLEngine} each wss connection gets (docs/ARCHITECTURE.md, "The transport seam"): server mode, TLSv1.3
 * and TLSv1.2 only, then the application's {@link ServerOptions#tlsParameters()} may change the parameters. Any
 * thread; the reactor calls it once per accepted socket.
 */
final class TlsEngines {
    private TlsEngines() {
    }

    /** A server-mode engine of {@code context}; {@code adjust}, when not null, changes its parameters last. */
    static SSLEngine server(SSLContext context, Consumer<SSLParameters> adjust) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(modernProtocols(engine.getSupportedProtocols()));
        if (adjust != null) {
            adjust.accept(parameters);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The protocols of {@code supported} that we speak: TLSv1.3 and TLSv1.2. */
    static String[] modernProtocols(String[] supported) {
        List<String> kept = new ArrayList<>(2);
        for (String protocol : supported) {
            if (protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2")) {
                kept.add(protocol);
            }
        }
        return kept.toArray(new String[0]);
    }
}
