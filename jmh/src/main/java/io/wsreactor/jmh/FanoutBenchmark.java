package io.wsreactor.jmh;

import io.wsreactor.PublishResult;
import io.wsreactor.ServerOptions;
import io.wsreactor.Topic;
import io.wsreactor.WsPeer;
import io.wsreactor.WsServer;
import io.wsreactor.frame.Frame;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One 64-byte message to 10,000 peers over real sockets: a topic's {@code publish} and {@code publish(frame, peers)}
 * (encoded once, a 32-byte node per recipient) beside a {@code writeAsync} loop (an entry, a future and a flush request
 * per peer). Scores are per recipient ({@link OperationsPerInvocation}): time on the publishing thread, and with
 * {@code -prof gc} the bytes allocated in the whole JVM, the reactor's flushing included.
 *
 * <p>The subscribers are {@link DrainClients} in a process of their own. Before each publish the benchmark waits,
 * untimed, until the reactor has written every queue out, so each publish meets idle queues as a steady feed does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class FanoutBenchmark {
    private static final int PEERS = 10_000;

    /** Payload length in bytes. */
    @Param({"64"})
    public int size;

    private WsServer server;
    private Topic topic;
    private final List<WsPeer> peers = new ArrayList<>();
    private Process clients;
    private Frame frame;

    /** Starts the server, the client process, and subscribes every peer. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        server = WsServer.create("127.0.0.1", 0, ServerOptions.builder().backlog(4096)
                .acceptTimeout(Duration.ofMinutes(5)).build());
        server.listen();
        topic = server.topic("bench");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        clients = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DrainClients.class.getName(), String.valueOf(server.localAddress().getPort()), String.valueOf(PEERS))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        for (int i = 0; i < PEERS; i++) {
            WsPeer peer = server.accept(Duration.ofMinutes(2));
            peers.add(peer);
            topic.subscribe(peer);
        }
        frame = Frame.binary(new byte[size]);
    }

    /** Stops the clients and the server. */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        clients.getOutputStream().close();
        clients.destroy();
        server.shutdown(Duration.ofSeconds(1)).get(30, TimeUnit.SECONDS);
    }

    /**
     * Untimed: waits until the reactor wrote out every queue, then a few milliseconds more for the client process to
     * read it, so the publish is timed on a quiet machine rather than racing the previous one's delivery.
     */
    @Setup(Level.Invocation)
    public void drained() throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (WsPeer peer : peers) {
            while (peer.queuedBytes() != 0) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the reactor did not write the queues out");
                }
                Thread.onSpinWait();
            }
        }
        Thread.sleep(5);
    }

    /**
     * The publishing thread's CPU time per recipient, printed after each iteration: on a machine shared with other
     * work the wall-clock score also counts the time the thread was not running, this does not.
     */
    @State(Scope.Thread)
    public static class CpuClock {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private long nanos;
        private long recipients;
        private long started;

        void start() {
            started = THREADS.getCurrentThreadCpuTime();
        }

        void stop() {
            nanos += THREADS.getCurrentThreadCpuTime() - started;
            recipients += PEERS;
        }

        /** Prints and resets the iteration's CPU time per recipient. */
        @TearDown(Level.Iteration)
        public void report() {
            if (recipients > 0) {
                System.out.printf(Locale.ROOT, "  [publishing thread CPU: %.1f ns per recipient]%n",
                        (double) nanos / recipients);
            }
            nanos = 0;
            recipients = 0;
        }
    }

    /** A topic's publish. */
    @Benchmark
    @OperationsPerInvocation(PEERS)
    public PublishResult topicPublish(CpuClock clock) {
        clock.start();
        PublishResult result = topic.publish(frame);
        clock.stop();
        return result;
    }

    /** Publish to a list of peers. */
    @Benchmark
    @OperationsPerInvocation(PEERS)
    public PublishResult publishToPeers(CpuClock clock) {
        clock.start();
        PublishResult result = server.publish(frame, peers);
        clock.stop();
        return result;
    }

    /** The floor: reading one counter of every peer, which any per-recipient work pays in cache misses. */
    @Benchmark
    @OperationsPerInvocation(PEERS)
    public long touchEveryPeer() {
        long sum = 0;
        for (WsPeer peer : peers) {
            sum += peer.queuedBytes();
        }
        return sum;
    }

    /** What an application does without fan-out: a writeAsync per peer. */
    @Benchmark
    @OperationsPerInvocation(PEERS)
    public void writeAsyncLoop(Blackhole blackhole, CpuClock clock) {
        clock.start();
        for (WsPeer peer : peers) {
            CompletableFuture<Void> written = peer.writeAsync(frame);
            blackhole.consume(written);
        }
        clock.stop();
    }
}
