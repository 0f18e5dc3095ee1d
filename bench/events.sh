#!/usr/bin/env bash
# Events ingested per second: POST /v1/events (each a new event, which also updates the customer's customer.events
# summary) for a distinct new customer per request, then for one hot customer (every event queues on its row lock),
# with GET /health measured in the same run as the floor (the HTTP stack alone). Starts the built jar on a fresh
# database: PostgreSQL (127.0.0.1:5432) or the embedded H2 file database. wrk: Debian package `wrk`.
# usage: [JAR=target/tessera.jar] bench/events.sh [postgres|h2] [seconds=15] [connections=8]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-postgres}; SECS=${2:-15}; CONN=${3:-8}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}" "${PORT:=18096}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
ROOT_KEY=bench-root-$$
case $DB in
  postgres)
    BENCH_DB=tessera_bench_events
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $BENCH_DB with (force)" \
      -c "create database $BENCH_DB" 2>/dev/null
    URL=jdbc:postgresql://127.0.0.1:5432/$BENCH_DB; USER_=postgres ;;
  h2)
    H2_DIR=$(mktemp -d)
    URL="jdbc:h2:file:$H2_DIR/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
    USER_=sa ;;
  *) echo "usage: bench/events.sh [postgres|h2] [seconds] [connections]" >&2; exit 2 ;;
esac
TESSERA_DATABASE_URL=$URL TESSERA_DATABASE_USER=$USER_ TESSERA_ROOT_KEY=$ROOT_KEY TESSERA_PORT=$PORT \
  "$JAVA_HOME/bin/java" -jar "${JAR:-target/tessera.jar}" >"target/bench-events-$DB-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; [ -n "${H2_DIR:-}" ] && rm -rf "$H2_DIR"' EXIT
for _ in $(seq 1 60); do curl -fs "localhost:$PORT/health" >/dev/null && break; sleep 1; done
KEY=$(curl -fs -X POST "localhost:$PORT/v1/projects" -H "Authorization: Bearer $ROOT_KEY" \
  -H "Content-Type: application/json" -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')

measure() { # label wrk-args...
  local label=$1; shift
  local out
  out=$(wrk -t2 -c"$CONN" -d"${SECS}s" "$@")
  echo "$DB $label: req/s=$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | grep -E '^p50|^unexpected' | head -2)"
}
events() { wrk -t2 -c"$CONN" -d5s -s bench/wrk/events.lua "http://127.0.0.1:$PORT" -- "$KEY" "$1" "warm-$1" >/dev/null; }

echo "== $DB, $CONN connections, ${SECS}s each after a 5 s warm-up"
wrk -t2 -c"$CONN" -d5s "http://127.0.0.1:$PORT/health" >/dev/null
measure "GET /health (floor)" "http://127.0.0.1:$PORT/health"
events distinct
measure "POST /v1/events, distinct customers" -s bench/wrk/events.lua "http://127.0.0.1:$PORT" -- "$KEY" distinct run
events hot
measure "POST /v1/events, one hot customer" -s bench/wrk/events.lua "http://127.0.0.1:$PORT" -- "$KEY" hot run
# Every stored event of the hot customer counted once: its summary's count equals the events listed.
python3 - "$PORT" "$KEY" <<'PY'
import json, sys, urllib.request
port, key = sys.argv[1], sys.argv[2]
def get(path):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {key}"})
    return json.load(urllib.request.urlopen(req))
stored, cursor = 0, None
while True:
    page = get("/v1/customers/hot-customer/events?limit=100" + (f"&cursor={cursor}" if cursor else ""))
    stored += len(page["data"])
    cursor = page.get("nextCursor")
    if not cursor: break
summary = get("/v1/customers/hot-customer").get("events", {}).get("product_viewed", {}).get("count")
print(f"hot customer: {stored} events stored, customer.events.product_viewed.count = {summary}")
PY
