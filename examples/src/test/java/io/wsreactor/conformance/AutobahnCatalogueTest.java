package io.wsreactor.conformance;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Autobahn-style conformance suite: every case of groups 1–7, 9, 10 and the compression stand-in 12, each a
 * dynamic test named by its case number, run against the in-process EchoServer or the server of
 * {@code -Dws.url=ws://host:port/path}. {@code -Dws.cases=6.4,7.7} runs only cases whose number starts with one of
 * the given prefixes. The results are written to {@code <build dir>/conformance/}.
 */
class AutobahnCatalogueTest {
    private static ServerUnderTest server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerUnderTest.start();
    }

    @AfterAll
    static void stopServerAndWriteReport() throws Exception {
        ConformanceReport.write(server.description());
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> group1Framing() {
        return run(FramingCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group2PingPong() {
        return run(PingPongCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group3ReservedBits() {
        return run(ReservedBitsCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group4ReservedOpcodes() {
        return run(ReservedOpcodeCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group5Fragmentation() {
        return run(FragmentationCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group6Utf8() {
        return run(Utf8Cases.all());
    }

    @TestFactory
    Stream<DynamicTest> group7CloseHandling() {
        return run(CloseCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group9LargeMessages() {
        return run(LargeMessageCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group10ServerFragmentation() {
        return run(ServerFragmentationCases.all());
    }

    @TestFactory
    Stream<DynamicTest> group12DeflateDeclined() {
        return run(ExtensionCases.all());
    }

    private static Stream<DynamicTest> run(List<ConformanceCase> cases) {
        String filter = System.getProperty("ws.cases");
        List<String> prefixes = filter == null || filter.isBlank() ? List.of() : List.of(filter.split(","));
        return cases.stream()
                .filter(c -> prefixes.isEmpty() || prefixes.stream().map(String::trim)
                        .anyMatch(p -> c.id().equals(p) || c.id().startsWith(p + ".") || c.id().startsWith(p + "-")))
                .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> CaseRunner.run(c, server.address())));
    }
}
