#!/usr/bin/env bash
# What fleet sync costs a gateway while it runs online: the packaged appliance (packaging/target/edgewhisk,
# bin/edgewhisk serve as installed) under wrk's blocking invocations of a warm no-op at 32 connections,
# sync off (the baseline) and sync on with pouchdb-server and a one-node Kafka on 127.0.0.1 taking every
# activation, in alternating phases of the same run (io.edgewhisk.sync.e2e.SyncOverheadBenchmark).
# Target: sync on keeps >= 90 % of the blocking throughput, judged by the gateway's CPU per invocation (the
# appliance with its containers and Podman; the central servers share these cores but not a gateway's).
# Prints a table and a BENCH_SYNC line.
#
#   bash sync/bench.sh [seconds-per-phase (10)] [rounds (3)]
#
# Needs what test-all.sh and host-setup.sh install (wrk, Podman and the nodejs runtime image, pouchdb-server in
# ~/.cache/edgewhisk-test or $EDGEWHISK_TEST_NODE_MODULES). BENCH_BUILD=never uses packaging/target/edgewhisk
# (or BENCH_DIST) as it is; otherwise it is built when missing. Every process, container and folder it makes is
# removed. More knobs (BENCH_SYNC_VARIANTS, BENCH_WARMUP_MAX, BENCH_JAVA_OPTS): see SyncOverheadBenchmark.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for tool in wrk podman node java mvn; do
  command -v "$tool" >/dev/null || { echo "sync/bench.sh: $tool is not installed" >&2; exit 1; }
done
dist=${BENCH_DIST:-$root/packaging/target/edgewhisk}
if [[ ! -x $dist/bin/edgewhisk && ${BENCH_BUILD:-auto} != never ]]; then
  echo "sync/bench.sh: building the distribution (mvn -o -q -pl packaging -am package -DskipTests)" >&2
  mvn -B -o -q -pl packaging -am package -DskipTests >&2
fi
[[ -x $dist/bin/edgewhisk ]] || { echo "sync/bench.sh: no $dist/bin/edgewhisk" >&2; exit 1; }
mvn -B -o -q -pl sync -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
cp="$root/sync/target/test-classes:$root/sync/target/classes:$(cat sync/target/bench.classpath)"
cd sync
exec java -Xmx512m -cp "$cp" io.edgewhisk.sync.e2e.SyncOverheadBenchmark "$dist" "${1:-10}" "${2:-3}" "$root/packaging/bench.lua"
