#!/usr/bin/env bash
# Benchmark: joins/s and p50/p99 latency of POST /clusters at rising concurrency, next to its fair peer (benchmarks/
# join-peer: one Panache entity persisted per POST, as Quarkus' rest-heroes does) and, as limits, the cheapest request
# and a plain single-row INSERT on the same PostgreSQL; then the CPU a join costs in the service, PostgreSQL and Kafka.
# Starts its own broker, databases and services; the development stack is not touched. Options:
#   LEVELS             concurrencies, default 1,4,16,32 (more would pass PostgreSQL's 100 connections)
#   SECONDS_PER_LEVEL  one round, default 10
#   ROUNDS             rounds membership-service and its peer take in turn at each level (the median counts), default 3
#   PROFILE=true       both services record a Java Flight Recording from their start, to target/recordings, and the
#                      harness prints where their CPU went
set -euo pipefail
exec "$(dirname "$0")/harness.sh" JoinThroughput -Dlevels="${LEVELS:-1,4,16,32}" \
  -Dseconds="${SECONDS_PER_LEVEL:-10}" -Drounds="${ROUNDS:-3}" -Dprofile="${PROFILE:-}"
