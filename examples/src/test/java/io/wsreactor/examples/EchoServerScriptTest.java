package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./echo-server} builds only when a source or POM changed since its last build. Runs the real script in a
 * copy of the repository's layout, with a fake {@code mvn} on the PATH and a fake {@code java} (the script's JAVA
 * variable) that only record how they were called.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class EchoServerScriptTest {
    private static final List<String> MODULES = List.of("frame", "handshake", "reactor", "examples");

    @TempDir
    Path tree;

    @Test
    void buildsOnTheFirstStartThenOnlyAfterASourceChanges() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("echo-server");
        assertTrue(Files.isRegularFile(script), "the script at the repository root: " + script);
        Files.copy(script, tree.resolve("echo-server"));
        tree.resolve("echo-server").toFile().setExecutable(true);
        Instant anHourAgo = Instant.now().minus(1, ChronoUnit.HOURS);
        writeOld(tree.resolve("pom.xml"), anHourAgo);
        for (String module : MODULES) {
            writeOld(tree.resolve(module).resolve("pom.xml"), anHourAgo);
            writeOld(tree.resolve(module).resolve("src/main/java/Some.java"), anHourAgo);
        }
        Path bin = Files.createDirectories(tree.resolve("fake-bin"));
        fake(bin.resolve("mvn"), "echo \"mvn $* MAVEN_OPTS=$MAVEN_OPTS\" >> \"" + tree.resolve("mvn.log") + "\"");
        fake(bin.resolve("java"), "echo \"java $*\" >> \"" + tree.resolve("java.log") + "\"");

        run("--port", "1");
        assertEquals(1, lines("mvn.log").size(), "the first start builds");
        assertTrue(lines("mvn.log").get(0).contains("-Djansi.noreset=true"), "no ESC[0m from Debian's Maven");
        assertEquals(1, lines("java.log").size());
        assertTrue(lines("java.log").get(0).endsWith("io.wsreactor.examples.EchoServer --port 1"),
                lines("java.log").get(0));

        run("--port", "2");
        assertEquals(1, lines("mvn.log").size(), "nothing changed: no build");
        assertEquals(2, lines("java.log").size(), "the server still starts");

        Files.setLastModifiedTime(tree.resolve("reactor/src/main/java/Some.java"),
                FileTime.from(Instant.now().plus(1, ChronoUnit.MINUTES)));
        run("--port", "3");
        assertEquals(2, lines("mvn.log").size(), "a changed source builds again");
        assertEquals(3, lines("java.log").size());
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", tree.resolve("echo-server").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", tree.resolve("fake-bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA", tree.resolve("fake-bin/java").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script ends (the fake java returns at once)");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
    }

    private List<String> lines(String log) throws IOException {
        Path file = tree.resolve(log);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static void writeOld(Path file, Instant when) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
        Files.setLastModifiedTime(file, FileTime.from(when));
    }

    private static void fake(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true));
    }
}
