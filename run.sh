#!/usr/bin/env bash
# Builds what is needed and runs the service on Payara Micro at http://127.0.0.1:8080/ with an embedded database
# in ./data and the Wix simulator in place of Wix. Ctrl-C stops it. Needs only Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")"
echo "Building (the first run downloads dependencies and Payara Micro; later runs take seconds) ..."
# Debian's Maven prints bare colour resets even in batch mode: strip them, keep any error it reports.
mvn -B -q -DskipTests -pl oauth-web,wix-simulator -am package 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d'
# The data folder holds the demo's app secret, keys and database: whatever is created from here on is private.
umask 077
exec java -jar wix-simulator/target/wix-simulator.jar demo \
  --war oauth-web/target/oauth-web.war \
  --payara-micro oauth-web/target/payara-micro.jar \
  --data data "$@"
