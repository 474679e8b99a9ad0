package io.wsreactor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * An SVG chart of one comparison run: for each scenario, one panel of throughput per server CPU-second (higher is
 * better) and one of p99 latency (lower is better; S5: heap bytes per idle connection), a bar per server.
 */
final class Chart {
    private static final int PANEL_WIDTH = 540;
    private static final int LABEL_WIDTH = 170;
    private static final int BAR_HEIGHT = 18;
    private static final int GAP = 6;

    private final Map<Target, Map<Scenario, Cell>> cells;

    Chart(Map<Target, Map<Scenario, Cell>> cells) {
        this.cells = cells;
    }

    String svg() {
        int rows = cells.size();
        int panelHeight = 40 + rows * (BAR_HEIGHT + GAP);
        StringBuilder body = new StringBuilder();
        int y = 50;
        for (Scenario scenario : Scenario.values()) {
            List<Cell> column = new ArrayList<>();
            for (Map<Scenario, Cell> row : cells.values()) {
                Cell cell = row.get(scenario);
                if (cell != null) {
                    column.add(cell);
                }
            }
            if (column.isEmpty()) {
                continue;
            }
            String left;
            String right;
            ToDoubleFunction<Cell> rightMetric;
            String unit;
            switch (scenario) {
                case S3 -> {
                    left = "S3 payload MB per server CPU-second";
                    right = "S3 p99 latency (µs)";
                    rightMetric = c -> c.micros(99);
                    unit = "";
                }
                case S5 -> {
                    left = "S5 handshakes per server CPU-second";
                    right = "S5 heap bytes per idle connection";
                    rightMetric = Cell::heapBytesPerConnection;
                    unit = " B";
                }
                default -> {
                    left = scenario + " messages per server CPU-second";
                    right = scenario + " p99 latency (µs)";
                    rightMetric = c -> c.micros(99);
                    unit = "";
                }
            }
            panel(body, 10, y, left + " — higher is better", column, Cell::perCpuSecond, "");
            panel(body, 20 + PANEL_WIDTH, y, right + " — lower is better", column, rightMetric, unit);
            y += panelHeight;
        }
        int width = 30 + 2 * PANEL_WIDTH;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + (y + 10)
                + "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                + "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">wsreactor vs Netty, Java-WebSocket "
                + "and the plain TCP echo (server on 1 CPU)</text>\n"
                + body + "</svg>\n";
    }

    private static void panel(StringBuilder svg, int x, int y, String title, List<Cell> column,
            ToDoubleFunction<Cell> metric, String unit) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x, y + 14,
                escape(title)));
        double max = 0;
        for (Cell cell : column) {
            if (cell.ok()) {
                max = Math.max(max, metric.applyAsDouble(cell));
            }
        }
        int barSpace = PANEL_WIDTH - LABEL_WIDTH - 90;
        int rowY = y + 26;
        for (Cell cell : column) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x, rowY + 13,
                    escape(cell.target().label())));
            double value = cell.ok() ? metric.applyAsDouble(cell) : -1;
            if (value >= 0 && max > 0) {
                int width = (int) Math.max(1, Math.round(barSpace * value / max));
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                        x + LABEL_WIDTH, rowY, width, BAR_HEIGHT, cell.target().color()));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s%s</text>%n",
                        x + LABEL_WIDTH + width + 4, rowY + 13, format(value), unit));
            } else {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#b00\">%s</text>%n",
                        x + LABEL_WIDTH, rowY + 13, cell.ok() ? "n/a" : "failed"));
            }
            rowY += BAR_HEIGHT + GAP;
        }
    }

    private static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
