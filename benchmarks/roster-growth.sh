#!/usr/bin/env bash
# Benchmark (issue: a million clusters): grows a synthetic roster (reproducible from SEED) through
# POST /clusters/import to each of SIZES (the last fifth of each step, at most 50,000 rows, with metrics-service and
# reporting-service paused: membership-service's own rate, then theirs on the backlog), and measures at each size the
# reads of reporting-service (the totals as of a date, the history, the breakdowns now and as of a date, the export,
# the directory's search and pages, what the dashboard asks for when it opens, and the refresh of DASHBOARDS (16) open
# dashboards after each of 10 changes, next to the same burst of requests to a constant endpoint) and each service's
# resident memory; prints a table with the growth from the first size to the last. Starts its own broker, databases and services; the
# development stack is not touched. At each size it also rebuilds metrics-service and reporting-service from
# cluster-events and times them, with their CPU and their GC pauses. Options: SIZES (10000,100000,1000000), REQUESTS
# per read (100), SEED, REBUILD (true), REBUILDS (1: how many times both are rebuilt at the last size; the table
# shows the median), PROFILE (false; true
# records the services with Java Flight Recorder from their start and prints where metrics-service's and
# reporting-service's CPU went at the last size: as they took in the backlog, and in their first rebuild), MEMORY (false;
# true runs the services with Native Memory Tracking and prints, at each size, what their resident memory holds),
# PEER (settings such as METRICS_CONSUMERS=1 that the services get in every second rebuild round of the last size; those
# rounds show on lines of their own).
set -euo pipefail
exec "$(dirname "$0")/harness.sh" RosterGrowth -Dsizes="${SIZES:-10000,100000,1000000}" \
  -Drequests="${REQUESTS:-100}" -Ddashboards="${DASHBOARDS:-16}" -Dseed="${SEED:-20261203}" \
  -Drebuild="${REBUILD:-true}" -Drebuilds="${REBUILDS:-1}" -Dprofile="${PROFILE:-false}" \
  -Dmemory="${MEMORY:-false}" -Dpeer="${PEER:-}"
