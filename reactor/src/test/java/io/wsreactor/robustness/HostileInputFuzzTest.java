package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.ServerStats;
import io.wsreactor.WsServer;
import io.wsreactor.frame.CloseCode;
import io.wsreactor.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random and mutated handshakes and frame streams, from fixed seeds, against a live server while other clients
 * echo. Every hostile connection must end with an HTTP status line or a close frame with a valid code (or, for a
 * request never completed, a silent close at the handshake deadline; for a stream the client itself cut, an end
 * of stream); the server must survive, and the echoing clients must get every echo right.
 *
 * <p>The case count can be raised with {@code -Dwsreactor.fuzz.cases=N} (default 3000).
 */
class HostileInputFuzzTest {
    private static final int CASES = Integer.getInteger("wsreactor.fuzz.cases", 3000);
    private static final long SEED = Long.getLong("wsreactor.fuzz.seed", 6_0606L);
    private static final int WORKERS = 8;
    private static final int MAX_FRAME = 64 * 1024;

    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    @Test
    void hostileConnectionsEndCleanlyWhileGoodClientsEchoAndTheServerSurvives() throws Exception {
        server = started.start(ServerOptions.builder()
                .maxFramePayload(MAX_FRAME)
                .maxMessageSize(4 * MAX_FRAME)
                .maxFragments(64)
                .handshakeTimeout(Duration.ofMillis(500))
                .maxHandshakeBytes(4096)
                .closeTimeout(Duration.ofMillis(500))
                .build());
        AsyncEchoApp app = AsyncEchoApp.start(server);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong goodEchoes = new AtomicLong();
        ExecutorService good = Executors.newFixedThreadPool(3);
        List<Future<?>> goodClients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long seed = SEED + 1000 + i;
            goodClients.add(good.submit(() -> {
                echoUntilStopped(seed, stop, goodEchoes);
                return null;
            }));
        }

        ExecutorService hostile = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            long seed = SEED * 31 + i;
            int index = i;
            cases.add(hostile.submit(() -> {
                runCase(index, seed);
                return null;
            }));
        }
        hostile.shutdown();
        assertTrue(hostile.awaitTermination(120, TimeUnit.SECONDS), "the cases ended in bounded time");
        for (Future<?> future : cases) {
            future.get();
        }
        stop.set(true);
        good.shutdown();
        assertTrue(good.awaitTermination(30, TimeUnit.SECONDS));
        for (Future<?> future : goodClients) {
            future.get(); // an echo mismatch or a dropped good connection fails here
        }

        assertTrue(violations.isEmpty(), violations.size() + " violations, first: "
                + violations.subList(0, Math.min(10, violations.size())));
        assertTrue(goodEchoes.get() > 0);
        // The server survived: still listening, reactor alive, a new client upgrades and echoes.
        assertTrue(server.isListening());
        assertEquals(1, Probes.threadsNamed("wsreactor-" + server.localAddress().getPort()), "reactor thread alive");
        try (RawClient client = RawClient.open(server.localAddress())) {
            client.sendText("still here");
            assertEquals("still here", client.readFrame().text());
            assertEquals(1000, client.closeCleanly());
        }
        ServerStats stats = server.stats();
        assertTrue(stats.protocolErrors().getOrDefault(1002, 0L) > 0, "protocol errors counted: " + stats);
        assertTrue(stats.handshakesRejected().getOrDefault(400, 0L) > 0, "rejections counted: " + stats);
        assertEquals(0, app.failures.get(), "no failed future in the application");
        System.out.println("fuzz: " + CASES + " cases, outcomes " + outcomes + ", good echoes " + goodEchoes
                + ", " + stats);
    }

    // ---- the good clients ----

    private void echoUntilStopped(long seed, AtomicBoolean stop, AtomicLong echoes) throws IOException {
        Random random = new Random(seed);
        try (RawClient client = RawClient.open(server.localAddress())) {
            for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
                byte[] payload = new byte[random.nextInt(2000)];
                random.nextBytes(payload);
                client.sendFrame(0x82, payload);
                RawClient.Received echo = client.readFrame();
                assertEquals(0x82, echo.firstByte(), "echo header");
                if (!java.util.Arrays.equals(payload, echo.payload())) {
                    throw new AssertionError("echo " + i + " differs");
                }
                echoes.incrementAndGet();
            }
            assertEquals(1000, client.closeCleanly());
        }
    }

    // ---- the hostile cases ----

    private void runCase(int index, long seed) throws IOException {
        Random random = new Random(seed);
        int kind = random.nextInt(10);
        String name;
        try {
            if (kind < 3) {
                name = "handshake";
                handshakeCase(random);
            } else if (kind < 8) {
                name = "frames";
                frameCase(random, false);
            } else {
                name = "mutated-frames";
                frameCase(random, true);
            }
        } catch (AssertionError e) {
            violations.add("case " + index + " (seed " + seed + "): " + e.getMessage());
            return;
        }
        outcomes.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    private void handshakeCase(Random random) throws IOException {
        byte[] request = HostileRequests.mutate(RawClient.upgradeRequest("/fuzz"), random);
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.setTimeout(5_000);
            try {
                client.write(request);
            } catch (SocketException e) {
                return; // the server already refused and closed (a too-large head): it ended the connection
            }
            String head;
            try {
                head = client.readHttpHead();
            } catch (EOFException e) {
                // Nothing, or part of nothing: only right for a request that never completed (closed at the deadline).
                count("handshake: closed silently");
                return;
            } catch (SocketException e) {
                count("handshake: reset");
                return;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer and no close within 5 s to " + printable(request));
            }
            if (!head.matches("(?s)HTTP/1\\.1 [1-5]\\d\\d [^\r\n]*\r\n.*")) {
                throw new AssertionError("not an HTTP status line: " + printable(head.getBytes(StandardCharsets.ISO_8859_1)));
            }
            if (head.startsWith("HTTP/1.1 101")) {
                count("handshake: still valid");
                client.sendClose(1000, "");
                expectCloseThenEnd(client, "after a mutated but valid handshake");
                return;
            }
            count("handshake: " + head.substring(9, 12));
            if (!client.awaitEndOfStream()) {
                throw new AssertionError("no close after " + head.substring(0, 12));
            }
        }
    }

    private void frameCase(Random random, boolean mutate) throws IOException {
        HostileFrames.Stream stream = HostileFrames.generate(random, MAX_FRAME);
        byte[] bytes = stream.bytes();
        if (mutate) {
            bytes = HostileRequests.flipAndCut(bytes, random);
        }
        try (RawClient client = RawClient.open(server.localAddress())) {
            client.setTimeout(5_000);
            try {
                client.write(bytes);
                if (!mutate) {
                    client.sendClose(1000, "");
                }
            } catch (SocketException e) {
                return; // the server failed the connection while we wrote: it ended it
            }
            if (mutate) {
                // The stream may be cut mid-frame: our end of input tells the server there is no more.
                client.shutdownOutput();
            }
            expectCloseOrEnd(client, mutate, stream);
        }
    }

    /** Reads the server's frames: data and pongs, then a close frame with a valid code, then end of stream. */
    private void expectCloseOrEnd(RawClient client, boolean mayEndWithoutClose, HostileFrames.Stream stream)
            throws IOException {
        for (int i = 0; i < 100_000; i++) {
            RawClient.Received frame;
            try {
                frame = client.readFrame();
            } catch (EOFException | SocketException e) {
                if (mayEndWithoutClose) {
                    count("mutated: ended without close");
                    return;
                }
                throw new AssertionError("end of stream without a close frame; stream " + stream.description());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no close within 5 s; stream " + stream.description());
            } catch (IOException e) {
                throw new AssertionError("bad server frame: " + e.getMessage() + "; stream " + stream.description());
            }
            if ((frame.firstByte() & 0x70) != 0) {
                throw new AssertionError("server frame with RSV bits");
            }
            if (frame.isClose()) {
                int code = frame.closeCode();
                if (!(CloseCode.isValid(code) || (code == 1005 && frame.payload().length == 0))) {
                    throw new AssertionError("invalid close code " + code + "; stream " + stream.description());
                }
                count("close " + code);
                if (!client.awaitEndOfStream()) {
                    throw new AssertionError("no TCP close after the close frame " + code);
                }
                return;
            }
        }
        throw new AssertionError("no close in 100000 frames");
    }

    private void expectCloseThenEnd(RawClient client, String what) throws IOException {
        try {
            RawClient.Received close = client.readUntilClose(100_000);
            // 1002 when the mutation put bytes after the request's blank line: they are read as a bad frame
            if (close.closeCode() != 1000 && close.closeCode() != 1002) {
                throw new AssertionError(what + ": close answered with " + close.closeCode());
            }
        } catch (IOException e) {
            throw new AssertionError(what + ": " + e);
        }
        if (!client.awaitEndOfStream()) {
            throw new AssertionError(what + ": no TCP close");
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 300); i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.toString();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
