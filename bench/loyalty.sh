#!/usr/bin/env bash
# One loyalty member with 10,000 ledger entries and 5,000 buckets, 1,000 of them live (4,000 used up by spends): the
# member read (GET .../members/{customer}: balance, tier, expiring, pending) and a spend (a manual -1 adjustment),
# through the built jar on a fresh PostgreSQL database. The member is seeded with SQL (seconds, not 10,000 requests).
# Give several jars to compare builds in one run (each gets its own fresh database and the same data):
# usage: bench/loyalty.sh [jar ...]      (default target/tessera.jar; e.g. bench/loyalty.sh /tmp/before.jar target/tessera.jar)
set -euo pipefail
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
: "${PORT:=20061}" "${SECONDS_MEASURED:=15}" "${CONNECTIONS:=8}"
BENCH_DB=tessera_bench_loyalty; ROOT=bench-root-$$; H='Content-Type: application/json'
psql_() { psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d $BENCH_DB "$@"; }

run() {
  local jar=$1
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $BENCH_DB with (force)" \
    -c "create database $BENCH_DB" 2>/dev/null
  TESSERA_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$BENCH_DB TESSERA_DATABASE_USER=postgres TESSERA_ROOT_KEY=$ROOT \
    TESSERA_PORT=$PORT "$JAVA_HOME/bin/java" -jar "$jar" >"/tmp/$BENCH_DB-server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 60); do curl -fs "localhost:$PORT/health" >/dev/null && break; sleep 1; done
  KEY=$(curl -fs -X POST "localhost:$PORT/v1/projects" -H "Authorization: Bearer $ROOT" -H "$H" -d '{"name":"bench"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
  curl -fs -X POST "localhost:$PORT/v1/campaigns" -H "Authorization: Bearer $KEY" -H "$H" -d '{"name":"stars",
    "type":"LOYALTY","loyalty":{"earning":[{"name":"buy","on":"order_paid","points":"order.total / 100"}],
    "expiry":{"afterDays":400},"tiers":[{"name":"Bronze","min":0},{"name":"Silver","min":100000},
    {"name":"Gold","min":1000000}]}}' >/dev/null
  # 5,000 buckets of 100 points (earned over the last 300 days, expiring in 100-400 days): the 4,000 oldest used up,
  # 1,000 live (100,000 points, Silver). Ledger: 5,000 EARN and 5,000 SPEND entries.
  psql_ <<SQL
\set ON_ERROR_STOP on
create temp table p as select project_id, id as program_id from campaigns where name = 'stars';
insert into loyalty_members select project_id, program_id, 'member-1', 'Silver', now(), now() from p;
insert into loyalty_buckets (id, project_id, program_id, customer_id, points, remaining, earned, reversed,
    available_at, expires_at, order_id, dropped, expired, created_at)
  select 'lbk_bench_' || i, project_id, program_id, 'member-1', 100, case when i <= 4000 then 0 else 100 end, 100, 0,
         now() - interval '300 days' + i * interval '1 hour', now() + interval '100 days' + i * interval '1 hour',
         'order-' || i, false, false, now() - interval '300 days' + i * interval '1 hour'
  from p, generate_series(1, 5000) i;
insert into loyalty_entries (seq, id, project_id, program_id, customer_id, type, points, balance_after, rule, order_id,
    bucket_id, available_at, at)
  select nextval('loyalty_entry_seq'), 'ltx_bench_' || i, project_id, program_id, 'member-1',
         case when i % 2 = 1 then 'EARN' else 'SPEND' end, case when i % 2 = 1 then 100 else -100 end,
         case when i % 2 = 1 then 100 else 0 end, case when i % 2 = 1 then 'buy' end,
         case when i % 2 = 1 then 'order-' || (i / 2 + 1) end, case when i % 2 = 1 then 'lbk_bench_' || (i / 2 + 1) end,
         now() - interval '300 days' + i * interval '30 minutes', now() - interval '300 days' + i * interval '30 minutes'
  from p, generate_series(1, 8000) i;
insert into loyalty_entries (seq, id, project_id, program_id, customer_id, type, points, balance_after, rule, order_id,
    bucket_id, available_at, at)
  select nextval('loyalty_entry_seq'), 'ltx_bench_' || (8000 + i), project_id, program_id, 'member-1', 'EARN', 100,
         100 * i, 'buy', 'order-' || (4000 + i), 'lbk_bench_' || (4000 + i), now(), now()
  from p, generate_series(1, 1000) i;
insert into loyalty_entries (seq, id, project_id, program_id, customer_id, type, points, balance_after, reason, at)
  select nextval('loyalty_entry_seq'), 'ltx_bench_' || (9000 + i), project_id, program_id, 'member-1', 'ADJUST', -1,
         100000 - i, 'seed', now() from p, generate_series(1, 1000) i;
analyze;
SQL
  local member
  member=$(curl -fs "localhost:$PORT/v1/loyalty/stars/members/member-1" -H "Authorization: Bearer $KEY")
  echo "$jar: seeded member: $(echo "$member" | python3 -c 'import json,sys; m=json.load(sys.stdin); print("balance", m["balance"], "tier", m["tier"], "expiring", len(m["expiring"]))')," \
    "$(psql_ -tAc "select count(*) from loyalty_entries") entries, $(psql_ -tAc "select count(*) from loyalty_buckets where remaining > 0") live buckets"
  for mode in read spend; do
    wrk -t2 -c"$CONNECTIONS" -d5s -s bench/wrk/loyalty.lua "http://127.0.0.1:$PORT" -- "$KEY" $mode stars member-1 >/dev/null
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s bench/wrk/loyalty.lua "http://127.0.0.1:$PORT" -- "$KEY" $mode stars member-1)
    echo "$jar: $mode req/s=$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | grep '^p50')"
  done
  echo "$jar: after the run: $(psql_ -tAc "select count(*) from loyalty_entries") entries, balance" \
    "$(curl -fs "localhost:$PORT/v1/loyalty/stars/members/member-1" -H "Authorization: Bearer $KEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')"
  kill $SERVER; wait $SERVER 2>/dev/null || true
}

trap '[ -n "${SERVER:-}" ] && kill $SERVER 2>/dev/null || true' EXIT
for jar in "${@:-target/tessera.jar}"; do run "$jar"; done
