package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    enum Colour { RED, DARK_BLUE }

    private static CommandLine cli(String... args) {
        return new CommandLine("tool", args);
    }

    private static String problem(CommandLine cli) {
        return assertThrows(CommandLine.UsageException.class, cli::finish).getMessage();
    }

    @Test
    void absentFlagsGiveTheirDefaults() {
        CommandLine cli = cli();
        assertEquals("x", cli.string("--name", "x", "a name"));
        assertEquals(7, cli.integer("--count", 7, 0, 10, "a count"));
        assertEquals(1.5, cli.decimal("--rate", 1.5, 0, 10, "a rate"));
        assertEquals(Colour.RED, cli.choice("--colour", Colour.RED, "a colour"));
        assertFalse(cli.toggle("--loud", "be loud"));
        assertDoesNotThrow(cli::finish);
    }

    @Test
    void valuesComeFromTheNextArgumentOrAfterAnEqualsSign() {
        CommandLine cli = cli("--name", "y", "--count=3", "--colour", "dark-blue", "--loud", "--rate", "2.5");
        assertEquals("y", cli.string("--name", "x", "a name"));
        assertEquals(3, cli.integer("--count", 7, 0, 10, "a count"));
        assertEquals(Colour.DARK_BLUE, cli.choice("--colour", Colour.RED, "a colour"));
        assertTrue(cli.toggle("--loud", "be loud"));
        assertEquals(2.5, cli.decimal("--rate", 1.5, 0, 10, "a rate"));
        assertDoesNotThrow(cli::finish);
    }

    @Test
    void aNonNumberNamesTheFlagAndTheValue() {
        CommandLine cli = cli("--count", "abc");
        assertEquals(7, cli.integer("--count", 7, 0, 10, "a count"), "the default stands in until finish");
        assertEquals("tool: --count: \"abc\" is not a whole number", problem(cli));
    }

    @Test
    void aNumberOutOfRangeIsRefused() {
        CommandLine cli = cli("--count", "11");
        cli.integer("--count", 7, 0, 10, "a count");
        assertEquals("tool: --count: \"11\" is outside 0..10", problem(cli));
    }

    @Test
    void anUnknownChoiceListsTheChoices() {
        CommandLine cli = cli("--colour", "green");
        cli.choice("--colour", Colour.RED, "a colour");
        assertEquals("tool: --colour: \"green\" is not one of red|dark-blue", problem(cli));
    }

    @Test
    void anUnknownFlagIsNamed() {
        CommandLine cli = cli("--count", "1", "--bogus", "2");
        cli.integer("--count", 7, 0, 10, "a count");
        assertEquals("tool: unknown flag --bogus", problem(cli));
    }

    @Test
    void aStrayArgumentIsNamed() {
        CommandLine cli = cli("stray");
        assertEquals("tool: unexpected argument stray", problem(cli));
    }

    @Test
    void aMissingValueIsNamedAtTheEndAndBeforeAnotherFlag() {
        CommandLine last = cli("--count");
        last.integer("--count", 7, 0, 10, "a count");
        assertEquals("tool: --count: needs a value", problem(last));
        CommandLine beforeFlag = cli("--name", "--loud");
        beforeFlag.string("--name", "x", "a name");
        beforeFlag.toggle("--loud", "be loud");
        assertEquals("tool: --name: needs a value", problem(beforeFlag));
    }

    @Test
    void aFlagGivenTwiceIsAMistake() {
        CommandLine cli = cli("--count", "1", "--count=2");
        cli.integer("--count", 7, 0, 10, "a count");
        assertEquals("tool: --count: given twice", problem(cli));
    }

    @Test
    void aToggleTakesNoValue() {
        CommandLine cli = cli("--loud=yes");
        cli.toggle("--loud", "be loud");
        assertEquals("tool: --loud: takes no value", problem(cli));
    }

    @Test
    void theFirstProblemIsReportedInOneLine() {
        CommandLine cli = cli("--count", "x", "--colour", "green", "--bogus");
        cli.integer("--count", 7, 0, 10, "a count");
        cli.choice("--colour", Colour.RED, "a colour");
        String problem = problem(cli);
        assertEquals("tool: --count: \"x\" is not a whole number", problem);
        assertFalse(problem.contains("\n"));
    }

    @Test
    void theUsageListsEveryDeclaredFlagWithItsDefault() {
        CommandLine cli = cli();
        cli.integer("--count", 7, 0, 10, "a count");
        cli.choice("--colour", Colour.RED, "a colour");
        cli.toggle("--loud", "be loud");
        String usage = cli.usage();
        assertTrue(usage.startsWith("usage: tool [flags]\n"), usage);
        assertTrue(usage.contains("--count N") && usage.contains("a count (default 7)"), usage);
        assertTrue(usage.contains("--colour red|dark-blue") && usage.contains("(default red)"), usage);
        assertTrue(usage.contains("--loud") && usage.contains("be loud"), usage);
    }

    @Test
    void helpIsRecognised() {
        assertTrue(cli("--help").helpAsked());
        assertTrue(cli("-h").helpAsked());
        assertFalse(cli("--port", "1").helpAsked());
    }

    /** The whole path of a main: one line naming the flag, the usage, exit status 2. */
    @Test
    void echoServerExitsWithStatus2AndOneLineForABadFlag() throws Exception {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), EchoServer.class.getName(), "--port", "abc")
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server exits instead of starting");
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        String[] lines = output.split("\n");
        assertEquals("echo-server: --port: \"abc\" is not a whole number", lines[0]);
        assertEquals("usage: echo-server [flags]", lines[1]);
        assertFalse(output.contains("Exception"), output);
    }
}
