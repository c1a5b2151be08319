#!/usr/bin/env bash
# What every benchmarks/*.sh runs: builds the services and the harnesses, then one harness class (its first argument)
# with the options that follow (-Dname=value), in a JVM of HARNESS_HEAP (1g) run by HARNESS_JAVA (java).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./mvnw -B -q package -DskipTests -pl benchmarks -am
harness=$1
shift
exec "${HARNESS_JAVA:-java}" -Xmx"${HARNESS_HEAP:-1g}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dlocal-kafka.home="$ROOT/local-kafka/target" -Dcoalition.root="$ROOT" "$@" \
  -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" "org.coalitiontracker.benchmarks.$harness"
