#!/usr/bin/env bash
# The end-to-end comparison: wsreactor's EchoServer (async, virtual on JDK 21+, threads), Netty 4.2 on one event
# loop, Java-WebSocket 1.6.0 and a plain NIO TCP echo (the limit), scenarios S1-S5, each server in its own JVM
# pinned to CPU 0 and the load generator pinned to CPU 1. Writes bench/results/results.md, results.csv, chart.svg.
#   bench/load.sh            # full run (about 10 minutes on 2 cores: 3 runs of each cell, median kept)
#   bench/load.sh --quick    # smoke run (a few seconds per cell, 1,000 idle connections)
#   bench/load.sh --servers async,netty --scenarios S2,S4 --measure 10
#   bench/load.sh --tls ec      # over wss:// (ECDSA P-256; --tls rsa: RSA 2048): S1, S2, S5, S8, S6, S7
#   bench/load.sh --server-cpus 0,1 --reactors 2 --servers async,netty --scenarios S2,S5   # several cores
# LOAD_CPUS (default 1) is the CPU set of the load generator's JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
SUFFIX=-bench
mvn -B -q -Dwsr.build.suffix="$SUFFIX" -pl bench -am package -DskipTests
JARS=(bench/target"$SUFFIX"/wsreactor-bench-*.jar)
JAR="${JARS[0]}"
# nice -n -20 keeps other work on the machine from starving the two pinned processes (ignored without root).
exec nice -n -20 taskset -c "${LOAD_CPUS:-1}" java -Xms1g -Xmx2g -cp "$JAR" io.wsreactor.bench.Runner --out bench/results "$@"
