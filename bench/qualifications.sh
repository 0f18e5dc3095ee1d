#!/usr/bin/env bash
# POST /v1/qualifications with many active campaigns: starts the built jar on a fresh PostgreSQL database, creates
# N automatic promotions (mixed types, CEL conditions; about a third hold for the benchmark cart) and 50 public
# universal codes, then measures with wrk (Debian package `wrk`).   usage: bench/qualifications.sh [autos=300] [seconds=15]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}; SECS=${2:-15}
source bench/server.sh tessera_qual 18094
post() { curl -fs -X POST localhost:$PORT/v1/campaigns -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d "$1" >/dev/null; }
for i in $(seq 1 "$N"); do
  case $((i % 3)) in
    0) post '{"name":"a'$i'","type":"AUTO","condition":"order.subtotal >= '$((i * 100))'","discount":{"type":"PERCENT","percent":'$((i % 30 + 1))'}}' ;;
    1) post '{"name":"a'$i'","type":"AUTO","condition":"'"'"'c'$((i % 7))''"'"' in customer.segments","discount":{"type":"AMOUNT","amount":'$i'}}' ;;
    2) post '{"name":"a'$i'","type":"AUTO","condition":"order.items.exists(x, x.sku == '"'"'SKU-'$((i % 20))''"'"')","discount":{"type":"PERCENT","percent":10,"target":{"scope":"ITEMS","selector":"item.sku == '"'"'SKU-'$((i % 20))''"'"'"}}}' ;;
  esac
done
for i in $(seq 1 50); do
  post '{"name":"pub'$i'","type":"CODES","codes":{"mode":"UNIVERSAL","code":"PUB'$i'"},"metadata":{"public":true},"discount":{"type":"AMOUNT","amount":'$((i * 10))'}}'
done
run() { wrk -t"$1" -c"$2" -d"$3" -s bench/wrk/checkout.lua "http://127.0.0.1:$PORT" -- "$KEY" /v1/qualifications "q$2" none; }
run 2 8 10s >/dev/null   # warm-up
echo "== POST /v1/qualifications, $N automatic promotions + 50 public codes, 10-line cart"
echo "-- 1 connection:";  run 1 1 "${SECS}s" | grep -E "Requests/sec|p50"
echo "-- 8 connections:"; run 2 8 "${SECS}s" | grep -E "Requests/sec|p50"
curl -fs -X POST localhost:$PORT/v1/qualifications -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{"customer":"c-1","order":{"currency":"USD","items":[{"sku":"SKU-1","price":5000,"quantity":1}]}}' \
  | python3 -c 'import json,sys; print("qualifications in one answer:", len(json.load(sys.stdin)["data"]))'
