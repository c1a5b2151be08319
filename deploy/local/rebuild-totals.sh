#!/usr/bin/env bash
# Recomputes metrics-service's totals from the start of cluster-events: stops it, forgets its totals and consumer
# positions (SQL: SELECT forget_totals(), which keeps the version sequence so that readers take the rebuilt totals),
# starts it again, and waits until its coalition totals equal the roster's own sums (GET /reconciliation).
# Settings as for start.sh; METRICS_DB (metrics).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
METRICS_HTTP_PORT=${METRICS_HTTP_PORT:-8082}

"$ROOT/deploy/local/stop.sh" metrics-service
psql -h "${POSTGRES_HOST:-127.0.0.1}" -p "${POSTGRES_PORT:-5432}" -U "${POSTGRES_USER:-postgres}" \
  -d "${METRICS_DB:-metrics}" -tAqc "SELECT forget_totals()" >/dev/null
echo "Forgot the totals; replaying cluster-events from its start"
"$ROOT/deploy/local/start.sh" >/dev/null

deadline=$((SECONDS + 600))
until curl -sf "http://127.0.0.1:$METRICS_HTTP_PORT/reconciliation" | grep -q '"status":"EQUAL"'; do
  if [ $SECONDS -ge $deadline ]; then
    echo "rebuild-totals.sh: the totals did not reach the roster's sums within 10 minutes" >&2
    exit 1
  fi
  sleep 1
done
echo "Rebuilt: the totals equal the roster's sums again (http://127.0.0.1:$METRICS_HTTP_PORT/totals)"
