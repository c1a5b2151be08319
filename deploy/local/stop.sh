#!/usr/bin/env bash
# Stops what deploy/local/start.sh started, by the PIDs it recorded; or only the ones named, e.g.
# `deploy/local/stop.sh metrics-service`. Data (databases, broker) is kept.
set -uo pipefail

STATE=${COALITION_HOME:-$HOME/.coalition-tracker}

stop() {
  local name=$1 pid_file="$STATE/pids/$1.pid"
  [ -f "$pid_file" ] || return 0
  local pid; pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    printf 'Stopping %s (pid %s)\n' "$name" "$pid"
    kill "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pid_file"
}

# Consumers and producers first, so that they leave the broker cleanly.
for name in ${@:-reporting-service metrics-service membership-service kafka}; do
  stop "$name"
done
