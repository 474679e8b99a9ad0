#!/usr/bin/env bash
# The JMH microbenchmarks of wsreactor's codecs, each beside the plain approach, with -prof gc (bytes per op).
# Builds jmh/target-bench/benchmarks.jar, runs it, prints a markdown table and keeps it in bench/results/jmh.md.
#   bench/jmh.sh                      # the whole suite (about 8 minutes)
#   bench/jmh.sh Masking -wi 1 -i 2   # any JMH arguments: a benchmark regex, fewer iterations, ...
set -euo pipefail
cd "$(dirname "$0")/.."
SUFFIX=-bench
mvn -B -q -Dwsr.build.suffix="$SUFFIX" -pl jmh -am package -DskipTests
JAR="jmh/target$SUFFIX/benchmarks.jar"
mkdir -p bench/results
java -jar "$JAR" -prof gc -rf csv -rff bench/results/jmh.csv "$@"
java -cp "$JAR" io.wsreactor.jmh.JmhTable bench/results/jmh.csv bench/results/jmh.md
