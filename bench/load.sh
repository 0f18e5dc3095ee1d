#!/usr/bin/env bash
# The project's own load generator in one command (docs/performance.md, "The load generator"): builds the jar, starts
# it on a fresh PostgreSQL database (real clock), runs `tessera load --scenario all` against it with the PostgreSQL
# floor on the same database, and stops the server.
# usage: bench/load.sh [duration=20s] [concurrency=16] [warmup=60s] [more tessera load options, e.g. --json,
#        --rate 300 or --rate-of-floor 0.5 for the open loop at a fixed rate]
# TESSERA_LOAD_SCENARIO: the scenarios (default all); TESSERA_LOAD_SERVER_JAVA_OPTS, TESSERA_LOAD_CLIENT_JAVA_OPTS: JVM
# options for the server and for the load generator, e.g. a GC log or a flight recording:
#   "-Xlog:gc*:file=target/gc.log -XX:StartFlightRecording=filename=target/server.jfr,settings=profile"
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
DURATION=${1:-20s}; CONCURRENCY=${2:-16}; WARMUP=${3:-60s}; shift $(( $# < 3 ? $# : 3 ))
DB=${TESSERA_LOAD_DB:-tessera_load_bench}; PORT=${TESSERA_LOAD_PORT:-18096}; ROOT=load-root-$$
URL=jdbc:postgresql://127.0.0.1:5432/$DB
./mvnw -q -B package -DskipTests
psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
TESSERA_DATABASE_URL=$URL TESSERA_DATABASE_USER=postgres TESSERA_ROOT_KEY=$ROOT TESSERA_PORT=$PORT \
  TESSERA_TEST_CLOCK=false java ${TESSERA_LOAD_SERVER_JAVA_OPTS:-} -jar target/tessera.jar >"target/$DB-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "localhost:$PORT/health" >/dev/null && break; sleep 1; done
java ${TESSERA_LOAD_CLIENT_JAVA_OPTS:-} -jar target/tessera.jar load --url "http://127.0.0.1:$PORT" --key "$ROOT" \
  --database-url "$URL" --database-user postgres --scenario "${TESSERA_LOAD_SCENARIO:-all}" --duration "$DURATION" \
  --concurrency "$CONCURRENCY" --warmup "$WARMUP" "$@"
