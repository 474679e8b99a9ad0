#!/usr/bin/env bash
# The fan-out comparison: wsreactor's BroadcastServer (async mode, one topic), Netty 4.2 on one event loop with a
# ChannelGroup and one shared encoded buffer, Java-WebSocket's broadcast() and Node ws; one publisher, 1,000
# subscribers, 64 B messages at a fixed rate, then the same with 1 % of the subscribers stalled. Each server pinned to
# CPU 0, the load to CPU 1. Writes bench/results/broadcast.md (about 4 minutes with the defaults).
#   bench/broadcast.sh
#   bench/broadcast.sh --servers wsreactor,netty --rate 2000 --measure 10
# Node ws comes from interop/node_modules (cd interop && npm ci; .ci/run does it); leave out node without it.
set -euo pipefail
cd "$(dirname "$0")/.."
SUFFIX=-bench
mvn -B -q -Dwsr.build.suffix="$SUFFIX" -pl bench -am package -DskipTests
JARS=(bench/target"$SUFFIX"/wsreactor-bench-*.jar)
exec nice -n -20 taskset -c 1 java -Xms1g -Xmx2g -cp "${JARS[0]}" io.wsreactor.bench.BroadcastRunner \
    --out bench/results "$@"
