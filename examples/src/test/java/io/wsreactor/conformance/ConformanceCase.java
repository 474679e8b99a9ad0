package io.wsreactor.conformance;

import java.time.Duration;
import java.util.Map;

/**
 * One case of the catalogue: an Autobahn-style number, what is sent, what a strict server does, and the script that
 * sends and checks.
 *
 * @param id the case number as in the Autobahn TestSuite, for example {@code "6.4.1"}
 * @param description what the case sends
 * @param expectation what a conforming server must do, strictly
 * @param upgradeHeaders extra headers for the opening handshake (usually none)
 * @param timeout the whole case must finish within this
 * @param script the steps
 */
record ConformanceCase(String id, String description, String expectation, Map<String, String> upgradeHeaders,
        Duration timeout, Script script) {

    /** The steps of a case, run against a connection that has completed its opening handshake. */
    @FunctionalInterface
    interface Script {
        void run(CaseSession session) throws Exception;
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static ConformanceCase of(String id, String description, String expectation, Script script) {
        return new ConformanceCase(id, description, expectation, Map.of(), DEFAULT_TIMEOUT, script);
    }

    ConformanceCase withTimeout(Duration newTimeout) {
        return new ConformanceCase(id, description, expectation, upgradeHeaders, newTimeout, script);
    }

    ConformanceCase withUpgradeHeaders(Map<String, String> headers) {
        return new ConformanceCase(id, description, expectation, headers, timeout, script);
    }

    /** The group number, the part of the id before the first dot. */
    String group() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** The id and description, as shown by JUnit. */
    String displayName() {
        return id + " " + description;
    }
}
