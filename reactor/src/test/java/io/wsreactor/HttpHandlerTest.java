package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.handshake.HandshakeResponse;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plain HTTP requests on the WebSocket port: the health check, a handler's own answers, and the limits. */
class HttpHandlerTest {
    /**
     * HTTP/1.1 only, one client per test: no h2c upgrade attempt and no connection kept from an earlier test's server
     * (the JDK client once got no bytes on a connection it reused under load).
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private WsServer server;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    private void start(HttpHandler handler) throws IOException {
        start(ServerOptions.builder().maxHandshakeBytes(1024).build(), handler);
    }

    private void start(ServerOptions options, HttpHandler handler) throws IOException {
        server = started.start(options);
        server.setHttpHandler(handler);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localAddress().getPort()
                + path)).method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} on a raw socket and reads all the server sends until it closes. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), RawClient.TIMEOUT_MILLIS);
            socket.setSoTimeout(RawClient.TIMEOUT_MILLIS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void healthCheckAnswers200ToTheJdkClient() throws Exception {
        start(HttpHandler.healthCheck("/healthz"));
        HttpResponse<String> response = send("GET", "/healthz?probe=1");
        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
        assertEquals(1, server.stats().httpRequestsAnswered());
        assertTrue(server.stats().handshakesRejected().isEmpty(), "a health answer is no rejected handshake");
    }

    @Test
    void healthCheckAnswersHeadWithoutABody() throws Exception {
        start(HttpHandler.healthCheck("/healthz"));
        String response = exchange("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("\r\nContent-Length: 3\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n"), "nothing after the head: " + response);
        assertEquals(200, send("HEAD", "/healthz").statusCode());
    }

    @Test
    void healthCheckLeavesOtherPathsToTheUsual426() throws Exception {
        start(HttpHandler.healthCheck("/healthz"));
        assertEquals(426, send("GET", "/other").statusCode());
        assertEquals(405, send("POST", "/healthz").statusCode());
    }

    @Test
    void withoutAHandlerAPlainGetStillGets426() throws Exception {
        start(null);
        assertEquals(426, send("GET", "/healthz").statusCode());
        assertEquals(0, server.stats().httpRequestsAnswered());
    }

    @Test
    void removingTheHandlerRestoresThe426() throws Exception {
        start(HttpHandler.healthCheck("/healthz"));
        server.setHttpHandler(null);
        assertEquals(426, send("GET", "/healthz").statusCode());
    }

    @Test
    void sendsTheHandlersOwnStatusHeadersAndBodyWithConnectionClose() throws Exception {
        start(request -> HandshakeResponse.reject(503, "draining").withHeader("Retry-After", "5")
                .withHeader("Connection", "keep-alive"));
        String response = exchange("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        assertTrue(response.contains("\r\nRetry-After: 5\r\n"), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        assertFalse(response.contains("keep-alive"), response);
        assertTrue(response.endsWith("\r\n\r\ndraining\n"), response);
    }

    @Test
    void answersOneRequestPerConnectionEvenWhenTwoArePipelined() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(request -> {
            calls.incrementAndGet();
            return HandshakeResponse.reject(200, "ok");
        });
        String response = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(1, response.split("HTTP/1.1 ", -1).length - 1, response);
        assertEquals(1, calls.get());
    }

    @Test
    void aThrowingHandlerGets500AndTheServerGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(request -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("handler failure (expected by the test)");
            }
            return HandshakeResponse.reject(200, "ok");
        });
        assertEquals(500, send("GET", "/").statusCode());
        assertEquals(200, send("GET", "/").statusCode());
    }

    @Test
    void aHandlerAnswering101Gets500() throws Exception {
        start(request -> HandshakeResponse.upgrade("dGhlIHNhbXBsZSBub25jZQ=="));
        assertEquals(500, send("GET", "/").statusCode());
    }

    @Test
    void upgradesStillWorkWithAHandlerSet() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(request -> {
            calls.incrementAndGet();
            return HandshakeResponse.reject(200, "ok");
        });
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            client.sendText("hi");
            assertEquals("hi", peer.read(Duration.ofSeconds(10)).text());
        }
        assertEquals(0, calls.get());
    }

    @Test
    void aBrokenUpgradeIsNotHandedToTheHandler() throws Exception {
        start(request -> HandshakeResponse.reject(200, "ok"));
        String response = exchange(RawClient.upgradeRequestText("/").replaceAll("Sec-WebSocket-Key: [^\r]*\r\n", ""));
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
    }

    @Test
    void theHandshakeSizeLimitAppliesBeforeTheHandler() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(request -> {
            calls.incrementAndGet();
            return HandshakeResponse.reject(200, "ok");
        });
        String response = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 431"), response);
        assertEquals(0, calls.get());
    }

    @Test
    void theHandshakeTimeoutAppliesToAnUnfinishedRequest() throws Exception {
        start(ServerOptions.builder().handshakeTimeout(Duration.ofMillis(200)).build(),
                HttpHandler.healthCheck("/healthz"));
        assertEquals("", exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n"), "closed unanswered at the timeout");
    }

    @Test
    void theHandlerSeesTheClientNamedByAProxyHeader() throws Exception {
        start(ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED).build(),
                request -> HandshakeResponse.reject(200, String.valueOf(request.remoteAddress())));
        String response = exchange("PROXY TCP4 203.0.113.9 127.0.0.1 40001 80\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.endsWith("/203.0.113.9:40001\n"), response);
    }

    @Test
    void healthCheckRefusesAPathWithoutSlash() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HttpHandler.healthCheck("healthz"));
    }
}
