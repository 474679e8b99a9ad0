#!/usr/bin/env bash
# The soak (issue 6, point 9): 1000 connections echoing at a moderate rate with random connects and disconnects,
# 10 minutes by default; prints per minute heap after GC, fd count, messages/s, errors.
#   bench/soak/run.sh [--minutes N] [--connections N] [--rate MSGS_PER_S_PER_CONN] [--churn PERCENT_PER_S] [--seed N]
#                     [--reactors N]
# Builds the reactor module's test classes into reactor/target-soak (its own folder, beside parallel builds), then
# runs io.wsreactor.robustness.SoakMain on the class path. Exit status 1 when any echo or connect failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
suffix=-soak
mvn -B -q -o -Dwsr.build.suffix=$suffix -pl testkit,reactor -am test-compile 2>/dev/null \
  || mvn -B -q -Dwsr.build.suffix=$suffix -pl testkit,reactor -am test-compile
cp="reactor/target$suffix/test-classes:reactor/target$suffix/classes"
cp="$cp:frame/target$suffix/classes:handshake/target$suffix/classes:testkit/target$suffix/classes"
exec java -Xmx1g -XX:+UseG1GC -cp "$cp" io.wsreactor.robustness.SoakMain "$@"
