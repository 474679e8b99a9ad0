package io.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Opening-handshake cases (group "H" of the report) over raw sockets: accepted variations of a valid request, each
 * rejection with its status, a slow-loris client cut off by the handshake timeout, and a first frame that arrives
 * in the same packet as the upgrade. After every rejected request a fresh connection must still echo.
 */
class HandshakeConformanceTest {
    private static final long RESPONSE_TIMEOUT_MILLIS = 10_000;

    private static ServerUnderTest server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerUnderTest.start();
    }

    @AfterAll
    static void stopServerAndWriteReport() throws Exception {
        ConformanceReport.write(server.description());
        server.close();
    }

    @Test
    @DisplayName("H.1 header names in lower case and token values in any case are accepted")
    void acceptsHeaderNamesAndTokensInAnyCase() throws Exception {
        recorded("H.1", "Upgrade request with lower-case header names, 'Upgrade: WebSocket', 'Connection: UPGRADE'", () -> {
            try (RawConnection connection = RawConnection.connect(address())) {
                String request = "GET " + address().path() + " HTTP/1.1\r\nhost: " + address().hostHeader()
                        + "\r\nupgrade: WebSocket\r\nconnection: UPGRADE\r\nsec-websocket-key: " + connection.key()
                        + "\r\nsec-websocket-version: 13\r\n\r\n";
                expectUpgradeAndEcho(connection, request);
            }
        });
    }

    @Test
    @DisplayName("H.2 a Connection token list and unrelated headers are accepted")
    void acceptsConnectionTokenListsAndOtherHeaders() throws Exception {
        recorded("H.2", "Upgrade request with 'Connection: keep-alive, Upgrade', an Origin, a User-Agent and a cookie", () -> {
            try (RawConnection connection = RawConnection.connect(address())) {
                String request = connection.upgradeRequest(address(), Map.of()).replace("Connection: Upgrade",
                        "Connection: keep-alive, Upgrade\r\nOrigin: http://example.com\r\nUser-Agent: conformance\r\n"
                                + "Cookie: a=b");
                expectUpgradeAndEcho(connection, request);
            }
        });
    }

    @Test
    @DisplayName("H.3 a request without Sec-WebSocket-Key is rejected with 400")
    void rejectsMissingKeyWith400() throws Exception {
        recorded("H.3", "Upgrade request without Sec-WebSocket-Key", () ->
                expectRejected(request -> request.replaceAll("Sec-WebSocket-Key: [^\r]*\r\n", ""), Set.of(400)));
    }

    @Test
    @DisplayName("H.4 a malformed Sec-WebSocket-Key (not 16 bytes in base64) is rejected with 400")
    void rejectsMalformedKeyWith400() throws Exception {
        recorded("H.4", "Upgrade request with Sec-WebSocket-Key 'not-a-valid-key!' and one of 15 bytes", () -> {
            expectRejected(request -> request.replaceAll("Sec-WebSocket-Key: [^\r]*", "Sec-WebSocket-Key: not-a-valid-key!"),
                    Set.of(400));
            expectRejected(request -> request.replaceAll("Sec-WebSocket-Key: [^\r]*",
                    "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"), Set.of(400));
        });
    }

    @Test
    @DisplayName("H.5 a wrong Sec-WebSocket-Version is rejected with 426 and Sec-WebSocket-Version: 13")
    void rejectsWrongVersionWith426() throws Exception {
        recorded("H.5", "Upgrade request with Sec-WebSocket-Version: 8", () -> {
            HttpResponseHead head = expectRejected(request -> request.replace("Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Version: 8"), Set.of(426));
            assertEquals("13", head.header("Sec-WebSocket-Version"), "426 must name the supported version: " + head);
        });
    }

    @Test
    @DisplayName("H.6 POST is rejected with 405")
    void rejectsPostWith405() throws Exception {
        recorded("H.6", "Upgrade request with method POST", () ->
                expectRejected(request -> request.replaceFirst("GET ", "POST ").replace("\r\n\r\n",
                        "\r\nContent-Length: 0\r\n\r\n"), Set.of(405)));
    }

    @Test
    @DisplayName("H.7 an HTTP/1.0 request is rejected with 400")
    void rejectsHttp10With400() throws Exception {
        recorded("H.7", "Upgrade request with HTTP/1.0", () ->
                expectRejected(request -> request.replaceFirst(" HTTP/1.1\r\n", " HTTP/1.0\r\n"), Set.of(400)));
    }

    @Test
    @DisplayName("H.8 a request without the Upgrade header is rejected with 400 or 426")
    void rejectsMissingUpgradeHeader() throws Exception {
        recorded("H.8", "Upgrade request without 'Upgrade: websocket'", () ->
                expectRejected(request -> request.replace("Upgrade: websocket\r\n", ""), Set.of(400, 426)));
    }

    @Test
    @DisplayName("H.9 a request without Host is rejected with 400")
    void rejectsMissingHostWith400() throws Exception {
        recorded("H.9", "Upgrade request without Host", () ->
                expectRejected(request -> request.replaceAll("Host: [^\r]*\r\n", ""), Set.of(400)));
    }

    @Test
    @DisplayName("H.10 an oversized header block (16 KiB) is rejected with 431")
    void rejectsOversizedHeaderBlockWith431() throws Exception {
        recorded("H.10", "Upgrade request with a 16 KiB header", () ->
                expectRejected(request -> request.replace("\r\n\r\n", "\r\nX-Padding: " + "a".repeat(16 * 1024) + "\r\n\r\n"),
                        Set.of(431)));
    }

    @Test
    @DisplayName("H.11 header bytes dribbled slowly are cut off by the handshake timeout")
    void closesSlowHandshakeAtTheHandshakeTimeout() throws Exception {
        Assumptions.assumeTrue(ServerUnderTest.externalUrl() == null,
                "needs an in-process server with a short handshake timeout");
        recorded("H.11", "Upgrade request sent a byte every 100 ms, never finished (server handshakeTimeout 1 s)", () -> {
            try (InProcessEchoServer slow = InProcessEchoServer.startHandshakeOnly(Duration.ofSeconds(1));
                    RawConnection connection = RawConnection.connect(ServerAddress.of(slow.url()))) {
                connection.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                InputStream in = connection.input();
                for (int i = 0; i < 150; i++) { // at most 15 s of dribbling for a 1 s timeout
                    try {
                        connection.write(new byte[] {'a'});
                    } catch (IOException e) {
                        return; // the server closed the connection: what we wanted
                    }
                    if (closedWithin(connection, in, 100)) {
                        return;
                    }
                }
                fail("the server kept a handshake open for 15 s of dribbled bytes despite a 1 s handshake timeout");
            }
        });
        assertStillEchoes();
    }

    @Test
    @DisplayName("H.12 a first frame sent in the same packet as the upgrade request is not lost")
    void echoesAFrameSentInTheSamePacketAsTheUpgrade() throws Exception {
        recorded("H.12", "Upgrade request and a masked text frame in one write", () -> {
            try (RawConnection connection = RawConnection.connect(address())) {
                HttpResponseHead head = connection.handshake(address(), Map.of(),
                        WireFrame.text("first frame").encodeMasked(), RESPONSE_TIMEOUT_MILLIS);
                String problem = connection.upgradeProblem(head);
                assertTrue(problem == null, () -> problem);
                CaseSession session = session("H.12", connection);
                session.expectMessage(WireFrame.TEXT, WireFrame.utf8("first frame"));
                session.closeNormally();
            }
        });
    }

    private static boolean closedWithin(RawConnection connection, InputStream in, int millis) throws IOException {
        try {
            connection.setReadTimeout(millis);
            int b = in.read();
            // EOF, or a response such as 408 that precedes the close: either way the handshake was cut off
            return b >= -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private static void expectUpgradeAndEcho(RawConnection connection, String request) throws IOException {
        connection.write(request.getBytes(StandardCharsets.ISO_8859_1));
        HttpResponseHead head = connection.readResponseHead(System.nanoTime() + RESPONSE_TIMEOUT_MILLIS * 1_000_000L);
        String problem = connection.upgradeProblem(head);
        assertTrue(problem == null, () -> problem + "\n" + connection.transcript());
        CaseSession session = session("H", connection);
        session.send(WireFrame.text("Hello"));
        session.expectMessage(WireFrame.TEXT, WireFrame.utf8("Hello"));
        session.closeNormally();
    }

    /**
     * Sends a valid upgrade request changed by {@code edit}; the response must have one of {@code statuses} and the
     * server must close the connection after it. Then a fresh connection must still echo.
     */
    private static HttpResponseHead expectRejected(java.util.function.UnaryOperator<String> edit, Set<Integer> statuses)
            throws IOException {
        HttpResponseHead head;
        try (RawConnection connection = RawConnection.connect(address())) {
            String request = edit.apply(connection.upgradeRequest(address(), Map.of()));
            connection.write(request.getBytes(StandardCharsets.ISO_8859_1));
            long deadline = System.nanoTime() + RESPONSE_TIMEOUT_MILLIS * 1_000_000L;
            head = connection.readResponseHead(deadline);
            assertTrue(statuses.contains(head.status()), "expected status " + statuses + ", got " + head.statusLine()
                    + "\n  request: " + request.replaceAll("a{64,}", "a…").replace("\r\n", "\\r\\n")
                    + "\n  transcript:\n" + connection.transcript());
            assertTrue(readsToEof(connection, deadline), "the server kept the connection open after " + head.statusLine());
        }
        assertStillEchoes();
        return head;
    }

    private static boolean readsToEof(RawConnection connection, long deadlineNanos) throws IOException {
        byte[] discard = new byte[8192];
        for (int total = 0; total < 1 << 20; ) {
            long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return false;
            }
            connection.setReadTimeout((int) remaining);
            int n;
            try {
                n = connection.input().read(discard);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset: closed all the same
            }
            if (n < 0) {
                return true;
            }
            total += n;
        }
        return false;
    }

    /** A fresh connection completes the handshake and echoes: the server survived the case before. */
    private static void assertStillEchoes() throws IOException {
        try (RawConnection connection = RawConnection.open(address())) {
            CaseSession session = session("H", connection);
            session.send(WireFrame.text("still alive"));
            session.expectMessage(WireFrame.TEXT, WireFrame.utf8("still alive"));
            session.closeNormally();
        }
    }

    private static CaseSession session(String id, RawConnection connection) {
        return new CaseSession(ConformanceCase.of(id, "handshake case", "echo after the handshake", s -> { }), connection);
    }

    private static ServerAddress address() {
        return server.address();
    }

    /** Runs {@code body} and records its outcome as case {@code id} of group H in the conformance report. */
    private static void recorded(String id, String description, ThrowingRunnable body) throws Exception {
        long start = System.nanoTime();
        try {
            body.run();
            ConformanceReport.record(id, description, null, System.nanoTime() - start);
        } catch (Exception | AssertionError e) {
            ConformanceReport.record(id, description, "Case " + id + " FAILED: " + e.getMessage(), System.nanoTime() - start);
            throw e;
        }
    }

    /** A test body that may throw. */
    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
