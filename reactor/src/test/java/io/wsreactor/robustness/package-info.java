/**
 * Robustness proofs of issue 6, over real sockets on 127.0.0.1, through the public API only: slow consumers under
 * each policy with heap bounds ({@code SlowConsumerHeapTest}), a flooding client nobody reads
 * ({@code FloodingClientTest}), dead peers and keepalive ({@code KeepaliveDeadPeerTest}), seeded fuzzing of
 * handshakes and frame streams ({@code HostileInputFuzzTest}) and of PROXY protocol headers
 * ({@code ProxyHeaderSocketFuzzTest}), slowloris and empty-fragment floods
 * ({@code SlowlorisAndTinyFragmentsTest}), thousands of connections without fd or heap leaks and
 * {@code maxConnections} ({@code ManyConnectionsTest}), application faults ({@code UserFaultsTest}), graceful
 * shutdown, in this JVM and in a separate one ({@code GracefulShutdownTest}), the ends of connections and servers in
 * rarer states ({@code EndOfLifeTest}), and concurrent application calls racing misbehaving clients
 * ({@code ConcurrentChaosTest}, narrowed to one race in {@code WriteCloseRaceTest}). The counters of
 * {@code WsServer.stats()} are checked along the way. Tests take their server from {@code StartedServer}, a JUnit
 * extension that shuts it down after the test.
 *
 * <p>Switches (system properties, passed through by Maven: {@code mvn test -Dwsreactor.full=true}):
 * <ul>
 *   <li>{@code wsreactor.full=true}: ManyConnectionsTest opens 10,000 connections per round instead of 2,000 (fewer
 *       when the open-file limit cannot hold two fds per connection; it says so on stdout).</li>
 *   <li>{@code wsreactor.fuzz.cases=N} (default 3000) and {@code wsreactor.fuzz.seed=S}: the fuzz test's size and
 *       seed; a failing case is reported with its seed.</li>
 * </ul>
 *
 * <p>The soak ({@link io.wsreactor.robustness.SoakMain}) is not a test: run {@code bench/soak/run.sh}.
 */
package io.wsreactor.robustness;

import io.wsreactor.StartedServer;
