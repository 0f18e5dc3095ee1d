# Sourced by the HTTP benchmarks: starts the built jar on a fresh PostgreSQL database and creates one project.
# usage: source bench/server.sh <database> <port>   → sets PORT, SERVER (pid, killed on exit) and KEY (project key)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
BENCH_DB=$1; PORT=$2; BENCH_ROOT=bench-root-$$
psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $BENCH_DB with (force)" \
  -c "create database $BENCH_DB" 2>/dev/null
TESSERA_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$BENCH_DB TESSERA_DATABASE_USER=postgres \
  TESSERA_ROOT_KEY=$BENCH_ROOT TESSERA_PORT=$PORT "$JAVA_HOME/bin/java" -jar target/tessera.jar \
  >"target/$BENCH_DB-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 60); do curl -fs "localhost:$PORT/health" >/dev/null && break; sleep 1; done
KEY=$(curl -fs -X POST "localhost:$PORT/v1/projects" -H "Authorization: Bearer $BENCH_ROOT" -H "Content-Type: application/json" -d '{"name":"bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
