package io.wsreactor.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The echo server's flags, as ./echo-server passes them: values, defaults and the one-line mistakes. */
class EchoServerFlagsTest {
    private static EchoServer.Settings read(CommandLine cli) {
        return EchoServer.Settings.read(cli);
    }

    private static String problem(String... args) {
        CommandLine cli = new CommandLine("echo-server", args);
        read(cli);
        return assertThrows(CommandLine.UsageException.class, cli::finish).getMessage();
    }

    @Test
    void defaultsListenOnLoopbackPort8080() {
        CommandLine cli = new CommandLine("echo-server", new String[0]);
        EchoServer.Settings settings = read(cli);
        assertDoesNotThrow(cli::finish);
        assertEquals("127.0.0.1", settings.host());
        assertEquals(8080, settings.port());
        assertEquals(1 << 20, settings.maxMessage());
        assertEquals(EchoServer.Mode.defaultMode(), settings.mode());
        assertEquals(1, settings.reactors());
        assertEquals(false, settings.reusePort());
        assertEquals(io.wsreactor.WaitStrategy.PARK, settings.waitStrategy());
    }

    @Test
    void reactorsOutOfRange() {
        assertEquals("echo-server: --reactors: \"0\" is outside 1..256", problem("--reactors", "0"));
        assertEquals("echo-server: --reactors: \"257\" is outside 1..256", problem("--reactors", "257"));
    }

    @Test
    void reactorsThatAreNotANumber() {
        assertEquals("echo-server: --reactors: \"many\" is not a whole number", problem("--reactors", "many"));
    }

    @Test
    void reusePortTakesNoValue() {
        assertEquals("echo-server: --reuse-port: takes no value", problem("--reuse-port=yes"));
    }

    @Test
    void everyFlagIsRead() {
        CommandLine cli = new CommandLine("echo-server",
                new String[] {"--host", "localhost", "--port", "0", "--max-message", "4096", "--mode", "async",
                    "--health-path", "/healthz", "--proxy-protocol", "optional", "--reactors", "4", "--reuse-port",
                    "--wait-strategy", "spin-park"});
        EchoServer.Settings settings = read(cli);
        assertDoesNotThrow(cli::finish);
        assertEquals(new EchoServer.Settings("localhost", 0, 4096, EchoServer.Mode.ASYNC, "/healthz",
                io.wsreactor.ProxyProtocol.OPTIONAL, null, null, 4, true, io.wsreactor.WaitStrategy.SPIN_PARK),
                settings);
    }

    @Test
    void aPortThatIsNotANumber() {
        assertEquals("echo-server: --port: \"abc\" is not a whole number", problem("--port", "abc"));
    }

    @Test
    void aPortOutOfRange() {
        assertEquals("echo-server: --port: \"65536\" is outside 0..65535", problem("--port", "65536"));
    }

    @Test
    void anUnknownMode() {
        assertEquals("echo-server: --mode: \"foo\" is not one of threads|virtual|async", problem("--mode", "foo"));
    }

    @Test
    void anUnknownWaitStrategy() {
        assertEquals("echo-server: --wait-strategy: \"yield\" is not one of park|spin-park|spin",
                problem("--wait-strategy", "yield"));
    }

    @Test
    void spinningVirtualThreadsAreRefused() {
        assertEquals("echo-server: --wait-strategy: spin would hold a virtual thread's carrier; use spin-park",
                problem("--mode", "virtual", "--wait-strategy", "spin"));
    }

    @Test
    void anUnknownFlag() {
        assertEquals("echo-server: unknown flag --bogus", problem("--port", "1", "--bogus", "x"));
    }

    @Test
    void aMissingValue() {
        assertEquals("echo-server: --port: needs a value", problem("--port"));
    }

    @Test
    void aHostThatDoesNotResolve() {
        // .invalid never resolves (RFC 6761)
        assertEquals("echo-server: --host: cannot resolve \"no-such-host.invalid\"",
                problem("--host", "no-such-host.invalid"));
    }
}
