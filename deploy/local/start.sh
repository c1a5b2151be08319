#!/usr/bin/env bash
# Builds and starts the whole Coalition Tracker on this machine: a real Kafka broker (KRaft, from Maven Central),
# the three services on the local PostgreSQL, and prints where to find them. Running it again starts only what is
# not running. deploy/local/stop.sh stops what it started.
#
# Settings (environment): COALITION_HOME (state, logs, broker data; default ~/.coalition-tracker),
# KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), MEMBERSHIP_HTTP_PORT (8081), METRICS_HTTP_PORT (8082),
# REPORTING_HTTP_PORT (8083), MEMBERSHIP_MANAGEMENT_PORT (9081), METRICS_MANAGEMENT_PORT (9082),
# REPORTING_MANAGEMENT_PORT (9083; health, metrics and Swagger UI), POSTGRES_HOST (127.0.0.1), POSTGRES_PORT (5432),
# POSTGRES_USER (postgres), POSTGRES_PASSWORD (empty). To send traces to an OpenTelemetry Collector (or any OTLP
# backend): OTEL_SDK_DISABLED=false OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 deploy/local/start.sh (the
# services read both from the environment; tracing is off otherwise).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE=${COALITION_HOME:-$HOME/.coalition-tracker}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
export MEMBERSHIP_HTTP_PORT=${MEMBERSHIP_HTTP_PORT:-8081}
export METRICS_HTTP_PORT=${METRICS_HTTP_PORT:-8082}
export REPORTING_HTTP_PORT=${REPORTING_HTTP_PORT:-8083}
export MEMBERSHIP_MANAGEMENT_PORT=${MEMBERSHIP_MANAGEMENT_PORT:-9081}
export METRICS_MANAGEMENT_PORT=${METRICS_MANAGEMENT_PORT:-9082}
export REPORTING_MANAGEMENT_PORT=${REPORTING_MANAGEMENT_PORT:-9083}
export POSTGRES_HOST=${POSTGRES_HOST:-127.0.0.1}
export POSTGRES_PORT=${POSTGRES_PORT:-5432}
export POSTGRES_USER=${POSTGRES_USER:-postgres}
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
export MEMBERSHIP_URL=http://127.0.0.1:$MEMBERSHIP_HTTP_PORT
# Logs in plain text, for a person to read (pods log JSON lines, for a log collector).
export QUARKUS_LOG_CONSOLE_JSON_ENABLED=${QUARKUS_LOG_CONSOLE_JSON_ENABLED:-false}
SERVICES=(membership-service metrics-service reporting-service)

mkdir -p "$STATE/logs" "$STATE/pids"

say() { printf '%s\n' "$*"; }
die() { printf 'start.sh: %s\n' "$*" >&2; exit 1; }
running() { local pid_file="$STATE/pids/$1.pid"; [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }
# port_of SERVICE [HTTP|MANAGEMENT]: the port the service listens on, e.g. MEMBERSHIP_HTTP_PORT's value.
port_of() {
  local variable
  variable=$(tr 'a-z' 'A-Z' <<<"${1%-service}")_${2:-HTTP}_PORT
  echo "${!variable}"
}
# wait_for SECONDS DESCRIPTION COMMAND...: retries the command until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
psql_admin() { psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -tAqc "$1"; }

command -v java >/dev/null || die "Java 17 is needed (apt-get install openjdk-17-jdk-headless)"
command -v psql >/dev/null || die "the PostgreSQL client is needed (apt-get install postgresql-client)"
command -v openssl >/dev/null || die "openssl is needed for the development token keys (apt-get install openssl)"

# 0. A development key pair for bearer tokens, outside the repository (deploy/local/token.sh signs with it).
if [ ! -f "$STATE/jwt/privateKey.pem" ]; then
  mkdir -p "$STATE/jwt"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$STATE/jwt/privateKey.pem" 2>/dev/null
  openssl pkey -in "$STATE/jwt/privateKey.pem" -pubout -out "$STATE/jwt/publicKey.pem"
  chmod 600 "$STATE/jwt/privateKey.pem"
fi
export MP_JWT_VERIFY_PUBLICKEY_LOCATION="$STATE/jwt/publicKey.pem"

# 1. PostgreSQL, and one database per service.
if ! pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT"; then
  if [ "$POSTGRES_HOST" = 127.0.0.1 ] && command -v pg_ctlcluster >/dev/null; then
    say "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    wait_for 30 PostgreSQL pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" || die "PostgreSQL did not start"
  else
    die "PostgreSQL is not reachable at $POSTGRES_HOST:$POSTGRES_PORT"
  fi
fi
for db in membership metrics reporting; do
  if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    say "Creating database $db"
    # In the deployment's locale (deploy/kubernetes/base/postgres/clusters.yaml).
    psql_admin "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
  fi
done

# 2. Build what is missing (the first build downloads dependencies from Maven Central: a few minutes).
needs_start=false
running kafka || needs_start=true
for service in "${SERVICES[@]}"; do running "$service" || needs_start=true; done
if $needs_start; then
  say "Building (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests) || die "the build failed"
fi

# 3. The Kafka broker.
if ! running kafka; then
  say "Starting Kafka on $KAFKA_BOOTSTRAP_SERVERS (data in $STATE/kafka)"
  : > "$STATE/logs/kafka.log"
  nohup java -Xms128m -Xmx512m \
    -cp "$ROOT/local-kafka/target/classes:$ROOT/local-kafka/target/broker-lib/*" \
    org.coalitiontracker.localkafka.LocalKafka --dir "$STATE/kafka" \
    --port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT" \
    >>"$STATE/logs/kafka.log" 2>&1 &
  echo $! > "$STATE/pids/kafka.pid"
  wait_for 90 Kafka grep -q "Local Kafka ready" "$STATE/logs/kafka.log" \
    || die "Kafka did not start; see $STATE/logs/kafka.log"
fi

# 4. The services, from their packaged jars, with the image's JVM settings (deploy/container/jvm.env, exported as the
#    image's entrypoint does) as if in a pod limited to 512Mi.
for service in "${SERVICES[@]}"; do
  if ! running "$service"; then
    say "Starting $service on port $(port_of "$service")"
    # shellcheck disable=SC1091,SC2086 # jvm.env is the repository's; the options are words
    (set -a && . "$ROOT/deploy/container/jvm.env" && set +a \
      && exec nohup java -XX:MaxRAM=512m $JAVA_OPTS_APPEND -jar "$ROOT/$service/target/quarkus-app/quarkus-run.jar") \
      >"$STATE/logs/$service.log" 2>&1 &
    echo $! > "$STATE/pids/$service.pid"
  fi
done
for service in "${SERVICES[@]}"; do
  port=$(port_of "$service" MANAGEMENT)
  wait_for 120 "$service" curl -sf "http://127.0.0.1:$port/q/health/ready" \
    || die "$service is not ready; see $STATE/logs/$service.log"
done

# 5. The coalition's roster (33 clusters as of January 2025, figures apportioned). The import is idempotent: on
#    later starts every row is reported as already present.
say "Loading the roster ($(($(wc -l < "$ROOT/deploy/local/coalition-roster.csv") - 1)) clusters)"
summary=$(curl -sf -X POST "http://127.0.0.1:$MEMBERSHIP_HTTP_PORT/clusters/import" -H 'Content-Type: text/csv' \
  -H "Authorization: Bearer $("$ROOT/deploy/local/token.sh")" \
  --data-binary @"$ROOT/deploy/local/coalition-roster.csv") || die "the roster import failed"
say "  $(grep -o '"joined":[0-9]*,"alreadyPresent":[0-9]*,"rejected":[0-9]*' <<<"$summary" | tr -d '"' | sed 's/,/, /g')"
coalition_has_roster() {
  local clusters
  clusters=$(curl -sf "http://127.0.0.1:$REPORTING_HTTP_PORT/coalition" | grep -o '"clusters":[0-9]*' | cut -d: -f2)
  [ "${clusters:-0}" -ge 33 ]
}
wait_for 60 "the totals" coalition_has_roster || die "the roster did not reach GET /coalition; see $STATE/logs"

cat <<MSG

The Coalition Tracker is running (logs in $STATE/logs, stop with deploy/local/stop.sh):
  Dashboard          http://127.0.0.1:$REPORTING_HTTP_PORT/
  Coalition totals   http://127.0.0.1:$REPORTING_HTTP_PORT/coalition   (live: /coalition/stream; history: /coalition/history)
  Get a token        TOKEN=\$(deploy/local/token.sh)      (role publisher, 12 hours; writes need it)
  Join a cluster     curl -i -X POST http://127.0.0.1:$MEMBERSHIP_HTTP_PORT/clusters -H 'Content-Type: application/json' \\
                       -H "Authorization: Bearer \$TOKEN" \\
                       -d '{"name": "Pilbara Hydrogen Hub", "country": "AU", "joinedOn": "2025-06-30", "sectors": ["HYDROGEN"],
                            "emissionsReductionMtPerYear": 15.846, "jobs": 69231, "gdpUsdBn": 10.000}'
  Running totals     http://127.0.0.1:$METRICS_HTTP_PORT/totals   (against the roster: /reconciliation)
  Roster             http://127.0.0.1:$MEMBERSHIP_HTTP_PORT/clusters
  API docs           http://127.0.0.1:{$MEMBERSHIP_MANAGEMENT_PORT,$METRICS_MANAGEMENT_PORT,$REPORTING_MANAGEMENT_PORT}/q/swagger-ui
  Health, metrics    http://127.0.0.1:{$MEMBERSHIP_MANAGEMENT_PORT,$METRICS_MANAGEMENT_PORT,$REPORTING_MANAGEMENT_PORT}/q/health, /q/metrics
  Kafka              $KAFKA_BOOTSTRAP_SERVERS
MSG
