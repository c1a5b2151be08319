#!/usr/bin/env bash
# Benchmark (issue: metrics-service): events/s at which metrics-service applies cluster-events, next to Kafka's consumer
# perf tool and a Kafka Streams aggregation of the same totals on the same topic (exactly-once with its defaults,
# exactly-once committing every second, at-least-once). Starts its own broker, database and
# service; the development stack is not touched. Options: EVENTS measured (default 200000), WARM_UP events before them
# (default 200000), RUNS of metrics-service, whose median counts (default 3), METRICS_MAX_BATCH (default 10000), PEERS
# (default true; false measures metrics-service alone), COMPARE_TRACING (default false; true measures metrics-service
# alone, with tracing off and on in alternate runs, and prints the ratio).
set -euo pipefail
HARNESS_HEAP=2g exec "$(dirname "$0")/harness.sh" TotalsThroughput -Dwarm-up="${WARM_UP:-200000}" \
  -Devents="${EVENTS:-200000}" -Dpeers="${PEERS:-true}" -Dcompare-tracing="${COMPARE_TRACING:-false}" \
  -Druns="${RUNS:-3}"
