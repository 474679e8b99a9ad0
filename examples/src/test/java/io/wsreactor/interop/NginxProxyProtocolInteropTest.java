package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ProxyProtocol;
import io.wsreactor.conformance.InProcessEchoServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * nginx's layer-4 {@code stream} proxy with {@code proxy_protocol on} (interop/nginx/wsreactor-proxy-protocol.conf.template)
 * in front of an EchoServer that requires the header: the JDK client's echo checks pass through it, and the handshake
 * hook sees the client's own address, not nginx's. Skipped without nginx or its stream module, failed without them when
 * CI=true.
 */
class NginxProxyProtocolInteropTest {
    @Test
    void echoesThroughNginxStreamAndTheServerSeesTheClientsAddress() throws Exception {
        String streamModule = Nginx.streamModuleDirective();
        try (InProcessEchoServer backend = InProcessEchoServer.start("async", 2 << 20, ProxyProtocol.REQUIRED, null, false);
                Nginx nginx = Nginx.start("wsreactor-proxy-protocol.conf.template", Map.of(
                        "LOAD_STREAM_MODULE", streamModule, "BACKEND", "127.0.0.1:" + backend.port()))) {
            List<InetSocketAddress> seen = new CopyOnWriteArrayList<>();
            backend.server().setProxyHandshake((request, response) -> {
                seen.add(request.remoteAddress());
                return response;
            });
            JdkClientChecks.run(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));

            seen.clear();
            try (Socket client = new Socket("127.0.0.1", nginx.port())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                        + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String status = statusLine(client.getInputStream());
                assertTrue(status.startsWith("HTTP/1.1 101"), status + "\nnginx error log:\n" + nginx.read("error.log"));
                assertEquals(List.of(client.getLocalSocketAddress()), seen,
                        "the hook sees the client's address as nginx received it, not nginx's own connection");
            }
            assertEquals(0, backend.server().stats().proxyProtocolRejected(), backend.server().stats().toString());
        }
    }

    private static String statusLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        return line.toString().trim();
    }
}
