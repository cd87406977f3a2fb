#!/usr/bin/env bash
# The MQTT broker benchmark: EdgeWhisk's embedded broker against Debian's Mosquitto in the same run.
# Usage: bash triggers-mqtt/bench.sh [seconds-per-row]   (from anywhere; Mosquitto must be installed)
#   MQTT_SOAK=SECONDS  instead of the table, the soak (a subscriber that never reads, a persistent session that
#                      never returns, a steady QoS 1 stream): the broker's RSS, store disk use and $SYS queue
#                      memory every 10 s, then start/min/max/end (target/broker-soak.md). 600 for the 10 minutes.
#   MQTT_SENSOR=0      skip the second part: a sensor message to the finished activation of a warm no-op action
#                      on a child appliance with real Podman (SensorLatencyBenchmark, target/sensor-latency.md);
#                      MQTT_SENSOR_MESSAGES its messages (default 300)
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
if [[ ${MQTT_SENSOR:-1} != 0 ]]; then
  java -Xmx512m -cp "$cp" io.edgewhisk.mqtt.bench.SensorLatencyBenchmark "${MQTT_SENSOR_MESSAGES:-300}"
fi
