#!/usr/bin/env bash
# Builds the service and the harness, runs the benchmarks on loopback, and writes bench/RESULTS.md (about 2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl oauth-web,bench -am package
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.wixoauth.bench.Bench \
  oauth-web/target/oauth-web.war oauth-web/target/payara-micro.jar bench/RESULTS.md
