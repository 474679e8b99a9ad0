package io.wsreactor.conformance;

import java.io.IOException;

/** Runs one case on a fresh connection and records its result in the {@link ConformanceReport}. */
final class CaseRunner {
    private CaseRunner() {
    }

    /** Runs {@code conformanceCase} against {@code address}; throws the case's AssertionError when it fails. */
    static void run(ConformanceCase conformanceCase, ServerAddress address) {
        long start = System.nanoTime();
        try {
            runUnrecorded(conformanceCase, address);
            ConformanceReport.record(conformanceCase.id(), conformanceCase.description(), null, System.nanoTime() - start);
        } catch (AssertionError e) {
            ConformanceReport.record(conformanceCase.id(), conformanceCase.description(), e.getMessage(), System.nanoTime() - start);
            throw e;
        }
    }

    private static void runUnrecorded(ConformanceCase conformanceCase, ServerAddress address) {
        RawConnection connection;
        try {
            connection = RawConnection.open(address, conformanceCase.upgradeHeaders());
        } catch (IOException e) {
            throw new AssertionError("Case " + conformanceCase.id() + " FAILED: could not open a WebSocket connection to "
                    + address.url() + ": " + e, e);
        } catch (AssertionError e) {
            throw new AssertionError("Case " + conformanceCase.id() + " FAILED: " + e.getMessage(), e);
        }
        try (connection) {
            CaseSession session = new CaseSession(conformanceCase, connection);
            try {
                conformanceCase.script().run(session);
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw session.failure("the case could not run: " + e);
            }
        }
    }
}
