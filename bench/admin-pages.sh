#!/usr/bin/env bash
# Every admin page's server time on a PostgreSQL project with 1,000,000 codes and 100,000 redemptions (docs/performance.md,
# "Admin pages at 1M codes"): AdminPageTimingTest seeds the project in bulk SQL on a fresh database, then reads each
# page's Server-Timing header (2 warm-up calls, median and max of 7) and asserts the 200 ms budget.
# usage: bench/admin-pages.sh [codes=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
DB=${TESSERA_PAGES_DB:-tessera_admin_pages}
psql -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
TESSERA_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/$DB ./mvnw -q verify -Dtest=AdminPageTimingTest \
  -Dtessera.pageTiming.codes="${1:-1000000}" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true
