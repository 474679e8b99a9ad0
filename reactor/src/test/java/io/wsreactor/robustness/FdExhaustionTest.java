package io.wsreactor.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.ChildJvm;
import io.wsreactor.testkit.RawClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server out of file descriptors (issue: hardening, symptom 7): it runs in its own JVM under {@code ulimit -n}, and
 * far more clients connect than it has descriptors. Accepting then fails on every retry; the log must say so once with
 * the trace and then stay quiet (about a line per 10 s) instead of a trace per retry, an established peer keeps being
 * served meanwhile, and once the crowd leaves, new clients are served again.
 */
@EnabledOnOs(OS.LINUX)
class FdExhaustionTest {
    private static final int DESCRIPTOR_LIMIT = 160;
    private static final int CROWD = 400;
    private static final String ACCEPT_FAILED = "accepting a connection failed";

    @Test
    void acceptFailuresAreLoggedRateLimitedAndTheServerRecovers(@TempDir Path jars) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$0\" -Xmx256m -cp \"$1\" "
                + FdExhaustionServerMain.class.getName();
        Process process = new ProcessBuilder("bash", "-c", command, java, jarred(jars))
                .redirectErrorStream(true)
                .start();
        Output output = new Output(process);
        List<Socket> crowd = new ArrayList<>();
        try {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", output.awaitPort());
            try (RawClient side = RawClient.open(server)) {
                echo(side, "before");
                for (int i = 0; i < CROWD; i++) {
                    Socket socket = new Socket();
                    crowd.add(socket);
                    socket.connect(server, RawClient.TIMEOUT_MILLIS); // the kernel's backlog completes it
                }
                assertTrue(output.await(ACCEPT_FAILED), "the server ran out of descriptors and said so:\n" + output);
                long before = output.bytes();
                Thread.sleep(3_000); // some 60 accept retries at one per tick
                long grown = output.bytes() - before;
                assertTrue(grown < 2_048, "the log grew " + grown + " bytes in 3 s of failing accepts:\n" + output);
                assertTrue(output.count(ACCEPT_FAILED) <= 2, "accept failures logged each time:\n" + output);
                echo(side, "during");
            }
            for (Socket socket : crowd) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
            assertEquals("after", echoOnNewClient(server), "a new client is served once the crowd left");
        } finally {
            for (Socket socket : crowd) {
                socket.close();
            }
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The test class path with each class folder packed into a jar in {@code dir}. An application loads the library
     * from jars, which stay open: from a folder, every class loaded late (on the first tick, the first close) would
     * need a descriptor of its own, and fail with NoClassDefFoundError once they are gone.
     */
    private static String jarred(Path dir) throws Exception {
        List<String> entries = new ArrayList<>();
        for (String entry : ChildJvm.classPath().split(File.pathSeparator)) {
            Path folder = Path.of(entry);
            if (!Files.isDirectory(folder)) {
                entries.add(entry);
                continue;
            }
            Path jar = dir.resolve(entries.size() + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            entries.add(jar.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void echo(RawClient client, String text) throws IOException {
        client.sendText(text);
        assertEquals(text, client.readFrame().text());
    }

    /** The server accepts the crowd's leftovers from its backlog first; a new client may be refused until then. */
    private static String echoOnNewClient(InetSocketAddress server) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 300; attempt++) {
            try (RawClient client = RawClient.open(server)) {
                client.sendText("after");
                return client.readFrame().text();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no new client served in 300 attempts", last);
    }

    /** The child's output, read on a thread of its own; kept up to 1 MiB for the failure messages. */
    private static final class Output {
        private final StringBuilder text = new StringBuilder();
        private long bytes;

        Output(Process process) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        append(line);
                    }
                } catch (IOException e) {
                    append("(reading the output failed: " + e + ")");
                }
            }, "fd-exhaustion-output");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void append(String line) {
            bytes += line.length() + 1;
            if (text.length() < (1 << 20)) {
                text.append(line).append('\n');
            }
            notifyAll();
        }

        synchronized long bytes() {
            return bytes;
        }

        synchronized int count(String what) {
            int n = 0;
            for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
                n++;
            }
            return n;
        }

        /** Waits up to 60 s for {@code what} to appear; returns whether it did. */
        synchronized boolean await(String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (text.indexOf(what) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        int awaitPort() throws InterruptedException {
            if (!await("port ")) {
                throw new AssertionError("the server did not start:\n" + this);
            }
            synchronized (this) {
                int start = text.indexOf("port ") + 5;
                int end = text.indexOf("\n", start);
                return Integer.parseInt(text.substring(start, end).trim());
            }
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }
}
