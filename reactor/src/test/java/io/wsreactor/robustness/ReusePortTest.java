package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ChildJvm;
import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.WsServer;
import io.wsreactor.testkit.RawClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ServerOptions#reusePort()}: two servers in two JVMs on one port both receive connections, and one of them
 * shutting down drops none of the other's peers (the way a new version takes over from an old one).
 */
class ReusePortTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();

    @Test
    void twoProcessesShareThePortAndOneShutsDownWithoutTheOtherDroppingAPeer() throws Exception {
        WsServer a = started.start(ServerOptions.builder().reusePort(true).reactors(2).build());
        ReusePortServerMain.serve(a, "A");
        int port = a.localAddress().getPort();
        Process b = ChildJvm.start(ReusePortServerMain.class, List.of(), Integer.toString(port), "B");
        List<RawClient> onA = new ArrayList<>();
        List<RawClient> onB = new ArrayList<>();
        try {
            BufferedReader bOutput = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(bOutput));
            String line = firstLine.get(60, TimeUnit.SECONDS);
            assertTrue(line != null && line.startsWith("listening"), "B started: " + line);

            // The kernel spreads connections over both listening sockets by a hash of the addresses: within a
            // couple of hundred connections both get several.
            for (int i = 0; i < 200 && (onA.size() < 5 || onB.size() < 5); i++) {
                RawClient client = RawClient.open(a.localAddress());
                client.sendText("who");
                String who = client.readFrame().text();
                (who.equals("A:who") ? onA : onB).add(client);
                assertTrue(who.equals("A:who") || who.equals("B:who"), who);
            }
            assertTrue(onA.size() >= 5 && onB.size() >= 5, "both servers got connections: A " + onA.size() + ", B "
                    + onB.size());

            OutputStream bInput = b.getOutputStream();
            bInput.write("shutdown\n".getBytes(StandardCharsets.US_ASCII));
            bInput.flush();
            for (RawClient client : onB) {
                assertEquals(1001, client.readUntilClose(10).closeCode(), "B's peers get B's going-away close");
                client.sendClose(1001, "");
            }
            assertTrue(b.waitFor(60, TimeUnit.SECONDS), "B exited after its shutdown");
            assertEquals(0, b.exitValue());

            for (int i = 0; i < onA.size(); i++) {
                onA.get(i).sendText("still " + i);
                assertEquals("A:still " + i, onA.get(i).readFrame().text(), "A's peers did not notice");
            }
            assertTrue(a.stats().closesByCode().isEmpty(), "no peer of A closed: " + a.stats());
            assertEquals(onA.size(), a.stats().openConnections());
            for (int i = 0; i < 20; i++) { // B's listening socket is gone: new connections all reach A
                try (RawClient client = RawClient.open(a.localAddress())) {
                    client.sendText("who");
                    assertEquals("A:who", client.readFrame().text());
                    assertEquals(1000, client.closeCleanly());
                }
            }
            assertEquals(onA.size() + 20L, a.stats().handshakesAccepted());
        } finally {
            b.destroyForcibly();
            for (RawClient client : onA) {
                client.close();
            }
            for (RawClient client : onB) {
                client.close();
            }
        }
    }

    @Test
    void aPortHeldWithoutReusePortIsStillRefusedToAServerThatAsksForIt() throws Exception {
        WsServer first = started.start(ServerOptions.defaults());
        WsServer second = WsServer.create("127.0.0.1", first.localAddress().getPort(),
                ServerOptions.builder().reusePort(true).build());
        IOException e = assertThrows(IOException.class, second::listen);
        assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }
}
