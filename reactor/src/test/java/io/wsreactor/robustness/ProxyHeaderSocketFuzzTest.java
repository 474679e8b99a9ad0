package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ProxyProtocol;
import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.WsServer;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded mutations of PROXY protocol headers sent over real sockets to a server that requires one, each followed by a
 * valid upgrade: every connection ends in a 101 that then echoes, an HTTP rejection, or a close without an answer,
 * within the handshake timeout; no descriptor is left behind, and a good client is served afterwards.
 */
class ProxyHeaderSocketFuzzTest {
    private static final long SEED = Long.getLong("wsreactor.fuzz.seed", 0x9E0C5L);
    private static final int CASES = 400;
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void mutatedHeadersEndInAnAnswerOrACloseAndLeaveTheServerServing() throws Exception {
        WsServer server = started.start(ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED)
                .handshakeTimeout(Duration.ofMillis(500)).closeTimeout(Duration.ofMillis(500)).build());
        AsyncEchoApp.start(server);
        byte[] good = "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("101", exchange(server, good), "a good client before the fuzz");
        int fdsBefore = Probes.openFds();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        Random random = new Random(SEED);
        for (int n = 0; n < CASES; n++) {
            byte[] header = mutate(random, validHeader(random));
            int number = n;
            clients.execute(() -> {
                try {
                    outcomes.computeIfAbsent(exchange(server, header), k -> new LongAdder()).increment();
                } catch (Throwable e) {
                    violations.add("case " + number + " (seed " + SEED + ") header " + HexFormat.of().formatHex(header)
                            + ": " + e);
                }
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS), "the clients finished");
        assertEquals(List.of(), violations);
        assertTrue(outcomes.containsKey("101") && outcomes.containsKey("closed"), "both ends reached: " + outcomes);
        assertTrue(server.stats().proxyProtocolRejected() > 0, server.stats().toString());
        assertTrue(Probes.eventually(() -> Probes.openFds() <= fdsBefore, 20_000),
                "fds back to " + fdsBefore + ": " + Probes.openFds());
        assertEquals("101", exchange(server, good), "a good client after the fuzz");
    }

    /**
     * Sends {@code header} and a valid upgrade; returns "101" (after an echo), the HTTP status of a rejection, or
     * "closed" when the server closed without answering.
     */
    private static String exchange(WsServer server, byte[] header) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), RawClient.TIMEOUT_MILLIS);
            socket.setSoTimeout(RawClient.TIMEOUT_MILLIS);
            String status;
            try {
                socket.getOutputStream().write(header);
                socket.getOutputStream().write(RawClient.upgradeRequest("/"));
                status = statusLine(socket.getInputStream());
            } catch (SocketException reset) {
                return "closed"; // the server closed while the client still wrote
            }
            if (status.isEmpty()) {
                return "closed";
            }
            if (status.startsWith("HTTP/1.1 101")) {
                skipHead(socket.getInputStream());
                socket.getOutputStream().write(RawClient.frameBytes(0x81, new byte[] {'e'}, true));
                byte[] echo = socket.getInputStream().readNBytes(3);
                if (echo.length != 3 || echo[0] != (byte) 0x81 || echo[2] != 'e') {
                    throw new AssertionError("no echo after a 101: " + HexFormat.of().formatHex(echo));
                }
                return "101";
            }
            if (!status.matches("HTTP/1\\.1 4\\d\\d .*")) {
                throw new AssertionError("unexpected answer: " + status);
            }
            return status.substring(9, 12);
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private static void skipHead(InputStream in) throws IOException {
        int matched = 2; // the status line's CRLF was read
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the response head");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static byte[] validHeader(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "PROXY TCP4 203.0.113.9 127.0.0.1 40001 443\r\n".getBytes(StandardCharsets.US_ASCII);
            case 1 -> "PROXY TCP6 2001:db8::1 ::1 40001 443\r\n".getBytes(StandardCharsets.US_ASCII);
            case 2 -> "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
            case 3 -> v2(0x21, 0x11, new byte[] {(byte) 203, 0, 113, 9, 127, 0, 0, 1, (byte) 0x9C, 0x41, 1, (byte) 187});
            default -> v2(0x20, 0x00, new byte[0]);
        };
    }

    private static byte[] v2(int versionAndCommand, int family, byte[] block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionAndCommand);
        out.write(family);
        out.write(block.length >> 8);
        out.write(block.length);
        out.writeBytes(block);
        return out.toByteArray();
    }

    private static byte[] mutate(Random random, byte[] header) {
        if (random.nextInt(4) == 0) {
            return header; // some stay valid, so the 101 path runs between the broken ones
        }
        byte[] out = header.clone();
        int at = random.nextInt(out.length);
        switch (random.nextInt(4)) {
            case 0 -> out[at] = (byte) random.nextInt(256);
            case 1 -> out[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> out = java.util.Arrays.copyOf(out, at); // truncated: the request's bytes continue it
            default -> {
                if (out.length > 15 && out[0] == SIGNATURE[0]) {
                    out[14] = (byte) random.nextInt(256); // a v2 length anywhere up to 0xFFFF
                } else {
                    out[at] = ' ';
                }
            }
        }
        return out;
    }
}
