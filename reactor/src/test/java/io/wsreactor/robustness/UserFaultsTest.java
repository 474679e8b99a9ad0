package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ServerOptions;
import io.wsreactor.StartedServer;
import io.wsreactor.SlowConsumerPolicy;
import io.wsreactor.WriteResult;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import io.wsreactor.handshake.HandshakeResponse;
import io.wsreactor.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults of the application: hooks that throw or return null, future stages that throw, interrupted threads, and
 * closing the server while calls wait. Each is contained: the right answer for that call, the server goes on.
 */
class UserFaultsTest {
    @RegisterExtension
    final StartedServer started = new StartedServer();
    private WsServer server;

    private WsServer listen(ServerOptions options) throws Exception {
        server = started.start(options);
        return server;
    }

    private String upgradeStatus(String path) throws Exception {
        try (RawClient client = RawClient.connect(server.localAddress())) {
            client.write(RawClient.upgradeRequest(path));
            String head = client.readHttpHead();
            return head.substring(9, 12);
        }
    }

    @Test
    void hookThatThrowsOrReturnsNullAnswers500AndTheServerGoesOn() throws Exception {
        listen(ServerOptions.defaults());
        AsyncEchoApp.start(server);
        server.setProxyHandshake((request, response) -> switch (request.path()) {
            case "/throw" -> throw new IllegalStateException("hook bug");
            case "/null" -> null;
            default -> response;
        });
        for (int i = 0; i < 20; i++) {
            assertEquals("500", upgradeStatus("/throw"));
            assertEquals("500", upgradeStatus("/null"));
            assertEquals("101", upgradeStatus("/fine"));
        }
        assertEquals(40L, server.stats().handshakesRejected().getOrDefault(500, 0L));
        assertEchoes();
    }

    /**
     * Pins the containment rule of docs/ARCHITECTURE.md ("a user callback that throws is contained ... the reactor goes on"): a hook that throws
     * an Error such as AssertionError or StackOverflowError (a recursion bug) must cost that handshake a 500, not
     * the whole server (before the fix the reactor thread died: "the reactor thread failed; closing every
     * connection", and every peer was dropped).
     */
    @Test
    void hookThatThrowsAnErrorAnswers500AndTheReactorSurvives() throws Exception {
        listen(ServerOptions.defaults());
        AsyncEchoApp.start(server);
        try (RawClient bystander = RawClient.open(server.localAddress())) {
            server.setProxyHandshake((request, response) -> {
                if (request.path().equals("/error")) {
                    throw new StackOverflowError("hook recursion bug");
                }
                return response;
            });
            String status;
            try {
                status = upgradeStatus("/error");
            } catch (java.io.IOException e) {
                status = "no answer (" + e + ")";
            }
            assertEquals("500", status, "a hook's Error answers 500");
            bystander.sendText("still served");
            assertEquals("still served", bystander.readFrame().text(), "other peers survive the hook's Error");
            assertTrue(server.isListening());
            assertEchoes();
        }
    }

    @Test
    void asyncHookThatThrowsFailsOrGivesNullAnswers500() throws Exception {
        listen(ServerOptions.defaults());
        AsyncEchoApp.start(server);
        server.setProxyHandshakeAsync((request, response) -> switch (request.path()) {
            case "/throw" -> throw new IllegalStateException("hook bug");
            case "/nullfuture" -> null;
            case "/failed" -> CompletableFuture.failedFuture(new RuntimeException("lookup failed"));
            case "/null" -> CompletableFuture.supplyAsync(() -> (HandshakeResponse) null);
            default -> CompletableFuture.supplyAsync(() -> response);
        });
        for (String path : new String[] {"/throw", "/nullfuture", "/failed", "/null"}) {
            assertEquals("500", upgradeStatus(path), path);
        }
        assertEquals("101", upgradeStatus("/fine"));
        assertEchoes();
    }

    @Test
    void futureStagesThatThrowAreContained() throws Exception {
        listen(ServerOptions.defaults());
        CompletableFuture<WsPeer> accepted = server.acceptAsync();
        accepted.thenAccept(peer -> {
            throw new IllegalStateException("accept stage bug");
        });
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = accepted.get(10, TimeUnit.SECONDS);
            CompletableFuture<Frame> read = peer.readAsync();
            read.thenAccept(frame -> {
                throw new IllegalStateException("read stage bug");
            });
            read.whenComplete((frame, failure) -> {
                throw new StackOverflowError("a stage's error");
            });
            client.sendText("one");
            assertEquals("one", read.get(10, TimeUnit.SECONDS).text());
            CompletableFuture<Void> written = peer.writeAsync(Frame.text("back"));
            written.thenRun(() -> {
                throw new IllegalStateException("write stage bug");
            });
            assertEquals("back", client.readFrame().text());
            written.get(10, TimeUnit.SECONDS);
            // the peer and the reactor carry on
            client.sendText("two");
            assertEquals("two", peer.read(Duration.ofSeconds(10)).text());
            assertEquals(WriteResult.QUEUED, peer.write(Frame.text("two back"), Duration.ofSeconds(10)));
            assertEquals("two back", client.readFrame().text());
        }
        AsyncEchoApp.start(server);
        assertEchoes();
    }

    @Test
    void interruptedReaderGetsInterruptedExceptionAndLosesNoFrame() throws Exception {
        listen(ServerOptions.defaults());
        try (RawClient client = RawClient.open(server.localAddress())) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    outcome.set(new AssertionError("read returned " + peer.read()));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            reader.start();
            assertTrue(Probes.eventually(() -> reader.getState() == Thread.State.WAITING
                    || reader.getState() == Thread.State.TIMED_WAITING, 10_000), "the reader waits");
            reader.interrupt();
            reader.join(10_000);
            assertFalse(reader.isAlive());
            assertTrue(outcome.get() instanceof InterruptedException, "documented: " + outcome.get());
            assertFalse(peer.isClosed(), "an interrupted read does not close the peer");
            client.sendText("after the interrupt");
            assertEquals("after the interrupt", peer.read(Duration.ofSeconds(10)).text(), "no frame lost");
        }
    }

    @Test
    void interruptedWriterAndAcceptorGetInterruptedExceptionAndNothingIsQueued() throws Exception {
        listen(ServerOptions.builder()
                .slowConsumerPolicy(SlowConsumerPolicy.BLOCK)
                .outboundHighWaterMark(64 * 1024)
                .build());
        try (RawClient client = RawClient.open(server.localAddress(), 4096)) {
            WsPeer peer = server.accept(Duration.ofSeconds(10));
            Frame big = Frame.binary(new byte[64 * 1024]);
            for (int i = 0; i < 10_000 && peer.write(big, Duration.ofMillis(100)) == WriteResult.QUEUED; i++) {
                // fill to the high-water mark
            }
            AtomicReference<Throwable> writeOutcome = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    writeOutcome.set(new AssertionError("write returned " + peer.write(Frame.text("late"))));
                } catch (Throwable t) {
                    writeOutcome.set(t);
                }
            });
            AtomicReference<Throwable> acceptOutcome = new AtomicReference<>();
            Thread acceptor = new Thread(() -> {
                try {
                    acceptOutcome.set(new AssertionError("accept returned " + server.accept()));
                } catch (Throwable t) {
                    acceptOutcome.set(t);
                }
            });
            writer.start();
            acceptor.start();
            assertTrue(Probes.eventually(() -> writer.getState() != Thread.State.RUNNABLE
                    && acceptor.getState() != Thread.State.RUNNABLE, 10_000));
            writer.interrupt();
            acceptor.interrupt();
            writer.join(10_000);
            acceptor.join(10_000);
            assertTrue(writeOutcome.get() instanceof InterruptedException, "write: " + writeOutcome.get());
            assertTrue(acceptOutcome.get() instanceof InterruptedException, "accept: " + acceptOutcome.get());
            assertFalse(peer.isClosed());
            assertFalse(client.isClosed());
            assertTrue(server.isListening());
        }
    }

    /**
     * server.close() answers waiting accepts with null (peers keep working, as documented); shutdown and
     * peer.close() answer waiting reads with null, waiting writes with false and pending futures with a failure.
     */
    @Test
    void closingReleasesEveryWaitingCallPromptly() throws Exception {
        listen(ServerOptions.builder()
                .slowConsumerPolicy(SlowConsumerPolicy.BLOCK)
                .outboundHighWaterMark(64 * 1024)
                .outboundHardLimit(64 * 1024 * 1024)
                .build());
        try (RawClient stalled = RawClient.open(server.localAddress(), 4096);
                RawClient quiet = RawClient.open(server.localAddress())) {
            WsPeer writing = server.accept(Duration.ofSeconds(10));
            WsPeer reading = server.accept(Duration.ofSeconds(10));
            assertNotNull(writing);
            assertNotNull(reading);

            CompletableFuture<WsPeer> acceptForever = CompletableFuture.supplyAsync(() -> call(server::accept));
            CompletableFuture<WsPeer> acceptLong = CompletableFuture.supplyAsync(
                    () -> call(() -> server.accept(Duration.ofMinutes(5))));
            CompletableFuture<WsPeer> acceptAsync = server.acceptAsync();
            Thread.sleep(100);
            server.close();
            assertNull(acceptForever.get(10, TimeUnit.SECONDS), "accept() returns null on close");
            assertNull(acceptLong.get(10, TimeUnit.SECONDS), "accept(Duration) returns null on close");
            assertNull(acceptAsync.get(10, TimeUnit.SECONDS), "acceptAsync() completes with null on close");
            assertNull(server.accept(Duration.ofSeconds(5)), "and at once afterwards");
            quiet.sendText("peers keep working after server.close()");
            assertEquals("peers keep working after server.close()", reading.read(Duration.ofSeconds(10)).text());

            Frame big = Frame.binary(new byte[64 * 1024]);
            // 25 MiB queued with writeAsync (BLOCK lets it pass the high-water mark up to the hard limit): far more
            // than the socket buffers, so the last future waits and a blocking write must wait at the mark
            CompletableFuture<Void> pending = null;
            for (int i = 0; i < 400; i++) {
                pending = writing.writeAsync(big);
            }
            assertFalse(pending.isDone(), "a writeAsync waits for the socket");
            CompletableFuture<WriteResult> blockedWrite = CompletableFuture.supplyAsync(
                    () -> call(() -> writing.write(big, Duration.ofMinutes(5))));
            CompletableFuture<Frame> blockedRead = CompletableFuture.supplyAsync(
                    () -> call(() -> reading.read(Duration.ofMinutes(5))));
            CompletableFuture<Frame> readAsync = CompletableFuture.supplyAsync(() -> call(() -> {
                Thread.sleep(50);
                return null;
            })).thenCompose(ignored -> writing.readAsync());
            Thread.sleep(200);

            server.shutdown(Duration.ofMillis(200));
            assertEquals(WriteResult.CLOSED, blockedWrite.get(10, TimeUnit.SECONDS), "a waiting write returns CLOSED");
            assertNull(blockedRead.get(10, TimeUnit.SECONDS), "a waiting read returns null");
            assertNull(readAsync.get(10, TimeUnit.SECONDS), "a waiting readAsync completes with null");
            CompletableFuture<Void> failed = pending;
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> failed.get(10, TimeUnit.SECONDS), "a pending writeAsync fails");
            assertNotNull(failure.getCause());
            assertTrue(Probes.eventually(() -> writing.isClosed() && reading.isClosed(), 10_000));
            assertTrue(stalled.awaitEndOfStream(), "the stalled client's connection ends too");
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private void assertEchoes() throws Exception {
        try (RawClient client = RawClient.open(server.localAddress())) {
            client.sendText("echo");
            assertEquals("echo", client.readFrame().text());
            assertEquals(1000, client.closeCleanly());
        }
    }
}
