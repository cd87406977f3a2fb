#!/usr/bin/env bash
# The MQTT broker benchmark: EdgeWhisk's embedded broker against Debian's Mosquitto in the same run.
# Usage: bash triggers-mqtt/bench.sh [seconds-per-row]   (from anywhere; Mosquitto must be installed)
#   MQTT_SOAK=SECONDS  instead of the table, the soak (a subscriber that never reads, a persistent session that
#                      never returns, a steady QoS 1 stream): the broker's RSS, store disk use and $SYS queue
#                      memory every 10 s, then start/min/max/end (target/broker-soak.md). 600 for the 10 minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -pl triggers-mqtt -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="$root/triggers-mqtt/target/test-classes:$root/triggers-mqtt/target/classes:$(cat triggers-mqtt/target/bench.classpath)"
cd triggers-mqtt
if [[ -n "${MQTT_SOAK:-}" ]]; then
  exec java -Xmx1g -cp "$cp" io.edgewhisk.mqtt.bench.BrokerSoak "$MQTT_SOAK"
fi
java -Xmx1g -cp "$cp" io.edgewhisk.mqtt.bench.BrokerBenchmark "${1:-5}"
