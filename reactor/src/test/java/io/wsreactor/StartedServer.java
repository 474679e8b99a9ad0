package io.wsreactor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Servers started by a test on 127.0.0.1 and a free port, shut down after it (after its {@code @AfterEach} methods):
 * {@code @RegisterExtension final StartedServer started = new StartedServer();}, then {@code started.start(options)}.
 * The shutdown must complete within 30 s, so a server that cannot shut down fails the test that started it.
 */
@SuppressWarnings("exports") // a test fixture: JUnit is on the test class path, not a module the library reads
public final class StartedServer implements AfterEachCallback {
    private final List<WsServer> servers = new ArrayList<>();

    /** Creates a server with {@code options}, listening; it is shut down after the test. */
    public WsServer start(ServerOptions options) throws IOException {
        WsServer server = WsServer.create("127.0.0.1", 0, options);
        servers.add(server);
        server.listen();
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (WsServer server : servers) {
                server.shutdown(Duration.ofMillis(500)).get(30, TimeUnit.SECONDS);
            }
        } finally {
            servers.clear();
        }
    }
}
