package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.conformance.InProcessEchoServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * nginx in front of two EchoServers with the standard WebSocket proxy configuration
 * (interop/nginx/wsreactor-proxy.conf.template): the JDK client's echo checks pass through it, and both backends
 * serve connections. Skipped without nginx, failed without it when CI=true.
 */
class NginxProxyInteropTest {
    private static final int CONNECTIONS = 4;

    @Test
    void echoesThroughNginxAndSpreadsConnectionsOverBothBackends() throws Exception {
        Nginx.executable();
        try (InProcessEchoServer first = InProcessEchoServer.start("async", 2 << 20);
                InProcessEchoServer second = InProcessEchoServer.start("threads", 2 << 20);
                Nginx nginx = Nginx.start("wsreactor-proxy.conf.template", Map.of(
                        "BACKEND_1", "127.0.0.1:" + first.port(), "BACKEND_2", "127.0.0.1:" + second.port()))) {
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    JdkClientChecks.run(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
                }
            } finally {
                nginx.stop();
            }
            String accessLog = nginx.read("access.log");
            for (InProcessEchoServer backend : List.of(first, second)) {
                assertTrue(accessLog.contains("101 127.0.0.1:" + backend.port() + " "),
                        "backend 127.0.0.1:" + backend.port() + " served no WebSocket connection; access log:\n" + accessLog
                                + "\nerror log:\n" + nginx.read("error.log"));
            }
        }
    }
}
