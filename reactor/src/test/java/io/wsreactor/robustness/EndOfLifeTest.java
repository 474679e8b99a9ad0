package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.handshake.HandshakeResponse;
import io.wsreactor.testkit.RawClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How connections and the server end in the states the other tests do not reach: half-done handshakes dropped by
 * their clients, upgrades waiting for an async hook or for accept() when the server shuts down, and a closed server
 * whose reactor thread must end by itself once its last peer has gone.
 */
class EndOfLifeTest {

    @Test
    void handshakesDroppedHalfwayLeakNoFileDescriptor() throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0, ServerOptions.builder()
                .handshakeTimeout(Duration.ofSeconds(5))
                .build());
        server.listen();
        try {
            AsyncEchoApp.start(server);
            warm(server);
            int fdsBefore = Probes.openFds();
            byte[] request = RawClient.upgradeRequest("/");
            for (int i = 0; i < 1000; i++) {
                try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
                    socket.getOutputStream().write(request, 0, i % request.length);
                    if (i % 2 == 0) {
                        socket.setSoLinger(true, 0); // a reset rather than a FIN
                    }
                }
            }
            // Every half-done handshake is gone from the server once the client went.
            assertTrue(Probes.eventually(() -> Probes.openFds() <= fdsBefore, 20_000),
                    "fds back to " + fdsBefore + ": " + Probes.openFds());
            assertEquals(0, server.stats().handshakesAccepted() - 1, "only the warm-up upgraded");
            warm(server);
        } finally {
            server.shutdown(Duration.ofMillis(500)).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void shutdownEndsUpgradesWaitingForAnAsyncHookOrForAccept() throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0, ServerOptions.builder()
                .handshakeTimeout(Duration.ofMinutes(5))
                .acceptTimeout(Duration.ofMinutes(5))
                .build());
        server.listen();
        String reactorThread = "wsreactor-" + server.localAddress().getPort();
        CompletableFuture<HandshakeResponse> never = new CompletableFuture<>();
        server.setProxyHandshakeAsync((request, response) ->
                request.path().equals("/wait") ? never : CompletableFuture.completedFuture(response));
        List<RawClient> hooked = new ArrayList<>();
        List<RawClient> unaccepted = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawClient client = RawClient.connect(server.localAddress());
                client.write(RawClient.upgradeRequest("/wait"));
                hooked.add(client);
                unaccepted.add(RawClient.open(server.localAddress())); // 101, then nobody accepts it
            }
            server.shutdown(Duration.ofMillis(500)).get(20, TimeUnit.SECONDS);
            for (RawClient client : hooked) {
                assertTrue(endsWithoutUpgrade(client), "a hooked upgrade is not left hanging");
            }
            for (RawClient client : unaccepted) {
                assertEquals(1001, client.readUntilClose(10).closeCode(), "unaccepted peers are told 1001");
                assertTrue(client.awaitEndOfStream());
            }
            assertTrue(Probes.eventually(() -> Probes.threadsNamed(reactorThread) == 0, 10_000));
        } finally {
            never.complete(null);
            for (RawClient client : hooked) {
                client.close();
            }
            for (RawClient client : unaccepted) {
                client.close();
            }
        }
    }

    /** The connection ends with an HTTP rejection or with nothing; never with 101. */
    private static boolean endsWithoutUpgrade(RawClient client) throws IOException {
        try {
            String head = client.readHttpHead();
            return !head.startsWith("HTTP/1.1 101") && client.awaitEndOfStream();
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Test
    void closedServerThreadEndsByItselfWhenTheLastPeerCloses() throws Exception {
        WsServer server = WsServer.create("127.0.0.1", 0, ServerOptions.defaults());
        server.listen();
        String reactorThread = "wsreactor-" + server.localAddress().getPort();
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            assertNotNull(peer);
            server.close();
            assertEquals(1, Probes.threadsNamed(reactorThread), "the reactor serves the open peer");
            client.sendText("still served");
            assertEquals("still served", peer.read(Duration.ofSeconds(10)).text());
            client.sendClose(1000, "");
            assertEquals(null, peer.read(Duration.ofSeconds(10)), "the application reads the end");
            assertEquals(1000, client.readUntilClose(10).closeCode());
            assertTrue(client.awaitEndOfStream());
            assertTrue(Probes.eventually(peer::isClosed, 10_000));
        }
        assertTrue(Probes.eventually(() -> Probes.threadsNamed(reactorThread) == 0, 10_000),
                "the reactor thread ends once the last peer has closed");
    }

    private static void warm(WsServer server) throws IOException {
        try (RawClient client = RawClient.open(server.localAddress())) {
            client.sendText("warm");
            client.readFrame();
            client.closeCleanly();
        }
    }
}
