package io.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The suite's oracle judged in turn: a scripted fake server answers the handshake and then sends exactly the bytes
 * a test gives it, so each way of getting the protocol wrong must make the session fail, and the right behaviour
 * must pass.
 */
class CaseSessionTest {
    private static final byte[] CLOSE_1000 = WireFrame.close(1000).encode(null);
    private static final byte[] CLOSE_1002 = WireFrame.close(1002).encode(null);

    @Test
    void passesAServerThatEchoesAndClosesCleanly() throws Exception {
        run(bytes(WireFrame.text("hi").encode(null), CLOSE_1000), true, s -> {
            s.expectMessage(WireFrame.TEXT, WireFrame.utf8("hi"));
            s.closeNormally();
        });
    }

    @Test
    void passesAnEchoThatTheServerFragmented() throws Exception {
        run(bytes(WireFrame.text(WireFrame.utf8("h"), false).encode(null), WireFrame.continuation(WireFrame.utf8("i"), true)
                .encode(null), CLOSE_1000), true, s -> {
                    s.expectMessage(WireFrame.TEXT, WireFrame.utf8("hi"));
                    s.closeNormally();
                });
    }

    @Test
    void failsWhenTheServerDropsTcpWithoutACloseFrame() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(new byte[0], true, s -> s.expectFailure(1002)));
        assertTrue(failure.getMessage().contains("without sending one"), failure.getMessage());
    }

    @Test
    void failsWhenTheCloseCodeIsWrong() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(CLOSE_1000, true, s -> s.expectFailure(1007)));
        assertTrue(failure.getMessage().contains("expected a close frame with code 1007"), failure.getMessage());
    }

    @Test
    void failsWhenTheServerMasksAFrame() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(WireFrame.text("hi").encodeMasked(), true,
                s -> s.expectMessage(WireFrame.TEXT, WireFrame.utf8("hi"))));
        assertTrue(failure.getMessage().contains("masked"), failure.getMessage());
    }

    @Test
    void failsWhenTheServerSendsInvalidUtf8Text() throws Exception {
        byte[] bad = WireFrame.text(Utf8Vectors.hex("c0af"), true).encode(null);
        AssertionError failure = assertThrows(AssertionError.class, () -> run(bad, true,
                s -> s.expectMessage(WireFrame.TEXT, Utf8Vectors.hex("c0af"))));
        assertTrue(failure.getMessage().contains("not valid UTF-8"), failure.getMessage());
    }

    @Test
    void failsWhenAPongArrivesAfterTheBadFrame() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(bytes(WireFrame.pong(new byte[0]).encode(null),
                CLOSE_1002), true, s -> s.expectFailure(1002)));
        assertTrue(failure.getMessage().contains("got pong"), failure.getMessage());
    }

    @Test
    void failsWhenTheServerSendsAFrameAfterItsClose() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(bytes(CLOSE_1002,
                WireFrame.text("late").encode(null)), true, s -> s.expectFailure(1002)));
        assertTrue(failure.getMessage().contains("after its close frame"), failure.getMessage());
    }

    @Test
    void failsWhenTheServerKeepsTcpOpenAfterTheClosingHandshake() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(CLOSE_1000, false, s -> s.closeNormally()));
        assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
    }

    @Test
    void failureNamesTheCaseAndShowsTheTranscript() throws Exception {
        AssertionError failure = assertThrows(AssertionError.class, () -> run(CLOSE_1000, true, s -> {
            s.send(WireFrame.text("sent by the test"));
            s.expectMessage(WireFrame.TEXT, WireFrame.utf8("sent by the test"));
        }));
        String message = failure.getMessage();
        assertTrue(message.startsWith("Case T.1 FAILED"), message);
        assertTrue(message.contains("-> TEXT len=16") && message.contains("<- CLOSE len=2 code=1000"), message);
    }

    /**
     * Starts a one-connection fake server that completes the handshake, then writes {@code script} and closes TCP
     * when {@code closeAfter} (otherwise holds it open for 3 s, reading nothing), and runs {@code steps} against it.
     */
    private static void run(byte[] script, boolean closeAfter, ConformanceCase.Script steps) throws Exception {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> serve(listener, script, closeAfter));
        ServerAddress address = new ServerAddress("127.0.0.1", listener.getLocalPort(), "/");
        ConformanceCase testCase = new ConformanceCase("T.1", "scripted", "scripted", Map.of(), Duration.ofSeconds(2), steps);
        try (RawConnection connection = RawConnection.open(address)) {
            steps.run(new CaseSession(testCase, connection));
        } finally {
            listener.close();
            server.get(10, TimeUnit.SECONDS);
        }
    }

    private static void serve(ServerSocket listener, byte[] script, boolean closeAfter) {
        try (Socket socket = listener.accept()) {
            String key = readRequestKey(socket.getInputStream());
            socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawConnection.acceptFor(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(script);
            socket.getOutputStream().flush();
            if (!closeAfter) {
                Thread.sleep(3_000); // neither reads nor closes: a server that never ends the connection
            }
        } catch (IOException e) {
            // the test side closed first: nothing to report from here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readRequestKey(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
        }
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
                return line.substring(18).trim();
            }
        }
        throw new IOException("no Sec-WebSocket-Key");
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
