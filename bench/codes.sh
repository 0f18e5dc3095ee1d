#!/usr/bin/env bash
# Bulk code generation benchmark on PostgreSQL (figures in docs/performance.md, "Bulk code generation").
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth). Drops and recreates the database it measures in.
# Usage: bench/codes.sh [count]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
db="${TESSERA_BENCH_DB:-tessera_bench}"
psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db" -c "create database $db"
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.tessera.bench.CodeGenerationBenchmark "jdbc:postgresql://127.0.0.1:5432/$db" "${1:-1000000}"
