#!/usr/bin/env bash
# Benchmark (issue: performance): each service's resident memory and the JVM's account of it (heap, metaspace,
# threads, code, direct buffers), idle with the roster and after joins with stream clients listening, with the JVM
# settings the deployment uses. Starts its own broker, databases and services; the development stack is not touched.
# Options: IDLE_SECONDS (30), LOAD_SECONDS (60), CONCURRENCY (16), CLIENTS (1000 stream clients), SERVICE_JAVA_OPTIONS
# (flags added to the deployment's, to try them).
set -euo pipefail
exec "$(dirname "$0")/harness.sh" Footprint -Didle-seconds="${IDLE_SECONDS:-30}" \
  -Dload-seconds="${LOAD_SECONDS:-60}" -Dconcurrency="${CONCURRENCY:-16}" -Dclients="${CLIENTS:-1000}" \
  -Dservice-java-options="${SERVICE_JAVA_OPTIONS:-}"
