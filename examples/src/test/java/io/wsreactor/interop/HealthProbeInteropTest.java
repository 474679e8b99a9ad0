package io.wsreactor.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ProxyProtocol;
import io.wsreactor.conformance.InProcessEchoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An EchoServer with a health check path (as {@code --health-path /healthz} starts it) probed the way load balancers
 * and Kubernetes do, with the JDK HttpClient and curl, while WebSocket clients are served on the same port. The curl
 * test is skipped without curl, failed without it when CI=true.
 */
class HealthProbeInteropTest {
    @Test
    void jdkHttpClientGets200AndWebSocketClientsStillEcho() throws Exception {
        try (InProcessEchoServer echo = InProcessEchoServer.start("async", 2 << 20, ProxyProtocol.OFF, "/healthz", false)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + echo.port() + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            JdkClientChecks.run(URI.create(echo.url()));
            assertEquals(1, echo.server().stats().httpRequestsAnswered());
        }
    }

    @Test
    void curlGets200ForGetAndHead() throws Exception {
        Path curl = ExternalTools.onPath("curl");
        ExternalTools.require(curl != null, "curl (Debian package curl)");
        try (InProcessEchoServer echo = InProcessEchoServer.start("async", 2 << 20, ProxyProtocol.OFF, "/healthz", false)) {
            String url = "http://127.0.0.1:" + echo.port() + "/healthz";
            ExternalTools.Outcome get = ExternalTools.run(List.of(curl.toString(), "-sS", "-i", "--max-time", "20",
                    "--fail", url), Path.of("."), Duration.ofSeconds(60));
            assertEquals(0, get.exitCode(), get.output());
            assertTrue(get.output().startsWith("HTTP/1.1 200 OK"), get.output());
            assertTrue(get.output().endsWith("\r\n\r\nok\n"), get.output());
            ExternalTools.Outcome head = ExternalTools.run(List.of(curl.toString(), "-sS", "-I", "--max-time", "20",
                    "--fail", url), Path.of("."), Duration.ofSeconds(60));
            assertEquals(0, head.exitCode(), head.output());
            assertTrue(head.output().startsWith("HTTP/1.1 200 OK"), head.output());
            ExternalTools.Outcome other = ExternalTools.run(List.of(curl.toString(), "-sS", "-o", "/dev/null",
                    "-w", "%{http_code}", "--max-time", "20", "http://127.0.0.1:" + echo.port() + "/other"),
                    Path.of("."), Duration.ofSeconds(60));
            assertEquals("426", other.output().trim(), "other paths keep the usual answer");
        }
    }
}
