package io.wsreactor.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * What a connection sent and received, in order, with milliseconds since it opened: the evidence a failing case
 * prints. Long runs (thousands of frames) keep their first and last entries only.
 */
final class Transcript {
    private static final int KEEP_HEAD = 40;
    private static final int KEEP_TAIL = 40;

    private final long startNanos = System.nanoTime();
    private final List<String> head = new ArrayList<>();
    private final List<String> tail = new ArrayList<>();
    private long dropped;

    void sent(String what) {
        add("-> " + what);
    }

    void received(String what) {
        add("<- " + what);
    }

    void note(String what) {
        add("   " + what);
    }

    private void add(String line) {
        String stamped = String.format("%7.1f ms  %s", (System.nanoTime() - startNanos) / 1e6, line);
        if (head.size() < KEEP_HEAD) {
            head.add(stamped);
            return;
        }
        tail.add(stamped);
        if (tail.size() > KEEP_TAIL) {
            tail.remove(0);
            dropped++;
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        head.forEach(line -> text.append("    ").append(line).append('\n'));
        if (dropped > 0) {
            text.append("    ... ").append(dropped).append(" more ...\n");
        }
        tail.forEach(line -> text.append("    ").append(line).append('\n'));
        return text.toString();
    }
}
