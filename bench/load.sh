#!/usr/bin/env bash
# Load run of the HTTP API on PostgreSQL: starts the built jar on a fresh database, runs ApiLoadBenchmark.
# usage: bench/load.sh [clients] [requests] [limit]      (needs ./mvnw package and PostgreSQL on 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
DB=tessera_load
psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test >/dev/null
./mvnw -q -B test-compile
PORT=18090; KEY=load-root
TESSERA_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$DB TESSERA_DATABASE_USER=postgres TESSERA_ROOT_KEY=$KEY \
  TESSERA_PORT=$PORT "$JAVA_HOME/bin/java" -jar target/tessera.jar >target/load-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 60); do curl -fs localhost:$PORT/health >/dev/null && break; sleep 1; done
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/test.classpath)" \
  io.tessera.bench.ApiLoadBenchmark "http://127.0.0.1:$PORT" $KEY "${1:-32}" "${2:-20000}" "${3:-15000}"
