#!/usr/bin/env bash
# Benchmark gridserve against a plain-SQL PostgreSQL baseline on the same data, in one run.
#   bench/run.sh --products 1000000 [--runs 200] [--seconds 10] [--skip-baseline] [--skip-cache]
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth), Redis on 127.0.0.1:6379 and wrk. Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed for the throughput runs (Debian: apt-get install wrk)" >&2; exit 2; }
./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/bench.classpath"
JDK=$( (ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null || true) | head -1)
JAVA_BIN=${JAVA_HOME:-$JDK}/bin/java
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
# the service runs from its own copy: rebuilding target/ during a long run must not pull the jar away
cp "$(ls target/gridserve-*.jar | head -1)" bench/target/gridserve-under-test.jar
exec "$JAVA_BIN" -cp "bench/target/classes:$(cat bench/target/bench.classpath)" dev.gridserve.bench.Bench \
  --java "$JAVA_BIN" --jar bench/target/gridserve-under-test.jar "$@"
