#!/usr/bin/env bash
# Benchmark: how soon a freshly started membership-service serves joins at speed (joins/s per 10 s window at
# concurrency 16 from the moment it is ready; the window that reaches 80% of the plateau, the plateau, and the joins
# of the first 30 and 60 s). Starts its own broker, database and service; the development stack is not touched.
# Options:
#   RUNS                  fresh starts, the median counts; default 3
#   WINDOWS               10 s windows per start, at least 6; default 18 (the last three make the plateau)
#   SERVICE_JAVA          the java that runs the harness, the broker and the service; default java on the PATH
#   SERVICE_JAVA_OPTIONS  more options for the service's JVM (as JAVA_TOOL_OPTIONS), e.g. -XX:AOTCache=<file>
#   PEER_JAVA_OPTIONS     options that every second start gets instead (RUNS starts each), e.g. a JIT flag: their
#                         medians print apart, with their ratio to the others' in the same run
set -euo pipefail
# The harness runs on SERVICE_JAVA too: it starts membership-service with its own JVM.
HARNESS_JAVA="${SERVICE_JAVA:-java}" exec "$(dirname "$0")/harness.sh" WarmUp -Druns="${RUNS:-3}" \
  -Dwindows="${WINDOWS:-18}" -Dservice-java-options="${SERVICE_JAVA_OPTIONS:-}" \
  -Dpeer-java-options="${PEER_JAVA_OPTIONS:-}"
