#!/usr/bin/env bash
# Webhook deliveries per second and the lag from commit to delivery: the built jar on a fresh PostgreSQL database
# (default) or H2 (DB=h2), a local receiver, N customers created by C clients, each one a customer.created delivery.
# usage: bench/webhooks.sh            (env: N=2000 C=8 PORT=7315 DB=postgres|h2 PGDB=tessera_test_wh)
set -euo pipefail
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
: "${PORT:=7315}" "${N:=2000}" "${C:=8}" "${DB:=postgres}" "${PGDB:=tessera_test_wh}"
ROOT=bench-root-$$
if [ "$DB" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $PGDB with (force)" -c "create database $PGDB"
  export TESSERA_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$PGDB TESSERA_DATABASE_USER=postgres
else
  DATA=$(mktemp -d); export TESSERA_DATABASE_URL="jdbc:h2:file:$DATA/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
fi
TESSERA_ROOT_KEY=$ROOT TESSERA_PORT=$PORT TESSERA_WEBHOOK_ALLOW_PRIVATE=true \
  "$JAVA_HOME/bin/java" -jar target/tessera.jar >"/tmp/webhook-bench-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do curl -fs "localhost:$PORT/health" >/dev/null && break; sleep 1; done
echo "$DB, $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), TESSERA_SCHEDULER_WORKERS=${TESSERA_SCHEDULER_WORKERS:-4}:"
python3 bench/webhooks.py --url "http://127.0.0.1:$PORT" --root-key "$ROOT" -n "$N" -c "$C"
