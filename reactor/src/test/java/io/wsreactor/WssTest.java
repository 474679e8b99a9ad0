package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.CloseCode;
import io.wsreactor.testkit.RawClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** wss:// end to end on real sockets: real clients, client certificates, and TLS clients that misbehave. */
class WssTest {
    private static TestCerts certs;
    private TestServers.Echo echo;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCerts.get();
    }

    @AfterEach
    void stop() {
        if (echo != null) {
            echo.close();
        }
    }

    private TestServers.Echo startEcho(ServerOptions.Builder options) throws Exception {
        echo = new TestServers.Echo(options.build());
        return echo;
    }

    private ServerOptions.Builder tls() throws Exception {
        return ServerOptions.builder().tls(certs.serverContext());
    }

    private WsPeer onlyPeer() throws InterruptedException {
        for (int i = 0; i < 500 && echo.peers.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(1, echo.peers.size(), "one peer accepted");
        return echo.peers.get(0);
    }

    private static <T> T onReactor(WsPeer peer, java.util.function.Supplier<T> query) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        peer.connection.reactor.execute(() -> result.complete(query.get()));
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoesWithTheJdkClientTrustingTheTestCertificate() throws Exception {
        startEcho(tls());
        HttpClient http = HttpClient.newBuilder().sslContext(certs.clientContext(false)).build();
        URI uri = URI.create("wss://127.0.0.1:" + echo.address().getPort() + "/");
        JdkClient client = JdkClient.connect(uri, http);
        client.socket.sendText("hello over tls", true).get(10, TimeUnit.SECONDS);
        assertEquals("hello over tls", client.next().text());
        byte[] big = new byte[300_000]; // many records each way
        new Random(7).nextBytes(big);
        client.socket.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        ByteBuffer received = ByteBuffer.allocate(big.length);
        while (received.hasRemaining()) {
            JdkClient.Event event = client.next();
            assertEquals("binary", event.kind());
            received.put(event.data());
        }
        assertArrayEquals(big, received.array());
        client.socket.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
        assertEquals(1000, client.next().code());
    }

    @Test
    void echoesWithAnSslSocketAndShowsTheNegotiatedSession() throws Exception {
        startEcho(tls());
        try (RawClient client = RawClient.openTls(echo.address(), certs.clientContext(false))) {
            client.sendText("ping over tls");
            assertEquals("ping over tls", client.readFrame().text());
            WsPeer peer = onlyPeer();
            assertEquals("TLSv1.3", peer.tlsSession().getProtocol());
            assertEquals(client.tlsSession().getCipherSuite(), peer.tlsSession().getCipherSuite());
            assertEquals(CloseCode.NORMAL, client.closeCleanly());
        }
    }

    @Test
    void speaksTls12WhenTheClientOffersNothingNewer() throws Exception {
        startEcho(tls());
        javax.net.ssl.SSLContext context = certs.clientContext(false);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", echo.address().getPort());
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setSoTimeout(RawClient.TIMEOUT_MILLIS);
        try (socket) {
            socket.getOutputStream().write(RawClient.upgradeRequest("/"));
            byte[] head = new byte[12];
            new java.io.DataInputStream(socket.getInputStream()).readFully(head);
            assertEquals("HTTP/1.1 101", new String(head, StandardCharsets.ISO_8859_1));
            assertEquals("TLSv1.2", onlyPeer().tlsSession().getProtocol());
        }
    }

    @Test
    void refusesTls11() throws Exception {
        startEcho(tls());
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) certs.clientContext(false).getSocketFactory()
                .createSocket("127.0.0.1", echo.address().getPort());
        socket.setSoTimeout(RawClient.TIMEOUT_MILLIS);
        try (socket) {
            // The client's JDK may have TLSv1.1 disabled as well: any refusal is an SSLException.
            try {
                socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            } catch (IllegalArgumentException e) {
                return;
            }
            assertThrows(IOException.class, socket::startHandshake);
        }
    }

    @Test
    void anIdleConnectionHoldsNoTlsBuffersAfterAnEchoRoundTrip() throws Exception {
        startEcho(tls());
        try (RawClient client = RawClient.openTls(echo.address(), certs.clientContext(false))) {
            client.sendText("x".repeat(40_000)); // more than one record each way
            assertEquals(40_000, client.readFrame().payload().length);
            WsPeer peer = onlyPeer();
            SslTransport transport = (SslTransport) peer.connection.transport();
            assertFalse(onReactor(peer, transport::holdsBuffers), "an idle wss connection holds no packet buffer");
            assertTrue(onReactor(peer, () -> peer.connection.reactor.tlsBuffers.kept()) > 0,
                    "the buffers went back to the reactor's pool");
        }
    }

    @Test
    void mutualTlsShowsTheClientCertificateToTheApplication() throws Exception {
        startEcho(ServerOptions.builder()
                .tls(TlsContexts.fromPem(certs.serverCertPem, certs.serverKeyPem, certs.clientCertPem))
                .tlsParameters(parameters -> parameters.setNeedClientAuth(true)));
        try (RawClient client = RawClient.openTls(echo.address(), certs.clientContext(true))) {
            client.sendText("who am i");
            assertEquals("who am i", client.readFrame().text());
            Certificate[] seen = onlyPeer().tlsSession().getPeerCertificates();
            assertEquals(certs.clientCertificate(), seen[0]);
        }
    }

    @Test
    void aRequiredClientCertificateThatIsMissingFailsTheHandshake() throws Exception {
        startEcho(ServerOptions.builder()
                .tls(TlsContexts.fromPem(certs.serverCertPem, certs.serverKeyPem, certs.clientCertPem))
                .tlsParameters(parameters -> parameters.setNeedClientAuth(true)));
        // Under TLS 1.3 the client learns of it on its first read, after it thinks the handshake is done.
        assertThrows(IOException.class, () -> RawClient.openTls(echo.address(), certs.clientContext(false)).close());
        assertThrows(TimeoutException.class, () -> echo.server.accept(Duration.ofMillis(300)));
        assertTrue(echo.peers.isEmpty());
    }

    @Test
    void aPlainHttpUpgradeSentToTheTlsPortIsClosed() throws Exception {
        startEcho(tls());
        try (RawClient client = RawClient.connect(echo.address())) {
            client.write(RawClient.upgradeRequest("/"));
            assertTrue(client.awaitEndOfStream(), "the server closes a plaintext client");
        }
        assertServerStillServes();
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosed() throws Exception {
        startEcho(tls());
        byte[] garbage = new byte[200];
        new Random(3).nextBytes(garbage);
        garbage[0] = 0x16; // a handshake record, so the engine reads on into nonsense
        garbage[1] = 0x03;
        garbage[2] = 0x03;
        try (RawClient client = RawClient.connect(echo.address())) {
            client.write(garbage);
            assertTrue(client.awaitEndOfStream(), "the server closes on a broken ClientHello");
        }
        assertServerStillServes();
    }

    @Test
    void aClientHelloDribbledOneByteAtATimeStillHandshakes() throws Exception {
        startEcho(tls());
        try (TlsEngineClient client = new TlsEngineClient(echo.address(), certs.clientContext(false))) {
            byte[] hello = client.clientHello();
            for (byte b : hello) {
                client.writeRaw(new byte[] {b});
            }
            assertTrue(client.handshake(Integer.MAX_VALUE), "the handshake finishes after the dribble");
            client.write(RawClient.upgradeRequest("/"));
            String head = new String(client.read(12), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
        }
    }

    @Test
    void aClientHelloDribbledThenStalledIsCutByTheHandshakeTimeout() throws Exception {
        startEcho(tls().handshakeTimeout(Duration.ofMillis(700)));
        try (TlsEngineClient client = new TlsEngineClient(echo.address(), certs.clientContext(false))) {
            byte[] hello = client.clientHello();
            for (int i = 0; i < hello.length - 1; i++) {
                client.writeRaw(new byte[] {hello[i]});
            }
            client.readToEnd();
            assertTrue(client.tcpEnded, "the server closed the stalled handshake");
        }
        assertServerStillServes();
    }

    @Test
    void aClientHelloDribbledSlowerThanTheHandshakeTimeoutIsCutOffWhileBytesStillCome() throws Exception {
        startEcho(tls().handshakeTimeout(Duration.ofMillis(700)));
        try (TlsEngineClient client = new TlsEngineClient(echo.address(), certs.clientContext(false))) {
            byte[] hello = client.clientHello();
            int sent = 0;
            try {
                // one byte every 50 ms: each byte is progress, but the whole hello would take many timeouts
                for (; sent < hello.length; sent++) {
                    client.writeRaw(new byte[] {hello[sent]});
                    Thread.sleep(50);
                }
            } catch (IOException cut) {
                // the server closed the connection: the writes after its close fail
            }
            assertTrue(sent < hello.length, "the server let a " + hello.length + "-byte ClientHello dribble in");
        }
        assertServerStillServes();
    }

    @Test
    void aClientThatFinishesTlsButNeverUpgradesIsCutByTheHandshakeTimeout() throws Exception {
        startEcho(tls().handshakeTimeout(Duration.ofMillis(700)));
        try (RawClient client = RawClient.connectTls(echo.address(), certs.clientContext(false))) {
            assertTrue(client.awaitEndOfStream(), "the server closed the connection that never upgraded");
        }
        assertTrue(echo.peers.isEmpty());
    }

    @Test
    void theCloseHandshakeEndsWithCloseNotify() throws Exception {
        startEcho(tls());
        try (TlsEngineClient client = new TlsEngineClient(echo.address(), certs.clientContext(false))) {
            assertTrue(client.handshake(Integer.MAX_VALUE));
            client.write(RawClient.upgradeRequest("/"));
            String head = new String(client.read(4), StandardCharsets.ISO_8859_1);
            while (!head.contains("\r\n\r\n")) {
                head += new String(client.read(1), StandardCharsets.ISO_8859_1);
            }
            WsPeer peer = onlyPeer();
            peer.shutdown(CloseCode.NORMAL, "bye", Duration.ofSeconds(5));
            byte[] close = client.read(2);
            assertEquals(0x88, close[0] & 0xff, "the server's close frame");
            client.write(RawClient.frameBytes(0x88, RawClient.closePayload(CloseCode.NORMAL, ""), true));
            client.readToEnd();
            assertTrue(client.closeNotifyReceived, "close_notify came after the close frame");
            assertEquals(CloseCode.NORMAL, peer.closeStatus().code());
        }
    }

    @Test
    void framesSentWhileAnAsyncHookDecidesAreEchoedOnceItAnswers() throws Exception {
        startEcho(tls());
        echo.server.setProxyHandshakeAsync((request, response) -> CompletableFuture.supplyAsync(() -> response,
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)));
        try (TlsEngineClient client = new TlsEngineClient(echo.address(), certs.clientContext(false))) {
            assertTrue(client.handshake(Integer.MAX_VALUE));
            client.write(RawClient.upgradeRequest("/"));
            int expected = 0;
            for (int i = 0; i < 5; i++) { // a record each, read while the hook still decides
                byte[] payload = ("early " + i).getBytes(StandardCharsets.UTF_8);
                client.write(RawClient.frameBytes(0x81, payload, true));
                expected += 2 + payload.length;
            }
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            int headEnd = -1;
            while (headEnd < 0 || got.size() < headEnd + expected) {
                byte[] bytes = client.read(1);
                assertTrue(bytes.length > 0, "the server ended after " + got.size() + " bytes");
                got.writeBytes(bytes);
                headEnd = got.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
                headEnd = headEnd < 4 ? -1 : headEnd;
            }
            byte[] all = got.toByteArray();
            assertEquals("HTTP/1.1 101", new String(all, 0, 12, StandardCharsets.ISO_8859_1));
            int at = headEnd;
            for (int i = 0; i < 5; i++) {
                int length = all[at + 1];
                assertEquals("early " + i, new String(all, at + 2, length, StandardCharsets.UTF_8));
                at += 2 + length;
            }
        }
    }

    @Test
    void aTcpDropWithoutCloseNotifyIsAnAbruptClose() throws Exception {
        startEcho(tls());
        try (TlsEngineClient client = new TlsEngineClient(echo.address(), certs.clientContext(false))) {
            assertTrue(client.handshake(Integer.MAX_VALUE));
            client.write(RawClient.upgradeRequest("/"));
            client.read(12);
            WsPeer peer = onlyPeer();
            client.channel.close(); // no close_notify, no close frame
            peer.shutdown(CloseCode.NORMAL, "", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertEquals(CloseCode.ABNORMAL, peer.closeStatus().code());
        }
    }

    @Test
    void tlsParametersThatThrowCloseTheSocketAndKeepTheServer() throws Exception {
        boolean[] fail = {true};
        startEcho(tls().tlsParameters(parameters -> {
            if (fail[0]) {
                fail[0] = false;
                throw new IllegalStateException("test");
            }
        }));
        try (RawClient client = RawClient.connect(echo.address())) {
            assertTrue(client.awaitEndOfStream());
        }
        assertServerStillServes();
    }

    private void assertServerStillServes() throws Exception {
        try (RawClient client = RawClient.openTls(echo.address(), certs.clientContext(false))) {
            client.sendText("still here");
            assertEquals("still here", client.readFrame().text());
        }
    }

    @Test
    void aPlainPeerHasNoTlsSession() throws Exception {
        try (TestServers.Echo plain = new TestServers.Echo()) {
            try (RawClient client = RawClient.open(plain.address())) {
                client.sendText("plain");
                assertEquals("plain", client.readFrame().text());
                for (int i = 0; i < 500 && plain.peers.isEmpty(); i++) {
                    Thread.sleep(10);
                }
                assertNull(plain.peers.get(0).tlsSession(), "plain ws has no TLS session");
            }
        }
    }
}
