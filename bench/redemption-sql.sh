#!/usr/bin/env bash
# A redemption's database work alone, against the floor, with pgbench on the same PostgreSQL (docs/performance.md,
# "A redemption's database work alone"). On a scratch database with Tessera's schema (`tessera migrate`), it runs, each
# as one round trip per transaction (pgbench's `\;`), 16 clients:
#   floor      the load generator's floor: one guarded update and one insert
#   redemption what the server writes for a new customer redeeming the load fixture's once-per-customer code with
#              four automatic promotions (the limits' hold and read, the redemption with its answer, 5 lines, the
#              counters taken, the customer, its counter)
#   -hold, -lines, -taken, -customer, -counter
#              the same without one part: the limits' hold and read, the 5 lines, the record of the counters taken,
#              the customer's row, its counter (what each part costs)
#   group-8    8 redemptions in one transaction, each with its own statements, all in one round trip: what the
#              server's group commit sent until 2026-12-02 (counted as 8 redemptions)
#   batch-8    8 redemptions in one transaction, one hold and limits read, each insert with the rows of all 8: what
#              the server's group commit sends since (docs/limits.md, "Group commit"; counted as 8 redemptions)
#   batch-8-taken, batch-8-counter+taken, batch-8-lines
#              batch-8 without the record of the counters taken; without it and the customer's counter (what keeping
#              per-customer counters in the customer's row would save); without the lines
# and prints each one's transactions per second, its ratio to the floor, and, when PostgreSQL runs on this machine, the
# CPU milliseconds its backends spent per redemption (from /proc) and the floor's over that: on a shared machine the
# rates move with the other processes' load, the CPU per transaction much less.
# Each transaction goes as the server sends it: named prepared statements, all in one pipeline (pgbench's
# \startpipeline), so PostgreSQL parses and plans each statement once per connection. TESSERA_BENCH_PROTOCOL=simple
# sends each transaction as one multi-statement simple query instead (parsed and planned every time: this script's
# figures before 2026-12-01).
# Needs pgbench (Debian package postgresql-client) and python3.
# usage: bench/redemption-sql.sh [seconds per run=15] [clients=16]
# TESSERA_BENCH_WORK=<dir>: keep the pgbench scripts there and the database afterwards, to try a variant by hand
# (e.g. an index dropped) with `pgbench -n -M prepared -c 16 -j 2 -T 15 -f <dir>/redemption.sql tessera_redemption_sql`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
SECONDS_PER_RUN=${1:-15}; CLIENTS=${2:-16}; PROTOCOL=${TESSERA_BENCH_PROTOCOL:-prepared}
case $PROTOCOL in prepared|simple) ;; *) echo "TESSERA_BENCH_PROTOCOL: prepared or simple, not $PROTOCOL" >&2; exit 2;; esac
DB=${TESSERA_BENCH_DB:-tessera_redemption_sql}; HOST=127.0.0.1; PGUSER=${PGUSER:-postgres}; export PGUSER
WORK=${TESSERA_BENCH_WORK:-$(mktemp -d)}; [ -n "${TESSERA_BENCH_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
[ -f target/tessera.jar ] || ./mvnw -q -B package -DskipTests
psql -q -h $HOST -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
TESSERA_DATABASE_URL=jdbc:postgresql://$HOST:5432/$DB TESSERA_DATABASE_USER=$PGUSER java -jar target/tessera.jar migrate >/dev/null 2>&1
P=prj_bench
psql -q -h $HOST -d $DB <<SQL
insert into projects (id, name, currency, timezone, max_discounts_per_order, created_at) values ('$P', 'bench', 'USD', 'UTC', 5, now());
create table load_floor(id bigint primary key, n bigint not null);
create table load_floor_insert(id bigserial primary key, floor_id bigint not null, at timestamptz not null default now());
insert into load_floor select g, 0 from generate_series(1, $CLIENTS) g;
SQL
# The stored answer: a validation's JSON of about 1.1 kB (no ':' before a letter, which pgbench would read as a
# variable). The fixture's redemptions store 3 kB (1.1 kB once lz4 compressed); batch-8 with that answer cost the same
# database CPU per redemption within the machine's noise (2026-12-03).
ANSWER=$(python3 -c "
import json
items=[{'sku':'SKU-%d'%i,'quantity':1+i%3,'price':1000+i*100,'amount':(1000+i*100)*(1+i%3),'discount':50,'total':1000} for i in range(10)]
print(json.dumps({'id':'red_x','valid':1,'order':{'currency':'USD','subtotal':27700,'total':27338,'items':items},
  'applied':[{'campaign':'c%d'%i,'discount':100} for i in range(5)]}, separators=(', ', ': ')))")
C=(cmp_once cmp_auto0 cmp_auto1 cmp_auto3 cmp_auto4)
redemption() { # $1: a suffix making this redemption's ids unique within the transaction
  local id="'red_' || :n || '$1'" cust="'cust-' || :n || '$1'"
  HOLD="select pg_advisory_xact_lock_shared(2119499777, 1), pg_advisory_xact_lock_shared(2119499777, 2), pg_advisory_xact_lock_shared(2119499777, 3), pg_advisory_xact_lock_shared(2119499777, 4), pg_advisory_xact_lock_shared(2119499777, 5)"
  LIMITS="select * from campaign_limits where project_id = '$P' and campaign_id in ('${C[0]}', '${C[1]}', '${C[2]}', '${C[3]}', '${C[4]}')"
  R="($id, '$P', $cust, null, null, repeat('a', 64), 'REDEEMED', 862, 0, 27700, '$ANSWER', now())"
  L="($id, 0, '$P', '${C[0]}', 'ONCE', 500, '2026-11-30'), ($id, 1, '$P', '${C[1]}', null, 100, '2026-11-30'), ($id, 2, '$P', '${C[2]}', null, 108, '2026-11-30'), ($id, 3, '$P', '${C[3]}', null, 50, '2026-11-30'), ($id, 4, '$P', '${C[4]}', null, 104, '2026-11-30')"
  K="('$P', $id, '${C[0]}', 'customer:' || $cust, 1)"
  U="('$P', $cust, '{\"tier\": \"gold\", \"country\": \"DE\", \"firstName\": \"Ana\"}', '{}', '{\"once\": 1, \"auto0\": 1, \"auto1\": 1, \"auto3\": 1, \"auto4\": 1}', now(), now())"
  N="('$P', '${C[0]}', 'customer:' || $cust, 1)"
}
# $1 redemptions in one transaction, each with its own statements (a group commit).
group() {
  local s=("BEGIN") i
  for i in $(seq 1 "$1"); do
    redemption "-$i"
    s+=("$HOLD" "$LIMITS" "insert into redemptions (id, project_id, customer_id, order_id, idempotency_key, request_hash, status, discount, shipping_discount, order_value, response, created_at) values $R"
      "insert into redemption_lines (redemption_id, line_no, project_id, campaign_id, code, discount, local_day) values $L"
      "insert into redemption_counters (project_id, redemption_id, campaign_id, name, amount) values $K"
      "insert into customers (project_id, id, attributes, consents, redeemed, created_at, updated_at) values $U on conflict do nothing"
      "insert into counters (project_id, campaign_id, name, used) values $N on conflict do nothing")
  done
  s+=("COMMIT")
  printf '\\set n random(1, 9000000000000000000)\n'
  transaction "${s[@]}"
}
statements() { # $1: how many redemptions; $2: what to leave out (hold, lines, taken, customer, counter, several
  # joined by +, or none)
  local rs=() ls=() ks=() us=() ns=()
  for i in $(seq 1 "$1"); do redemption "-$i"; rs+=("$R"); ls+=("$L"); ks+=("$K"); us+=("$U"); ns+=("$N"); done
  local IFS=,
  local s=("BEGIN")
  skip() { [[ "+$2+" == *"+$1+"* ]]; }
  skip hold "$2" || s+=("$HOLD" "$LIMITS")
  s+=("insert into redemptions (id, project_id, customer_id, order_id, idempotency_key, request_hash, status, discount, shipping_discount, order_value, response, created_at) values ${rs[*]}")
  skip lines "$2" || s+=("insert into redemption_lines (redemption_id, line_no, project_id, campaign_id, code, discount, local_day) values ${ls[*]}")
  skip taken "$2" || s+=("insert into redemption_counters (project_id, redemption_id, campaign_id, name, amount) values ${ks[*]}")
  skip customer "$2" || s+=("insert into customers (project_id, id, attributes, consents, redeemed, created_at, updated_at) values ${us[*]} on conflict do nothing")
  skip counter "$2" || s+=("insert into counters (project_id, campaign_id, name, used) values ${ns[*]} on conflict do nothing")
  s+=("COMMIT")
  printf '\\set n random(1, 9000000000000000000)\n'
  transaction "${s[@]}"
}
# One transaction's statements, in one round trip: a pipeline of prepared statements, or one multi-statement query.
transaction() {
  local x joined=""
  if [ "$PROTOCOL" = prepared ]; then
    printf '\\startpipeline\n'; for x in "$@"; do printf '%s;\n' "$x"; done; printf '\\endpipeline\n'
  else
    for x in "$@"; do joined+="${joined:+ \\; }$x"; done; printf '%s;\n' "$joined"
  fi
}
{ printf '\\set r random(1, %d)\n' "$CLIENTS"
  transaction BEGIN "update load_floor set n = n + 1 where id = :r and n < 9000000000000000000" \
    "insert into load_floor_insert(floor_id) values (:r)" COMMIT; } > "$WORK/floor.sql"
statements 1 none > "$WORK/redemption.sql"
for part in hold lines taken customer counter; do statements 1 $part > "$WORK/-$part.sql"; done
group 8 > "$WORK/group-8.sql"
statements 8 none > "$WORK/batch-8.sql"
for part in taken counter+taken lines; do statements 8 $part > "$WORK/batch-8-$part.sql"; done
# CPU of PostgreSQL's processes in clock ticks: live ones and (through the postmaster's cutime) the backends that ended.
PG_PIDS() { pgrep -u postgres 2>/dev/null || true; }
cpu_ticks() { local t=0 p v; for p in $(PG_PIDS); do v=$(awk '{print $14+$15+$16+$17}' /proc/$p/stat 2>/dev/null) && t=$((t + ${v:-0})); done; echo $t; }
# Until the run's backends have ended (their CPU then counts in the postmaster's).
settle() { for _ in $(seq 1 50); do [ "$(psql -h $HOST -d postgres -Atc "select count(*) from pg_stat_activity where datname = '$DB'")" = 0 ] && break; sleep 0.1; done; }
LOCAL_PG=$([ -n "$(PG_PIDS)" ] && echo yes || echo no)
# Prints "<tps> <db cpu ms per transaction or ->".
# Each run starts from empty tables after a checkpoint, so that no run pays for the previous one's rows and dirty pages.
run() {
  psql -q -h $HOST -d $DB -c "truncate redemptions, redemption_lines, redemption_counters, customers, counters, load_floor_insert cascade" -c checkpoint
  settle; local a b out tx
  a=$(cpu_ticks)
  out=$(pgbench -h $HOST -n -M "$PROTOCOL" -c "$2" -j 2 -T "$SECONDS_PER_RUN" -f "$WORK/$1.sql" $DB 2>&1)
  settle; b=$(cpu_ticks)
  tx=$(echo "$out" | awk '/number of transactions actually processed/ {split($NF, n, "/"); print n[1]}')
  echo "$(echo "$out" | awk '/^tps/ {print $3}') $([ $LOCAL_PG = yes ] && awk -v a=$a -v b=$b -v t=$tx -v k=$(getconf CLK_TCK) 'BEGIN {printf "%.3f", (b - a) * 1000 / k / t}' || echo -)"
}
echo "PostgreSQL at $HOST, $CLIENTS clients, ${SECONDS_PER_RUN} s each, $PROTOCOL protocol; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r FLOOR FLOOR_CPU <<<"$(run floor "$CLIENTS")"
printf '%-21s %10s %13s %6s %14s %10s\n' run tps redemptions/s ratio "db cpu ms/red" "cpu ratio"
printf '%-21s %10.0f %13s %6s %14s %10s\n' floor "$FLOOR" - - "$FLOOR_CPU" -
for v in redemption -hold -lines -taken -customer -counter group-8 batch-8 batch-8-taken batch-8-counter+taken batch-8-lines; do
  per=1; clients=$CLIENTS
  case $v in *-8|*-8-*) per=8; clients=$(( CLIENTS / 4 > 0 ? CLIENTS / 4 : 1 ));; esac
  read -r T CPU <<<"$(run "$v" $clients)"
  awk -v r=$v -v t="$T" -v p=$per -v f="$FLOOR" -v c="$CPU" -v fc="$FLOOR_CPU" 'BEGIN {
    cpu = c == "-" ? "-" : sprintf("%.3f", c / p); ratio = c == "-" ? "-" : sprintf("%.2f", fc / (c / p));
    printf "%-21s %10.0f %13.0f %6.2f %14s %10s\n", r, t, t * p, t * p / f, cpu, ratio }'
done
read -r AGAIN AGAIN_CPU <<<"$(run floor "$CLIENTS")"
printf '%-21s %10.0f %13s %6s %14s %10s\n' floor "$AGAIN" - "(again)" "$AGAIN_CPU" -
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${TESSERA_BENCH_WORK:-}" ] || psql -q -h $HOST -d postgres -c "drop database if exists $DB with (force)"
