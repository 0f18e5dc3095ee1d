#!/usr/bin/env bash
# JMH benchmark of the discount engine (EngineBenchmark): one evaluate of a 10-line cart against 100 automatic
# promotions and 2 codes. Settings suit a 2-core machine: one fork, 5 warm-up and 5 measured iterations of 2 s.
# Extra arguments go to JMH, e.g. `bench/engine.sh -prof gc`.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
CLASSPATH="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

exec "$JAVA_HOME/bin/java" -cp "$CLASSPATH" org.openjdk.jmh.Main EngineBenchmark \
  -f 1 -wi 5 -w 2s -i 5 -r 2s -bm avgt -tu us "$@"
