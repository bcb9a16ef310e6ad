#!/usr/bin/env bash
# Builds the service and the harness, runs the benchmarks on loopback (the service on H2, then on the local
# PostgreSQL), and writes bench/RESULTS.md and bench/month.svg. About 50 minutes, 10 of them the soak, 11 the month,
# 3 the reads across expiries.
# Options as system properties in BENCH_OPTS, e.g. BENCH_OPTS="-Dbench.soak=PT1M -Dbench.parts=tokens,upstream";
# a run of some parts can write to another file, given as the first argument (bench/RESULTS-retention.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# wrk (Debian's package) measures the token API a second way; without it that row says it was not measured.
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -q wrk >/dev/null || echo "wrk could not be installed: its row will say so" >&2
fi
mvn -B -q -DskipTests -pl oauth-web,bench -am package
exec java ${BENCH_OPTS:-} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.wixoauth.bench.Bench \
  oauth-web/target/oauth-web.war oauth-web/target/payara-micro.jar "${1:-bench/RESULTS.md}"
