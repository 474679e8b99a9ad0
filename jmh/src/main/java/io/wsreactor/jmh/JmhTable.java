package io.wsreactor.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's CSV results ({@code -rf csv}) into one markdown table: each benchmark's score, the bytes it allocates
 * per operation ({@code gc.alloc.rate.norm} from {@code -prof gc}), a derived rate (frames/s, MB/s,
 * handshakes/s) and the speed-up over the plain approach beside it (byte loop, {@code CharsetDecoder}, Netty).
 *
 * <p>{@code java -cp benchmarks.jar io.wsreactor.jmh.JmhTable jmh.csv [table.md]}
 */
public final class JmhTable {
    /** Which benchmark is the plain approach for which. */
    private static final Map<String, String> BASELINES = Map.of(
            "MaskingBenchmark.wordAtATime", "MaskingBenchmark.byteLoop",
            "Utf8Benchmark.utf8ValidatorIsValid", "Utf8Benchmark.charsetDecoder",
            "Utf8Benchmark.utf8ValidatorIncremental", "Utf8Benchmark.charsetDecoder",
            "FrameDecodeBenchmark.wsreactorDecoder", "FrameDecodeBenchmark.nettyDecoder");

    private JmhTable() {
    }

    /** One benchmark with one set of parameters. */
    private static final class Row {
        final String name;
        final String params;
        double score;
        String unit;
        double bytesPerOp = Double.NaN;

        Row(String name, String params) {
            this.name = name;
            this.params = params;
        }
    }

    /**
     * Prints the table and, when a second argument is given, writes it there too.
     *
     * @param args the CSV file, and optionally the markdown file to write
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String table = table(lines);
        System.out.println(table);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), table);
        }
    }

    static String table(List<String> lines) {
        List<String> header = split(lines.get(0));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(line);
            String benchmark = cells.get(0);
            StringBuilder params = new StringBuilder();
            for (int i = 7; i < cells.size() && i < header.size(); i++) {
                if (!cells.get(i).isEmpty()) {
                    params.append(params.length() == 0 ? "" : ", ")
                            .append(header.get(i).replace("Param: ", "")).append('=').append(cells.get(i));
                }
            }
            String secondary = null;
            int colon = benchmark.indexOf(':');
            if (colon > 0) {
                secondary = benchmark.substring(colon + 1);
                benchmark = benchmark.substring(0, colon);
            }
            String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            Row row = rows.computeIfAbsent(shortName + "|" + params, k -> new Row(shortName, params.toString()));
            double value = Double.parseDouble(cells.get(4));
            if (secondary == null) {
                row.score = value;
                row.unit = cells.get(6);
            } else if (secondary.equals("gc.alloc.rate.norm")) {
                row.bytesPerOp = value;
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| benchmark | parameters | score | unit | derived | B/op | speed-up over the plain approach |\n");
        md.append("|---|---|--:|---|--:|--:|--:|\n");
        for (Row row : rows.values()) {
            String baseline = BASELINES.get(row.name);
            String speedUp = "";
            if (baseline != null) {
                Row base = rows.get(baseline + "|" + row.params);
                if (base != null && row.score > 0) {
                    // Scores here are times per operation: the speed-up is the baseline's time over ours.
                    speedUp = String.format(Locale.ROOT, "%.2f× %s", base.score / row.score,
                            baseline.substring(baseline.indexOf('.') + 1));
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", row.name, row.params,
                    number(row.score), row.unit, derived(row), Double.isNaN(row.bytesPerOp) ? "" : number(
                            row.bytesPerOp < 0.5 ? 0 : row.bytesPerOp), speedUp));
        }
        return md.toString();
    }

    private static String derived(Row row) {
        if (!row.unit.equals("ns/op") || row.score <= 0 || row.name.endsWith("writeHeaderOnly")) {
            return "";
        }
        double perSecond = 1e9 / row.score;
        if (row.name.startsWith("FrameDecodeBenchmark") && row.params.contains("large")) {
            return String.format(Locale.ROOT, "%,.0f MB/s", perSecond * 65536 / 1e6);
        }
        if (row.name.startsWith("FrameDecodeBenchmark")) {
            return String.format(Locale.ROOT, "%,.0f frames/s", perSecond);
        }
        if (row.name.startsWith("Utf8Benchmark")) {
            return String.format(Locale.ROOT, "%,.0f MB/s", perSecond * 4096 / 1e6);
        }
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("size=(\\d+)").matcher(row.params);
        if (size.find()) {
            return String.format(Locale.ROOT, "%,.0f MB/s", perSecond * Long.parseLong(size.group(1)) / 1e6);
        }
        return "";
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Splits one CSV line; JMH quotes every text field and none of them holds a quote. */
    private static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
