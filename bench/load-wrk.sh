#!/usr/bin/env bash
# Load run with wrk (Debian package `wrk`): starts the built jar on a fresh PostgreSQL database, creates a project
# with one hot universal code (limit, perCustomer 1) and 20 automatic promotions, then runs validations and
# redemptions with a distinct customer per request.  usage: [LIMITS=json] bench/load-wrk.sh [connections=32] [seconds=20] [limit=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
CONN=${1:-32}; SECS=${2:-20}; LIMIT=${3:-1000000}
source bench/server.sh tessera_load 18092
LIMITS=${LIMITS:-"{\"redemptions\": $LIMIT, \"perCustomer\": 1}"}
curl -fs -X POST localhost:$PORT/v1/campaigns -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{"name":"hot","type":"CODES",
  "codes":{"mode":"UNIVERSAL","code":"HOT"},"condition":"order.subtotal >= 1000",
  "discount":{"type":"PERCENT","percent":10,"max":5000},"limits":'"$LIMITS"'}' >/dev/null
for i in $(seq 0 19); do
  curl -fs -X POST localhost:$PORT/v1/campaigns -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{"name":"auto'$i'","type":"AUTO",
    "condition":"order.subtotal >= '$((100000 + i))'","discount":{"type":"AMOUNT","amount":100}}' >/dev/null
done
# The JIT needs a warm-up: 10 s of the same traffic first, not counted.
warm() { wrk -t2 -c"$CONN" -d10s -s bench/wrk/checkout.lua "http://127.0.0.1:$PORT" -- "$KEY" "$1" "warm$2" >/dev/null; }
echo "== POST /v1/validations ($CONN connections, ${SECS}s)"
warm /v1/validations v
wrk -t2 -c"$CONN" -d"${SECS}s" -s bench/wrk/checkout.lua "http://127.0.0.1:$PORT" -- "$KEY" /v1/validations v | grep -E "Requests/sec|p50|Non-2xx"
echo "== POST /v1/redemptions ($CONN connections, ${SECS}s, one hot code, limits $LIMITS)"
warm /v1/redemptions r
wrk -t2 -c"$CONN" -d"${SECS}s" -s bench/wrk/checkout.lua "http://127.0.0.1:$PORT" -- "$KEY" /v1/redemptions r | grep -E "Requests/sec|p50|Non-2xx"
curl -fs localhost:$PORT/v1/campaigns/hot/stats -H "Authorization: Bearer $KEY" | python3 -c 'import json,sys; s=json.load(sys.stdin); print("redemptions standing:", s["redemptions"], "limit:", '"$LIMIT"')'
