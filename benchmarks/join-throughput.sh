#!/usr/bin/env bash
# Benchmark (issue: membership-service): joins/s and p50/p99 latency of POST /clusters at rising concurrency, next to
# plain single-row INSERTs on the same PostgreSQL. Starts its own broker, database and membership-service; the
# development stack is not touched. Options: LEVELS (default 1,4,16,64), SECONDS_PER_LEVEL (default 10).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./mvnw -B -q package -DskipTests -pl benchmarks -am
exec java -Dlocal-kafka.home="$ROOT/local-kafka/target" -Dcoalition.root="$ROOT" \
  -Dlevels="${LEVELS:-1,4,16,64}" -Dseconds="${SECONDS_PER_LEVEL:-10}" \
  -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  org.coalitiontracker.benchmarks.JoinThroughput
