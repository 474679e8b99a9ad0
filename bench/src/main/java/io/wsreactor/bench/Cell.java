package io.wsreactor.bench;

/**
 * One server's result in one scenario.
 *
 * @param target the server
 * @param scenario the scenario
 * @param result what the load generator measured (null if the server could not be run)
 * @param serverCpuSeconds the server's CPU time over the measured window, or -1 if unknown
 * @param heapBytesPerConnection S5: live heap per idle connection after a full GC, or -1
 * @param residentBytesPerConnection S5: resident memory per idle connection, or -1
 * @param error null, or why this cell has no valid result
 * @param work the server's read syscalls, write syscalls and voluntary context switches over the window (or null)
 * @param stormHandshakesPerSecond S7: the storm's handshakes the server answered per second, or -1
 */
record Cell(Target target, Scenario scenario, LoadResult result, double serverCpuSeconds,
        double heapBytesPerConnection, double residentBytesPerConnection, String error, long[] work,
        double stormHandshakesPerSecond) {

    /** A cell without a storm. */
    Cell(Target target, Scenario scenario, LoadResult result, double serverCpuSeconds,
            double heapBytesPerConnection, double residentBytesPerConnection, String error, long[] work) {
        this(target, scenario, result, serverCpuSeconds, heapBytesPerConnection, residentBytesPerConnection, error,
                work, -1);
    }

    /** A cell without work counters. */
    Cell(Target target, Scenario scenario, LoadResult result, double serverCpuSeconds,
            double heapBytesPerConnection, double residentBytesPerConnection, String error) {
        this(target, scenario, result, serverCpuSeconds, heapBytesPerConnection, residentBytesPerConnection, error,
                null);
    }

    /** Server work counter {@code which} (0 reads, 1 writes, 2 wake-ups) per echoed message, or -1 if unknown. */
    double perMessage(int which) {
        if (work == null || work[which] < 0 || result == null || result.messages() == 0) {
            return -1;
        }
        return (double) work[which] / result.messages();
    }

    /** Whether the cell holds a valid measurement. */
    boolean ok() {
        return error == null && result != null && result.ok();
    }

    /** Why the cell is not valid, for the tables. */
    String problem() {
        return error != null ? error : result == null ? "not run" : result.failure();
    }

    /** The server's CPU use over the window as a fraction of one core. */
    double cpuFraction() {
        double seconds = scenario == Scenario.S5 ? result.handshakeSeconds() : result.seconds();
        return serverCpuSeconds <= 0 || seconds <= 0 ? 0 : serverCpuSeconds / seconds;
    }

    /** Messages (S5: handshakes; S3: payload MB) per second of server CPU. */
    double perCpuSecond() {
        if (serverCpuSeconds <= 0) {
            return 0;
        }
        return switch (scenario) {
            case S3 -> result.payloadBytes() / 1e6 / serverCpuSeconds;
            case S5 -> result.connectionsOpened() / serverCpuSeconds;
            default -> result.messages() / serverCpuSeconds;
        };
    }

    /** The latency percentile in microseconds. */
    double micros(double percentile) {
        return result.latency().percentile(percentile) / 1000.0;
    }
}
