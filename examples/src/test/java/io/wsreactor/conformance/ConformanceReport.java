package io.wsreactor.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects case results of one test JVM and writes them as {@code conformance/conformance.md} (group table,
 * sub-group table, failures) and {@code conformance/conformance.tsv} (every case) under the build directory
 * (target/ or target-SUFFIX/), or under {@code -Dws.report.dir}. The README's table is copied from there.
 */
final class ConformanceReport {
    private static final Map<String, String> GROUP_NAMES = Map.ofEntries(
            Map.entry("1", "Framing (text and binary, lengths 0–65536, whole and chopped)"),
            Map.entry("2", "Pings and pongs"),
            Map.entry("3", "Reserved bits"),
            Map.entry("4", "Reserved opcodes"),
            Map.entry("5", "Fragmentation"),
            Map.entry("6", "UTF-8 handling (fail fast, whole, fragmented, split across TCP writes)"),
            Map.entry("7", "Close handling"),
            Map.entry("9", "Limits and performance (64 KiB–16 MiB, fragments, chops, 1000 messages)"),
            Map.entry("10", "Server-side fragmentation"),
            Map.entry("12", "Compression: permessage-deflate offered and declined"),
            Map.entry("H", "Opening handshake"));

    /** One case's outcome. */
    private record Result(String id, String description, String failure, long nanos) {
    }

    private static final Map<String, Result> RESULTS = new LinkedHashMap<>();
    private static String server = "(unknown server)";

    private ConformanceReport() {
    }

    /** Records a case result; {@code failure} is null when it passed. Safe from any thread. */
    static synchronized void record(String id, String description, String failure, long nanos) {
        RESULTS.put(id, new Result(id, description, failure, nanos));
    }

    /** Writes the report files with everything recorded so far (they grow as more test classes finish). */
    static synchronized void write(String serverDescription) {
        server = serverDescription;
        Path dir = reportDirectory();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("conformance.md"), markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("conformance.tsv"), tsv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance report to " + dir, e);
        }
    }

    private static Path reportDirectory() {
        String configured = System.getProperty("ws.report.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            // test classes live in <build dir>/test-classes, whatever the build directory's suffix is
            Path testClasses = Path.of(ConformanceReport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().resolve("conformance");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "conformance");
        }
    }

    private static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Server under test: ").append(server).append("; JDK ").append(Runtime.version())
                .append("; run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".\n\n");
        md.append("| group | cases | OK | failed | result |\n| --- | ---: | ---: | ---: | --- |\n");
        Map<String, List<Result>> groups = groupBy(1);
        groups.forEach((group, results) -> md.append(row(group + " " + GROUP_NAMES.getOrDefault(group, ""), results)));
        List<Result> all = new ArrayList<>(RESULTS.values());
        md.append(row("**all**", all)).append('\n');
        md.append("<details><summary>By sub-group</summary>\n\n");
        md.append("| sub-group | cases | OK | failed | result |\n| --- | ---: | ---: | ---: | --- |\n");
        groupBy(2).forEach((subgroup, results) -> md.append(row(subgroup, results)));
        md.append("\n</details>\n");
        List<Result> failed = all.stream().filter(r -> r.failure() != null).toList();
        if (!failed.isEmpty()) {
            md.append("\n### Failed cases\n\n");
            for (Result result : failed) {
                md.append("- **").append(result.id()).append("** ").append(result.description()).append(": ")
                        .append(result.failure().lines().findFirst().orElse("")).append('\n');
            }
        }
        return md.toString();
    }

    private static String row(String name, List<Result> results) {
        long ok = results.stream().filter(r -> r.failure() == null).count();
        long failed = results.size() - ok;
        return "| " + name + " | " + results.size() + " | " + ok + " | " + failed + " | "
                + (failed == 0 ? "all OK" : "**" + failed + " FAILED**") + " |\n";
    }

    /** Results grouped by the first {@code depth} components of the case id, in catalogue order. */
    private static Map<String, List<Result>> groupBy(int depth) {
        Map<String, List<Result>> groups = new TreeMap<>(ConformanceReport::compareIds);
        for (Result result : RESULTS.values()) {
            String base = result.id().split("-")[0];
            String[] parts = base.split("\\.");
            int keep = parts.length >= 3 ? Math.min(depth, parts.length) : 1; // "2.5" is a case, not a sub-group
            String key = String.join(".", Arrays.copyOf(parts, keep));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(result);
        }
        return groups;
    }

    /** Orders "2" before "10" and "6.5" before "6.12"; non-numeric parts (the handshake's "H") come last. */
    static int compareIds(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Comparator.<String, Boolean>comparing(s -> !s.chars().allMatch(Character::isDigit))
                    .thenComparing(s -> s.chars().allMatch(Character::isDigit) ? String.format("%09d", Long.parseLong(s)) : s)
                    .compare(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static String tsv() {
        StringBuilder tsv = new StringBuilder("case\tresult\tmillis\tdescription\tfailure\n");
        RESULTS.values().stream().sorted((r1, r2) -> compareIds(r1.id(), r2.id())).forEach(r -> tsv.append(r.id()).append('\t')
                .append(r.failure() == null ? "OK" : "FAILED").append('\t').append(r.nanos() / 1_000_000).append('\t')
                .append(r.description().replace('\t', ' ')).append('\t')
                .append(r.failure() == null ? "" : r.failure().lines().findFirst().orElse("").replace('\t', ' '))
                .append('\n'));
        return tsv.toString();
    }
}
