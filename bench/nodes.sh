#!/usr/bin/env bash
# Throughput by node count (docs/scaling.md): for N = 1..MAX nodes, starts N servers (real clock) on one fresh
# PostgreSQL database and drives them with `tessera load`, requests spread round robin over the nodes, for the
# redemption scenarios (a hot code with a redemption limit; a per-customer limit, one customer per request), every
# redemption with an Idempotency-Key. Prints one report per node count.
# usage: bench/nodes.sh [max nodes=3] [duration=15s] [concurrency=24] [warmup=5s]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
MAX=${1:-3}; DURATION=${2:-15s}; CONCURRENCY=${3:-24}; WARMUP=${4:-5s}
DB=${TESSERA_LOAD_DB:-tessera_nodes_bench}; BASE_PORT=${TESSERA_LOAD_PORT:-18196}; ROOT=nodes-root-$$
URL=jdbc:postgresql://127.0.0.1:5432/$DB
POOL=${TESSERA_DATABASE_POOL_SIZE:-10}
[ -f target/tessera.jar ] || ./mvnw -q -B package -DskipTests
PIDS=()
stop_nodes() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
trap stop_nodes EXIT
for n in $(seq 1 "$MAX"); do
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
  URLS=()
  for i in $(seq 1 "$n"); do
    port=$((BASE_PORT + i))
    TESSERA_DATABASE_URL=$URL TESSERA_DATABASE_USER=postgres TESSERA_ROOT_KEY=$ROOT TESSERA_PORT=$port \
      TESSERA_DATABASE_POOL_SIZE=$POOL TESSERA_TEST_CLOCK=false java -jar target/tessera.jar >"target/$DB-node$i.log" 2>&1 &
    PIDS+=($!)
    URLS+=("http://127.0.0.1:$port")
    # One at a time: the first node migrates the fresh database.
    for _ in $(seq 1 90); do curl -fs "localhost:$port/health" >/dev/null && break; sleep 1; done
  done
  LIST=$(IFS=,; echo "${URLS[*]}")
  for scenario in redeem-hot redeem-distinct; do
    echo "== $n node(s), $scenario"
    java -jar target/tessera.jar load --url "$LIST" --key "$ROOT" --scenario "$scenario" --duration "$DURATION" \
      --concurrency "$CONCURRENCY" --warmup "$WARMUP"
  done
  stop_nodes
done
