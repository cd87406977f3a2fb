#!/usr/bin/env bash
# The MQTT broker benchmark: EdgeWhisk's embedded broker against Debian's Mosquitto in the same run.
# Usage: bash triggers-mqtt/bench.sh [seconds-per-row]   (from anywhere; Mosquitto must be installed)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -pl triggers-mqtt -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="$root/triggers-mqtt/target/test-classes:$root/triggers-mqtt/target/classes:$(cat triggers-mqtt/target/bench.classpath)"
cd triggers-mqtt
java -Xmx1g -cp "$cp" io.edgewhisk.mqtt.bench.BrokerBenchmark "${1:-5}"
