#!/usr/bin/env bash
# Benchmark (issue: reporting-service): GET /coalition requests/s and p99 next to a constant JSON endpoint of the same
# server, in alternating rounds after a warm-up, and the time from a join's 201 to the stream update at 1, 100, 1,000
# and 10,000 clients (after 10 changes that are not timed), each next to a plain NIO stream of the same bytes to the same clients (the floor). Starts its own broker, databases and services; the development stack is not touched. Options:
# CONCURRENCY (16), SECONDS_PER_RUN (10), ROUNDS (3), CLIENTS (1,100,1000,10000), JOINS (20 at each
# number of clients; the p99 at 10,000 clients is as good as its few slowest joins), WARM_UP_CHANGES (10 before
# them, not timed; the CPU columns say how much of each source's CPU its JIT compilers still took in the timed ones),
# PROFILE (false; true: reporting-service records a Java Flight Recording from its start, to target/recordings, and
# its hot methods are printed at the end), PEER_JAVA_OPTIONS (options, as JAVA_TOOL_OPTIONS, that reporting-service
# gets in every second run, started afresh; RUNS (1) runs each, taking turns; the medians print side by side).
set -euo pipefail
exec "$(dirname "$0")/harness.sh" ReportingLoad -Dconcurrency="${CONCURRENCY:-16}" \
  -Dseconds="${SECONDS_PER_RUN:-10}" -Drounds="${ROUNDS:-3}" -Dclients="${CLIENTS:-1,100,1000,10000}" \
  -Djoins="${JOINS:-20}" -Dwarm-up-changes="${WARM_UP_CHANGES:-10}" -Dprofile="${PROFILE:-false}" \
  -Druns="${RUNS:-1}" -Dpeer-java-options="${PEER_JAVA_OPTIONS:-}"
