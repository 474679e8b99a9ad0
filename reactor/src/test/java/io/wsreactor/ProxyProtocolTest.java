package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.Frame;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PROXY protocol over real sockets: raw v1 and v2 headers before the upgrade, and the refusals. */
class ProxyProtocolTest {
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private WsServer server;

    @RegisterExtension
    final StartedServer started = new StartedServer();

    private void start(ProxyProtocol mode) throws IOException {
        server = started.start(ServerOptions.builder().proxyProtocol(mode).maxHandshakeBytes(1024).build());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A v2 PROXY header over TCP from {@code source} to 127.0.0.1:443, with {@code padding} TLV bytes. */
    private static byte[] v2(InetSocketAddress source, int padding) {
        byte[] address = source.getAddress().getAddress();
        boolean ipv4 = address.length == 4;
        byte[] destination = ipv4 ? new byte[] {127, 0, 0, 1} : new byte[16];
        int length = 2 * address.length + 4 + padding;
        return concat(SIGNATURE, new byte[] {0x21, (byte) (ipv4 ? 0x11 : 0x21), (byte) (length >> 8), (byte) length},
                address, destination, new byte[] {(byte) (source.getPort() >> 8), (byte) source.getPort(), 1, (byte) 187},
                new byte[padding]);
    }

    private static InetSocketAddress address(String literal, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    private static Socket connect(WsServer target) throws IOException {
        Socket socket = new Socket();
        socket.connect(target.localAddress(), RawClient.TIMEOUT_MILLIS);
        socket.setSoTimeout(RawClient.TIMEOUT_MILLIS);
        return socket;
    }

    /** Everything the server sends until it ends the connection (a reset counts as the end). */
    private static byte[] readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the end as well
        }
        return all.toByteArray();
    }

    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void peerAndHookSeeTheClientOfAVersion1Header() throws Exception {
        start(ProxyProtocol.REQUIRED);
        AtomicReference<InetSocketAddress> seenByHook = new AtomicReference<>();
        server.setProxyHandshake((request, response) -> {
            seenByHook.set(request.remoteAddress());
            return response;
        });
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(ascii("PROXY TCP4 203.0.113.9 127.0.0.1 40001 443\r\n"),
                    RawClient.upgradeRequest("/")));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 101"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(address("203.0.113.9", 40001), peer.remoteAddress());
            assertEquals(address("203.0.113.9", 40001), peer.request().remoteAddress());
            assertEquals(address("203.0.113.9", 40001), seenByHook.get());
        }
    }

    @Test
    void version2HeaderInPiecesThenEcho() throws Exception {
        start(ProxyProtocol.REQUIRED);
        byte[] header = v2(address("2001:db8::7", 5000), 9);
        try (Socket socket = connect(server)) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(header, 0, 7);
            socket.getOutputStream().flush();
            Thread.sleep(50); // lets the first piece arrive alone (the test holds either way)
            socket.getOutputStream().write(header, 7, header.length - 7);
            socket.getOutputStream().write(RawClient.upgradeRequest("/chat"));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 101"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(address("2001:db8::7", 5000), peer.remoteAddress());
            assertEquals("/chat", peer.request().target());
            socket.getOutputStream().write(RawClient.frameBytes(0x81, ascii("hi"), true));
            Frame frame = peer.read(Duration.ofSeconds(10));
            assertEquals("hi", frame.text());
        }
    }

    @Test
    void headerRequestAndFirstFrameInOneWrite() throws Exception {
        start(ProxyProtocol.REQUIRED);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(v2(address("198.51.100.3", 7), 0), RawClient.upgradeRequest("/"),
                    RawClient.frameBytes(0x82, new byte[] {1, 2, 3}, true)));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 101"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(address("198.51.100.3", 7), peer.remoteAddress());
            assertArrayEquals(new byte[] {1, 2, 3}, peer.read(Duration.ofSeconds(10)).payload());
        }
    }

    @Test
    void requiredClosesAPlainUpgradeWithoutAnAnswerAndCountsIt() throws Exception {
        start(ProxyProtocol.REQUIRED);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(RawClient.upgradeRequest("/"));
            assertEquals(0, readToEnd(socket).length);
        }
        assertEquals(1, server.stats().proxyProtocolRejected());
    }

    @Test
    void closesAMalformedVersion1HeaderAndCountsIt() throws Exception {
        start(ProxyProtocol.REQUIRED);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(ascii("PROXY TCP4 203.0.113.9 127.0.0.1 40001\r\n"),
                    RawClient.upgradeRequest("/")));
            assertEquals(0, readToEnd(socket).length);
        }
        assertEquals(1, server.stats().proxyProtocolRejected());
    }

    @Test
    void closesAVersion2HeaderLongerThanMaxHandshakeBytes() throws Exception {
        start(ProxyProtocol.REQUIRED);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(v2(address("198.51.100.3", 7), 1024));
            assertEquals(0, readToEnd(socket).length);
        }
        assertEquals(1, server.stats().proxyProtocolRejected());
    }

    @Test
    void optionalServesAPlainUpgradeWithTheSocketsAddress() throws Exception {
        start(ProxyProtocol.OPTIONAL);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(RawClient.upgradeRequest("/"));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 101"));
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertEquals(socket.getLocalSocketAddress(), peer.remoteAddress());
        }
        assertEquals(0, server.stats().proxyProtocolRejected());
    }

    @Test
    void optionalReadsAHeaderWhenThereIsOne() throws Exception {
        start(ProxyProtocol.OPTIONAL);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(ascii("PROXY TCP6 2001:db8::1 ::1 1 2\r\n"),
                    RawClient.upgradeRequest("/")));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 101"));
            assertEquals(address("2001:db8::1", 1), server.accept(Duration.ofSeconds(10)).remoteAddress());
        }
    }

    @Test
    void optionalHandsARequestSplitInsideTheSignatureToTheHttpParser() throws Exception {
        start(ProxyProtocol.OPTIONAL);
        try (Socket socket = connect(server)) {
            socket.setTcpNoDelay(true);
            byte[] request = ascii(RawClient.upgradeRequestText("/").replace("GET", "PUT"));
            socket.getOutputStream().write(request, 0, 1); // "P" could begin "PROXY "
            socket.getOutputStream().flush();
            Thread.sleep(50); // lets the first byte arrive alone (the test holds either way)
            socket.getOutputStream().write(request, 1, request.length - 1);
            assertTrue(readHead(socket).startsWith("HTTP/1.1 405"), "the whole request reached the HTTP parser");
        }
    }

    @Test
    void localCommandKeepsTheSocketsAddress() throws Exception {
        start(ProxyProtocol.REQUIRED);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(SIGNATURE, new byte[] {0x20, 0x00, 0, 0},
                    RawClient.upgradeRequest("/")));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 101"));
            assertEquals(socket.getLocalSocketAddress(), server.accept(Duration.ofSeconds(10)).remoteAddress());
        }
    }

    @Test
    void theHandshakeTimeoutCoversTheHeader() throws Exception {
        server = started.start(ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED)
                .handshakeTimeout(Duration.ofMillis(200)).build());
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(ascii("PROXY TCP4 203.0.113.9 "));
            assertEquals(0, readToEnd(socket).length, "closed at the handshake timeout, before the read timeout");
        }
    }

    @Test
    void offReadsAProxyLineAsABadRequest() throws Exception {
        start(ProxyProtocol.OFF);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(ascii("PROXY TCP4 203.0.113.9 127.0.0.1 40001 443\r\n"),
                    RawClient.upgradeRequest("/")));
            assertTrue(readHead(socket).startsWith("HTTP/1.1 400"));
        }
    }

    @Test
    void optionsKeepTheModeAndRefuseNull() {
        ServerOptions options = ServerOptions.builder().proxyProtocol(ProxyProtocol.OPTIONAL).build();
        assertEquals(ProxyProtocol.OPTIONAL, options.toBuilder().build().proxyProtocol());
        assertEquals(ProxyProtocol.OFF, ServerOptions.defaults().proxyProtocol());
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> ServerOptions.builder().proxyProtocol(null));
    }

    @Test
    void proxyProtocolWithTlsIsRefusedAtBuildUntilTheHeaderIsReadBelowTls() throws Exception {
        ServerOptions.Builder builder = ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED)
                .tls(javax.net.ssl.SSLContext.getDefault());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("proxyProtocol with tls"), e.getMessage());
    }
}
