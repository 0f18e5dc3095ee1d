#!/usr/bin/env bash
# Validations and redemptions (the bench/load-wrk.sh set-up: one hot code with limits, 20 automatic promotions, a
# distinct customer per request, 32 connections) reporting throughput AND the server's CPU time per request, read from
# /proc before and after the measured 15 s. CPU per request is what to compare between two builds on a shared, noisy
# machine: throughput moves with the load of the other processes, CPU per request much less.
# usage: bench/cpu-per-request.sh [checkout=.]   (run it in two checkouts alternately to compare builds)
set -euo pipefail
cd "${1:-.}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
BENCH_DB=tessera_cpu; PORT=18094; ROOT=bench-root-$$
psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $BENCH_DB with (force)" -c "create database $BENCH_DB" 2>/dev/null
TESSERA_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$BENCH_DB TESSERA_DATABASE_USER=postgres TESSERA_ROOT_KEY=$ROOT TESSERA_PORT=$PORT \
  "$JAVA_HOME/bin/java" -jar target/tessera.jar > /tmp/cpu-server.log 2>&1 &
SERVER=$!; trap 'kill $SERVER' EXIT
for _ in $(seq 1 60); do curl -fs "localhost:$PORT/health" >/dev/null && break; sleep 1; done
H='-H Content-Type:application/json'
KEY=$(curl -fs -X POST "localhost:$PORT/v1/projects" -H "Authorization: Bearer $ROOT" $H -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
curl -fs -X POST localhost:$PORT/v1/campaigns -H "Authorization: Bearer $KEY" $H -d '{"name":"hot","type":"CODES","codes":{"mode":"UNIVERSAL","code":"HOT"},"condition":"order.subtotal >= 1000","discount":{"type":"PERCENT","percent":10,"max":5000},"limits":{"redemptions":1000000,"perCustomer":1}}' >/dev/null
for i in $(seq 0 19); do curl -fs -X POST localhost:$PORT/v1/campaigns -H "Authorization: Bearer $KEY" $H -d '{"name":"auto'$i'","type":"AUTO","condition":"order.subtotal >= '$((100000 + i))'","discount":{"type":"AMOUNT","amount":100}}' >/dev/null; done
cpu() { awk '{print $14 + $15}' /proc/$SERVER/stat; }
TCK=$(getconf CLK_TCK)
for path in /v1/validations /v1/redemptions; do
  wrk -t2 -c32 -d10s -s bench/wrk/checkout.lua "http://127.0.0.1:$PORT" -- "$KEY" $path w >/dev/null
  c0=$(cpu)
  out=$(wrk -t2 -c32 -d15s -s bench/wrk/checkout.lua "http://127.0.0.1:$PORT" -- "$KEY" $path m)
  c1=$(cpu)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$path req/s=$rps requests=$n server-cpu-ms/req=$(python3 -c "print(round(($c1-$c0)/$TCK*1000/$n,3))")"
done
