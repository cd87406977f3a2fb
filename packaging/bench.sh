#!/usr/bin/env bash
# cleanup and the sampler run from traps and subshells (SC2317); wrk_phase sets r_* through eval (SC2154)
# shellcheck disable=SC2317,SC2154
# Runs every benchmark of the project and prints one table (metric, figure, target, same-run baseline,
# ratio): the packaged appliance against the targets of issues 2 (API) and 4 (invocation), the invoker
# (issue 3), the embedded log, the MQTT broker against Mosquitto (issue 9), fleet sync (issue 10) and the
# installed Debian package (issues 11, 12), each against a baseline measured in the same run.
#
#   bash packaging/bench.sh
#
# What it measures (all traffic on 127.0.0.1; wrk with packaging/bench.lua):
#   start      process start -> GET /ping answers, median of BENCH_STARTS starts with the launcher's
#              class-data-sharing archive warm (a first start writes it; the state folder is kept
#              between starts, as on a restart); idle RSS and private dirty memory (smaps_rollup: what
#              the process alone holds, not file pages it shares or could drop) after 5 s. Baseline:
#              the same Java running `-version` (the floor of any JVM start on this machine, under its load).
#   api        GET /ping (baseline: no auth, no store) and the authenticated
#              GET /api/v1/namespaces/_/actions/noop, at 1 connection and at 32.
#   raw run    POST /run to a nodejs action container started here on a published 127.0.0.1 port and
#              /init-ed with the no-op (the baseline of an invocation), at 1 connection and at 32.
#   invoke     POST .../actions/noop?blocking=true&result=true (warm, concurrency 200) at 1 and 32
#              connections; POST .../actions/noop (non-blocking, 202 = accepted durably) at 32, after
#              its own warm-up of BENCH_NB_WARMUP s whose backlog runs out first, then
#              the backlog it left (edgewhisk_activations_in_flight) timed until it has all run; the
#              appliance's peak VmRSS during the 32-connection phases; the activations' median waitTime
#              and duration, to tell the time before, in and after the run.
#              The full and young collections during that phase (-Xlog:gc): a full one stops every
#              thread for 30-300 ms, so under load there should be none.
#              CPU per activation over the blocking 32-connection phase, from /proc/PID/stat
#              (utime+stime delta / activations answered): the Java process (also without its JIT
#              compiler threads), Podman's API service (the attach stream), conmon, the action's node.
#   stream     io.edgewhisk.bench.LogStreamBenchmark (test classes): the lag of a container's output
#              through Podman's logs?follow stream (what the invoker waits on for the log sentinels)
#              and through its attach stream, side by side.
#   log alone  io.edgewhisk.bench.LogAppendBenchmark (test classes): durable appends to the embedded
#              log from 32 callers, with and without a consumer committing every 20 ms (as the
#              invoker's feed does); baseline: one thread's write+fsync loop on the same disk.
#   invoker    io.edgewhisk.invoker.InvokerBenchmark (test classes): a warm invocation's overhead over
#              the raw /run round trip (both from an event loop), a cold start without a stem cell
#              against the `podman run` floor, a start from a stem cell.
#   mqtt       io.edgewhisk.mqtt.bench.BrokerBenchmark (triggers-mqtt test classes; what
#              triggers-mqtt/bench.sh runs alone): the embedded broker (a JVM of its own, durable store)
#              and Debian's Mosquitto under the same load from one load generator, QoS 0 and 1, 64 B and
#              1 KB, 1->1, 32->1 and 1->32, BENCH_MQTT_SECONDS a row; then p99 at half of the broker's
#              saturated 1->1 QoS 1 rate; then the resident memory 10,000 idle connections add to a fresh
#              broker of each kind (bytes a connection; target <= 10 KB). Baseline (and target): Mosquitto
#              in the same run. Then
#              io.edgewhisk.mqtt.bench.SensorLatencyBenchmark: on a child appliance (its broker, Podman), a
#              QoS 1 sensor message through the mqtt feed's trigger and a rule to the finished activation
#              of a warm no-op action (its record's end); baseline: a blocking invoke of it, same run.
#   sync       io.edgewhisk.sync.SyncBenchmark (sync test classes): a backlog of BENCH_SYNC_ACTIVATIONS
#              activations drained into pouchdb-server and onto a one-node Kafka, a pull of 1,000 actions;
#              baselines: raw _bulk_docs, one raw producer batch, one raw _changes read, same servers.
#   package    packaging/deb-check.sh on packaging/target/edgewhisk_*_all.deb: installs it, runs the
#              systemd unit's command as systemd would, medians of BENCH_STARTS starts to ready and of
#              idle RSS and private dirty memory after 5 s, then purges it (root only; BENCH_DEB=0
#              skips it). Baseline: the same `java -version` as for the start row above.
#
# Environment:
#   BENCH_SECONDS   length of each wrk phase (default 10); BENCH_WARMUP warm-up seconds (default 3)
#   BENCH_NB_WARMUP the non-blocking phase's own warm-up (default 5 s; its backlog, ~75,000 activations,
#                   then runs to the end before the phase: ~25 s)
#   BENCH_STARTS    timed starts for start-to-ready (default 5)
#   BENCH_THREADS   wrk threads for the 32-connection phases (default 2)
#   BENCH_BUILD     "never" to use packaging/target/edgewhisk as it is; else it is built (mvn -o)
#                   when missing or when a source changed since bench.sh last built it
#   JAVA_OPTS       passed on to the appliance, followed by the benchmark's throttles (namespace
#                   invocations-per-minute 100000000, concurrent-invocations 250000: a 10 s burst at the
#                   log's speed must fit in the backlog); e.g.
#                   -Dedgewhisk.invoker.log-sentinel-wait=1ms to see what the log wait costs
#   BENCH_KEEP=1    keep the temporary folder (logs) and print its path
#   BENCH_INVOKER_ITERATIONS  warm and start iterations of InvokerBenchmark (default "2000 15")
#   BENCH_DEB=0     skip the installed-package phase (it installs and purges the .deb: root only)
#   BENCH_MQTT=0    skip the MQTT broker phase (needs Debian's mosquitto); BENCH_MQTT_SECONDS a row (default 4);
#                   BENCH_MQTT_SENSOR_MESSAGES the sensor-to-activation phase's messages (default 300)
#   BENCH_SYNC=0    skip the sync phase (needs pouchdb-server from npm, as packaging/test-all.sh installs it,
#                   in $EDGEWHISK_TEST_NODE_MODULES or ~/.cache/edgewhisk-test/node_modules);
#                   BENCH_SYNC_ACTIVATIONS the backlog (default 100000)
#   The servers the mqtt and sync phases need are checked before the first phase, not when they come.
#   The mqtt and sync phases run their benchmarks from the modules' test classes, with the class path
#   Maven resolves for them (mvn -o -pl triggers-mqtt,sync -am test-compile dependency:build-classpath).
#
# Profiling the appliance (how the issue-12 figures were found): async-profiler's agent is on Maven
# Central (tools.profiler:async-profiler; unzip linux-x64/libasyncProfiler.so from its jar to /tmp).
# Start `edgewhisk serve` with EDGEWHISK_CDS=off (the launcher's class-data archive dump refuses a
# JVMTI agent) and JAVA_OPTS="-agentpath:/tmp/libasyncProfiler.so=start,event=cpu,
# interval=1ms,loop=2s,file=/tmp/prof-%t.collapsed,collapsed" (one file every 2 s; `event=alloc` for
# allocations, `event=wall` for the hand-offs), load it as the invoke phase does, and read only the
# files written well after the warm-up: the first 20-40 s (longer on a busy machine) are mostly the
# JIT compiler. Sum the collapsed stacks by frame (self and inclusive) to find the top frames.
#
# Exits 0 when every phase ran (a missed target is shown as "MISS", not an error: shared machines
# are noisy), non-zero when something could not be measured. Stops every process it started by its
# pid and removes every container (label edgewhisk.bench=<run>, or the appliance's instance label)
# and temporary folder it made, also on failure or Ctrl-C.
set -euo pipefail
# The whole script is one compound command: bash reads it all before running it, so editing this
# file while a run goes on cannot change what that run does.
{

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-3}
nb_warmup=${BENCH_NB_WARMUP:-5}
starts=${BENCH_STARTS:-5}
threads=${BENCH_THREADS:-2}
lua=$repo/packaging/bench.lua
dist=$repo/packaging/target/edgewhisk
image=localhost/edgewhisk/action-nodejs:latest
noop='function main(){return {}}'

log() { echo "bench: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in wrk curl podman python3 awk; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
# the later phases' servers, checked now rather than after the core's phases have run
if [[ ${BENCH_MQTT:-1} != 0 ]]; then
  command -v mosquitto >/dev/null || die "mosquitto is not installed (packaging/host-setup.sh installs it; BENCH_MQTT=0 skips the phase)"
fi
if [[ ${BENCH_SYNC:-1} != 0 ]]; then
  node_modules=${EDGEWHISK_TEST_NODE_MODULES:-$HOME/.cache/edgewhisk-test/node_modules}
  [[ -f $node_modules/pouchdb-server/bin/pouchdb-server ]] \
    || die "pouchdb-server is not installed in $node_modules: run \`npm install --prefix ${node_modules%/node_modules} pouchdb-server@4.2.0\` (packaging/test-all.sh does), or BENCH_SYNC=0 to skip the sync phase"
fi

run_id=bench-$$-$(date +%s)
load_start=$(cut -d " " -f 1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/edgewhisk-bench.XXXXXX")
pids=()        # every process started here that may still run
sampler=
cleanup() {
  local p
  for p in "${pids[@]}" $sampler; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    fi
  done
  # containers of this run: the raw baseline's, and any the appliance could not remove itself
  local ids
  ids=$(podman ps -aq --filter "label=edgewhisk.bench=$run_id" 2>/dev/null || true)
  ids="$ids $(podman ps -aq --filter "label=edgewhisk.instance=$run_id" 2>/dev/null || true)"
  if [[ -n ${ids// /} ]]; then
    # shellcheck disable=SC2086 # a list of ids
    podman rm -f -t 0 $ids >/dev/null 2>&1 || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    log "kept $work"
  else
    rm -rf -- "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build -----------------------------------------------------------------------------------------
stamp=$repo/packaging/target/.bench-built   # when bench.sh last built (jars keep old times if unchanged)
stale() {
  [[ ! -x $dist/bin/edgewhisk || ! -f $stamp ]] && return 0
  [[ -n $(find "$repo" -path "$repo/.git" -prune -o -path '*/target' -prune -o -path "$repo/images" -prune \
    -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.conf' -o -name '*.json' -o -path '*/src/dist/*' \) \
    -newer "$stamp" -print -quit) ]]
}
if [[ ${BENCH_BUILD:-auto} != never ]] && stale; then
  log "building the distribution (mvn -o -q package -DskipTests)"
  (cd "$repo" && mvn -B -o -q package -DskipTests) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "the build failed"; }
  touch "$stamp"
fi
[[ -x $dist/bin/edgewhisk ]] || die "no $dist/bin/edgewhisk (run mvn package)"
podman image exists "$image" || die "no image $image (run packaging/host-setup.sh or images/build.sh)"

# --- helpers ---------------------------------------------------------------------------------------
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# private dirty memory (kB): what the process alone holds and cannot drop (heap, metaspace, stacks, written pages)
private_dirty_kb() { awk '/^Private_Dirty:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
median() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

export EDGEWHISK_CACHE_DIR=$work/cache
export EDGEWHISK_INSTANCE_ID=$run_id
# the benchmark's own throttles: high enough that only the machine limits the rate
export JAVA_OPTS="${JAVA_OPTS:-} -Dedgewhisk.namespace-defaults.invocations-per-minute=100000000 -Dedgewhisk.namespace-defaults.concurrent-invocations=250000"
# the collector's pauses (one line each), to count the full collections of the load phases
export JAVA_OPTS="$JAVA_OPTS -Xlog:gc:file=$work/gc.log"
gc_pauses() { grep -c "Pause $1" "$work/gc.log" 2>/dev/null || true; }

# start_appliance STATE PORT LOG: starts `edgewhisk serve` and waits for /ping; sets app_pid, ready_ms.
start_appliance() {
  local state=$1 port=$2 out=$3 start
  mkdir -p "$state"
  start=$(now_ms)
  "$dist/bin/edgewhisk" serve --state-dir "$state" --port "$port" --dev </dev/null >"$out" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  while [[ $(curl -s --max-time 1 "http://127.0.0.1:$port/ping" 2>/dev/null || true) != *pong* ]]; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$out" >&2; die "edgewhisk serve exited before answering /ping"; }
    (( $(now_ms) - start < 60000 )) || { cat "$out" >&2; die "GET /ping did not answer within 60 s"; }
    sleep 0.01
  done
  ready_ms=$(( $(now_ms) - start ))
}

# stop PID: SIGTERM, wait up to 30 s, then SIGKILL.
stop() {
  local p=$1
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$p" 2>/dev/null || break
    [[ $(ps -o stat= -p "$p" 2>/dev/null) == Z* ]] && break
    sleep 0.1
  done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

# wrk_phase NAME CONNECTIONS URL [METHOD] [AUTH] [BODY]: runs wrk for $seconds; sets r_* from its result.
wrk_phase() {
  local name=$1 conns=$2 url=$3 t=1 out
  (( conns > 1 )) && t=$threads
  out=$work/wrk-$name.txt
  BENCH_METHOD=${4:-GET} BENCH_AUTH=${5:-} BENCH_BODY=${6:-} \
    wrk -t"$t" -c"$conns" -d"${seconds}s" --timeout 10s -s "$lua" "$url" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed in phase $name"; }
  local line
  line=$(grep '^BENCH_RESULT' "$out") || { cat "$out" >&2; die "wrk printed no result in phase $name"; }
  eval "$(echo "${line#BENCH_RESULT }" | tr ' ' '\n' | sed 's/^/r_/')"
  r_rps=$(awk -v n="$r_ok" -v s="$r_seconds" 'BEGIN {printf "%.0f", n / s}')
  r_p50=$(awk -v u="$r_p50_us" 'BEGIN {printf "%.3f", u / 1000}')
  r_p99=$(awk -v u="$r_p99_us" 'BEGIN {printf "%.3f", u / 1000}')
  log "$(printf '%-22s c=%-3s %8s req/s  p50 %8s ms  p99 %8s ms  (>=400: %s, socket errors: %s)' \
    "$name" "$conns" "$r_rps" "$r_p50" "$r_p99" "$r_status_errors" "$r_socket_errors")"
}

# warm URL CONNECTIONS [METHOD] [AUTH] [BODY]: a short unrecorded wrk run (JIT, pools, connections).
warm() {
  local url=$1 conns=$2
  BENCH_METHOD=${3:-GET} BENCH_AUTH=${4:-} BENCH_BODY=${5:-} \
    wrk -t1 -c"$conns" -d"${warmup}s" --timeout 10s -s "$lua" "$url" >/dev/null 2>&1 || true
}

# sample_rss PID FILE: writes the peak VmRSS (kB) seen every 0.2 s to FILE until stopped.
sample_rss_start() {
  local p=$1 f=$2
  ( peak=0; trap 'echo $peak >"$f"; exit 0' TERM
    while :; do v=$(rss_kb "$p"); (( v > peak )) && peak=$v; echo "$peak" >"$f"; sleep 0.2; done ) &
  sampler=$!
}
sample_rss_stop() { kill -TERM "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=; }

rows=()
# row METRIC MEASURED UNIT TARGET(op value) BASELINE RATIO
row() {
  local metric=$1 value=$2 unit=$3 op=$4 target=$5 baseline=${6:--} ratio=${7:--} verdict
  verdict=$(awk -v v="$value" -v t="$target" -v op="$op" 'BEGIN {ok = op == "<=" ? v <= t : v >= t; print ok ? "pass" : "MISS"}')
  rows+=("$(printf '%-46s %12s %-5s %2s %-10s %-5s %12s %10s' "$metric" "$value" "$unit" "$op" "$target" "$verdict" "$baseline" "$ratio")")
}
# info METRIC MEASURED UNIT BASELINE RATIO: a diagnostic row, no target
info() {
  rows+=("$(printf '%-46s %12s %-5s %2s %-10s %-5s %12s %10s' "$1" "$2" "$3" "" "-" "-" "${4:--}" "${5:--}")")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2fx", a / b}'; }

# --- 1. start to ready, idle memory ----------------------------------------------------------------
state=$work/state
port=$(free_port)
log "start: first start (writes the class-data-sharing archive when it stops)"
start_appliance "$state" "$port" "$work/start-0.log"
stop "$app_pid"
ls "$EDGEWHISK_CACHE_DIR"/edgewhisk-*.jsa >/dev/null 2>&1 || log "warning: no class-data-sharing archive was written"
readies=()
for i in $(seq 1 "$starts"); do
  start_appliance "$state" "$port" "$work/start-$i.log"
  readies+=("$ready_ms")
  if (( i == starts )); then
    sleep 5
    idle_rss=$(rss_kb "$app_pid")
    idle_dirty=$(private_dirty_kb "$app_pid")
  fi
  stop "$app_pid"
  log "start $i: ready in $ready_ms ms"
done
ready_median=$(printf '%s\n' "${readies[@]}" | median)
# baseline: the same Java starting and exiting at once (`-version`), with the launcher's GC flags
java_bin=java
[[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && java_bin=$JAVA_HOME/bin/java
jvms=()
for _ in $(seq 1 "$starts"); do
  t0=$(now_ms)
  "$java_bin" -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData -version >/dev/null 2>&1
  jvms+=($(( $(now_ms) - t0 )))
done
jvm_median=$(printf '%s\n' "${jvms[@]}" | median)
row "start to ready, median of $starts (CDS warm)" "$ready_median" ms "<=" 1000 "$jvm_median" "$(ratio "$ready_median" "$jvm_median")"
row "idle RSS after 5 s" "$(mb "$idle_rss")" MB "<=" 80
info "idle private dirty memory after 5 s" "$(mb "$idle_dirty")" MB

# --- 2. the appliance under load -------------------------------------------------------------------
log "starting the appliance for the load phases"
start_appliance "$state" "$port" "$work/serve.log"
base=http://127.0.0.1:$port
key=$(cat "$state/guest.key")
auth=$(printf '%s' "$key" | base64 -w0)
code=$(curl -s -o "$work/put.json" -w '%{http_code}' -u "$key" -X PUT -H 'Content-Type: application/json' \
  "$base/api/v1/namespaces/_/actions/noop?overwrite=true" \
  -d "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"$noop\"},\"limits\":{\"concurrency\":200}}")
[[ $code == 200 ]] || { cat "$work/put.json" >&2; die "could not create the action noop (HTTP $code)"; }
action=$base/api/v1/namespaces/_/actions/noop

# api: /ping baseline, then the authenticated GET of an action
warm "$base/ping" 32
wrk_phase ping-c1 1 "$base/ping"; ping1_p50=$r_p50
wrk_phase ping-c32 32 "$base/ping"; ping32_rps=$r_rps
warm "$action" 32 GET "$auth"
wrk_phase get-action-c1 1 "$action" GET "$auth"; get1_p50=$r_p50
wrk_phase get-action-c32 32 "$action" GET "$auth"; get32_rps=$r_rps
row "GET action p50, 1 connection" "$get1_p50" ms "<=" 0.5 "$ping1_p50" "$(ratio "$get1_p50" "$ping1_p50")"
row "GET action req/s, 32 connections" "$get32_rps" "/s" ">=" 10000 "$ping32_rps" "$(ratio "$get32_rps" "$ping32_rps")"

# raw run: the baseline of an invocation, a container of our own on a published loopback port
log "raw run: starting a nodejs action container"
cid=$(podman run -d --rm --label "edgewhisk.bench=$run_id" -p 127.0.0.1::8080 "$image")
cport=$(podman port "$cid" 8080/tcp | head -n1 | sed 's/.*://')
raw=http://127.0.0.1:$cport
for _ in $(seq 1 100); do
  code=$(curl -s -o "$work/init.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' "$raw/init" \
    -d "{\"value\":{\"name\":\"noop\",\"main\":\"main\",\"binary\":false,\"code\":\"$noop\",\"env\":{\"__OW_ALLOW_CONCURRENT\":\"true\"}}}" \
    2>/dev/null || true)
  [[ $code == 200 ]] && break
  sleep 0.1
done
[[ $code == 200 ]] || { cat "$work/init.json" >&2; die "the raw container did not accept /init (HTTP $code)"; }
run_body='{"value":{},"namespace":"guest","action_name":"/guest/noop","activation_id":"0","transaction_id":"0","deadline":"9999999999999"}'
warm "$raw/run" 32 POST "" "$run_body"
wrk_phase raw-run-c1 1 "$raw/run" POST "" "$run_body"; raw1_p50=$r_p50; raw1_p99=$r_p99
wrk_phase raw-run-c32 32 "$raw/run" POST "" "$run_body"; raw32_rps=$r_rps
podman rm -f -t 0 "$cid" >/dev/null 2>&1 || true

# Podman's log stream vs its attach stream: how late a container's output (the activation-log
# sentinels) reaches a docker-java client (LogStreamBenchmark, test classes)
classes=$repo/appliance/target/test-classes
if [[ -f $classes/io/edgewhisk/bench/LogStreamBenchmark.class ]]; then
  "$java_bin" -cp "$dist/lib/*:$classes" io.edgewhisk.bench.LogStreamBenchmark 4 "$image" "edgewhisk.bench=$run_id" \
    >"$work/stream-bench.txt" 2>&1 || { cat "$work/stream-bench.txt" >&2; die "LogStreamBenchmark failed"; }
  stream_p50() { awk -v s="stream=$1" '$2 == s {for (i = 1; i <= NF; i++) if ($i ~ /^p50_ms=/) print substr($i, 8)}' "$work/stream-bench.txt"; }
  stream_max() { awk -v s="stream=$1" '$2 == s {for (i = 1; i <= NF; i++) if ($i ~ /^max_ms=/) print substr($i, 8)}' "$work/stream-bench.txt"; }
  log "container output lag: logs?follow p50 $(stream_p50 logs-follow) ms (max $(stream_max logs-follow)), attach p50 $(stream_p50 attach) ms (max $(stream_max attach))"
fi

# invoke: blocking, warm, keep-alive
code=$(curl -s -o "$work/first.json" -w '%{http_code}' -u "$key" -X POST "$action?blocking=true&result=true")
[[ $code == 200 ]] || { cat "$work/first.json" >&2; die "the first blocking invocation failed (HTTP $code)"; }
warm "$action?blocking=true&result=true" 32 POST "$auth"
c1_since=$(now_ms)
wrk_phase invoke-blocking-c1 1 "$action?blocking=true&result=true" POST "$auth"
inv1_p50=$r_p50; inv1_p99=$r_p99
# where the time of a blocking invocation goes: the activations' own waitTime (accepted -> run
# starts) and duration (the run), medians over (the last 200 of) the 1-connection phase's
curl -s -u "$key" "$base/api/v1/namespaces/_/activations?limit=200&docs=true&since=$c1_since" >"$work/activations.json"
read -r act_wait act_dur < <(python3 - "$work/activations.json" <<'PY'
import json, statistics, sys
acts = json.load(open(sys.argv[1]))
waits = [a["value"] for x in acts for a in x.get("annotations", []) if a["key"] == "waitTime"]
durs = [x["duration"] for x in acts if "duration" in x]
print(statistics.median(waits) if waits else 0, statistics.median(durs) if durs else 0)
PY
)
log "blocking c1: activation waitTime median $act_wait ms, duration median $act_dur ms, end to end p50 $inv1_p50 ms"
# CPU per activation (issue 12): utime+stime from /proc/PID/stat of each process on the path, over
# the 32-connection blocking phase, divided by the activations answered; the Java figure also without
# its JIT compiler threads (on a loaded machine the JIT may still be compiling after the warm-up).
cpu_ticks() { # cpu_ticks PID... [-nojit]: summed clock ticks of the processes (or of PID's non-JIT threads)
  local s=0 p t c
  if [[ ${!#} == -nojit ]]; then
    [[ -n $1 && -d /proc/$1 ]] || { echo 0; return; }
    for t in "/proc/$1"/task/*; do
      c=$(cat "$t/comm" 2>/dev/null) || continue
      [[ $c == "C1 CompilerThre" || $c == "C2 CompilerThre" ]] && continue
      s=$(( s + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) ))
    done
  else
    for p in "$@"; do
      [[ -n $p && -r /proc/$p/stat ]] && s=$(( s + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
    done
  fi
  echo "$s"
}
podman_svc=$(pgrep -o -f 'podman system service' || true)
conmons=(); nodes=()   # the action containers' conmon, and their init process with its children (node)
for c in $(podman ps -q --filter "label=edgewhisk.instance=$run_id"); do
  read -r cm np < <(podman inspect --format '{{.State.ConmonPid}} {{.State.Pid}}' "$c")
  conmons+=("$cm"); nodes+=("$np")
  read -ra kids < <(cat /proc/"$np"/task/*/children 2>/dev/null | tr '\n' ' ') || true   # no newline: read answers 1
  nodes+=("${kids[@]}")
done
cpu_now() { echo "$(cpu_ticks "$app_pid") $(cpu_ticks "$app_pid" -nojit) $(cpu_ticks "$podman_svc") $(cpu_ticks "${conmons[@]}") $(cpu_ticks "${nodes[@]}")"; }
read -ra cpu0 < <(cpu_now)
full0=$(gc_pauses Full); young0=$(gc_pauses Young)
sample_rss_start "$app_pid" "$work/rss-blocking"
wrk_phase invoke-blocking-c32 32 "$action?blocking=true&result=true" POST "$auth"
inv32_rps=$r_rps
sample_rss_stop
read -ra cpu1 < <(cpu_now)
full1=$(gc_pauses Full); young1=$(gc_pauses Young)
us_per() { awk -v t="$(( cpu1[$1] - cpu0[$1] ))" -v hz="$(getconf CLK_TCK)" -v n="$r_ok" 'BEGIN {printf "%.0f", n == 0 ? 0 : t * 1e6 / hz / n}'; }
rss_blocking=$(cat "$work/rss-blocking")
row "blocking invoke p50, 1 connection" "$inv1_p50" ms "<=" 1 "$raw1_p50" "$(ratio "$inv1_p50" "$raw1_p50")"
row "blocking invoke p50 / raw /run p50" "$(awk -v a="$inv1_p50" -v b="$raw1_p50" 'BEGIN {printf "%.2f", b == 0 ? 0 : a / b}')" x "<=" 3
info "  of which not waitTime nor duration" "$(awk -v e="$inv1_p50" -v w="$act_wait" -v d="$act_dur" 'BEGIN {x = e - w - d; printf "%.3f", x < 0 ? 0 : x}')" ms "wait $act_wait" "run $act_dur"
if [[ -f $work/stream-bench.txt ]]; then
  info "  container output lag, Podman logs?follow p50" "$(stream_p50 logs-follow)" ms "attach p50" "$(stream_p50 attach) ms"
fi
row "blocking invoke p99, 1 connection" "$inv1_p99" ms "<=" 2 "$raw1_p99" "$(ratio "$inv1_p99" "$raw1_p99")"
row "blocking invokes/s, 32 connections" "$inv32_rps" "/s" ">=" 8000 "$raw32_rps" "$(ratio "$inv32_rps" "$raw32_rps")"
row "blocking invokes/s / raw /run/s, 32 connections" "$(awk -v a="$inv32_rps" -v b="$raw32_rps" 'BEGIN {printf "%.2f", b == 0 ? 0 : a / b}')" x ">=" 0.4
row "Java CPU per blocking activation, 32 conns" "$(us_per 0)" us "<=" 100 "no JIT $(us_per 1)"
info "  podman service / conmon / action's node" "$(us_per 2)" us "conmon $(us_per 3)" "node $(us_per 4)"
info "  full GCs (all threads stopped) in that phase" "$(( full1 - full0 ))" "" "young $(( young1 - young0 ))"

# invoke: non-blocking, accepted durably (202)
# (awk reads to the end: an early exit would break curl's pipe, and pipefail would end the script)
in_flight() { curl -s -u "$key" "$base/metrics" | awk '/^edgewhisk_activations_in_flight / {v = $2} END {print v}'; }
# Its own warm-up first, as every phase has: the blocking phases leave the JIT's profile of a path whose
# replies carry results; without it the C2 compiler recompiles for 202s through the measured phase (a
# quarter of the JVM's CPU there). Its backlog runs to the end before the phase starts.
BENCH_METHOD=POST BENCH_AUTH=$auth wrk -t1 -c32 -d"${nb_warmup}s" --timeout 10s -s "$lua" "$action" >/dev/null 2>&1 || true
warm_start=$(now_ms)
while [[ $(in_flight) != 0 ]]; do
  (( $(now_ms) - warm_start < 600000 )) || die "the non-blocking warm-up's backlog did not run within 600 s"
  sleep 0.2
done
log "non-blocking warm-up: ${nb_warmup} s of accepts, their backlog ran in $(( ($(now_ms) - warm_start) / 1000 )) s"
sample_rss_start "$app_pid" "$work/rss-async"
wrk_phase invoke-nonblocking-c32 32 "$action" POST "$auth"
async_rps=$r_rps
# the burst's backlog (admitted, not finished) then runs at the invocation rate: time it to empty
backlog=$(in_flight); drain_start=$(now_ms)
while [[ $(in_flight) != 0 ]]; do
  (( $(now_ms) - drain_start < 600000 )) || die "the non-blocking backlog did not run within 600 s"
  sleep 0.05
done
drain_ms=$(( $(now_ms) - drain_start ))
sample_rss_stop
rss_async=$(cat "$work/rss-async")
row "non-blocking invokes accepted/s, 32 conns" "$async_rps" "/s" ">=" 15000 "$raw32_rps" "$(ratio "$async_rps" "$raw32_rps")"
info "  backlog at its end, then run at" "${backlog:-?}" "" "$(awk -v n="${backlog:-0}" -v ms="$drain_ms" 'BEGIN {printf "%.0f/s", ms == 0 ? 0 : n * 1000 / ms}')" "$(awk -v ms="$drain_ms" 'BEGIN {printf "%.1f s", ms / 1000}')"
rss_peak=$(( rss_blocking > rss_async ? rss_blocking : rss_async ))
row "peak RSS under invocation load" "$(mb "$rss_peak")" MB "<=" 200
info "  in the blocking phases / the non-blocking one" "$(mb "$rss_blocking")" MB "$(mb "$rss_async") MB"

log "stopping the appliance"
stop "$app_pid"

# --- the embedded log alone: durable appends (the floor under a non-blocking 202) vs raw fsync ----
if [[ -f $classes/io/edgewhisk/bench/LogAppendBenchmark.class ]]; then
  log "log alone: durable appends with 32 callers vs the disk's fsync rate (LogAppendBenchmark)"
  "$java_bin" -cp "$dist/lib/*:$classes" -Djava.io.tmpdir="$work" \
    io.edgewhisk.bench.LogAppendBenchmark "$(( seconds / 2 > 2 ? seconds / 2 : 2 ))" 32 >"$work/log-bench.txt" 2>&1 \
    || { cat "$work/log-bench.txt" >&2; die "LogAppendBenchmark failed"; }
  fsync_rate=$(awk '/phase=fsync-baseline/ {for (i = 1; i <= NF; i++) if ($i ~ /^per_second=/) print substr($i, 12)}' "$work/log-bench.txt")
  for phase in durable-append durable-append+commits; do
    rate=$(awk -v ph="phase=$phase" '$2 == ph {for (i = 1; i <= NF; i++) if ($i ~ /^per_second=/) print substr($i, 12)}' "$work/log-bench.txt")
    info "log alone: $phase/s, 32 callers" "$rate" "/s" "$fsync_rate" "$(ratio "$rate" "$fsync_rate")"
  done
  log "log alone: $(grep BENCH_LOG "$work/log-bench.txt" | tr '\n' ';')"
else
  log "no $classes/io/edgewhisk/bench/LogAppendBenchmark.class (mvn package compiles it): log-alone phase skipped"
fi

# --- the invoker alone (issue 3): overhead over the raw round trip, cold and stem-cell starts -------------
if [[ -f $classes/io/edgewhisk/invoker/InvokerBenchmark.class ]]; then
  log "invoker: InvokerBenchmark ${BENCH_INVOKER_ITERATIONS:-2000 15}"
  # shellcheck disable=SC2086 # two numbers
  "$java_bin" -cp "$dist/lib/*:$classes" -Djava.io.tmpdir="$work" io.edgewhisk.invoker.InvokerBenchmark \
    ${BENCH_INVOKER_ITERATIONS:-2000 15} >"$work/invoker-bench.txt" 2>&1 \
    || { cat "$work/invoker-bench.txt" >&2; die "InvokerBenchmark failed"; }
  num_after() { # num_after LINE-PREFIX WORD: the number after WORD on the line starting with LINE-PREFIX
    awk -v p="$1" -v w="$2" 'index($0, p) == 1 {for (i = 1; i < NF; i++) if ($i == w) {gsub(/[^0-9.]/, "", $(i + 1)); print $(i + 1); exit}}' "$work/invoker-bench.txt"
  }
  raw_loop=$(num_after "(a')" p50)
  warm_loop=$(num_after "(b')" p50)
  overhead=$(awk -v b="$warm_loop" -v a="$raw_loop" 'BEGIN {printf "%.0f", b - a}')
  cold=$(num_after "(c)" p50)
  floor=$(awk '/floor: `podman run/ {for (i = 1; i < NF; i++) if ($i == "p50") {print $(i + 1); exit}}' "$work/invoker-bench.txt")
  stem=$(num_after "(d)" p50)
  row "invoker: warm /run overhead at p50" "$overhead" "us" "<=" 300 "$raw_loop us" "$(ratio "$warm_loop" "$raw_loop")"
  row "invoker: cold start, no stem cell, p50" "$cold" ms "<=" 400 "$floor ms" "$(ratio "$cold" "$floor")"
  row "invoker: start from a stem cell, p50" "$stem" ms "<=" 30 "$floor ms" "$(ratio "$stem" "$floor")"
else
  log "no $classes/io/edgewhisk/invoker/InvokerBenchmark.class (mvn package compiles it): invoker phase skipped"
fi

# --- the plugins' benchmarks (issues 9, 10), from their modules' test classes ---------------------------
# module_classpath MODULE: the module's classes, test classes and test-scope dependencies (resolved once, by
# Maven, with the appliance from this tree, never from ~/.m2)
if [[ ${BENCH_MQTT:-1} != 0 || ${BENCH_SYNC:-1} != 0 ]]; then
  log "resolving the class paths of triggers-mqtt and sync (mvn -o test-compile dependency:build-classpath)"
  (cd "$repo" && mvn -B -o -q -pl triggers-mqtt,sync -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test) >"$work/plugin-classpath.log" 2>&1 \
    || { cat "$work/plugin-classpath.log" >&2; die "could not resolve the plugins' class paths"; }
fi
module_classpath() {
  echo "$repo/$1/target/test-classes:$repo/$1/target/classes:$(cat "$repo/$1/target/bench.classpath")"
}
num() { tr -d ', ' <<<"$1"; }

if [[ ${BENCH_MQTT:-1} == 0 ]]; then
  log "MQTT broker: skipped (BENCH_MQTT=0)"
else
  mqtt_seconds=${BENCH_MQTT_SECONDS:-4}
  log "MQTT broker: BrokerBenchmark against Mosquitto, $mqtt_seconds s a row (about $(( mqtt_seconds * 28 )) s)"
  mqtt_cp=$(module_classpath triggers-mqtt)
  (cd "$repo/triggers-mqtt" && "$java_bin" -Xmx1g -cp "$mqtt_cp" io.edgewhisk.mqtt.bench.BrokerBenchmark "$mqtt_seconds") \
    >"$work/mqtt-bench.txt" 2>&1 || { cat "$work/mqtt-bench.txt" >&2; die "BrokerBenchmark failed"; }
  # rows "| QoS | payload | shape | EdgeWhisk msg/s | Mosquitto msg/s | ratio | EdgeWhisk p99 | Mosquitto p99 |",
  # printed as they are measured and again in the final table: the last of each shape counts
  while IFS='|' read -r _ qos payload shape ew mq _; do
    qos=$(num "$qos"); ew=$(num "$ew"); mq=$(num "$mq")
    row "mqtt QoS $qos, $(xargs <<<"$payload"), $(xargs <<<"$shape") msg/s" "$ew" "/s" ">=" "$mq" "$mq" "$(ratio "$ew" "$mq")"
  done < <(grep -E '^\| [01] \|' "$work/mqtt-bench.txt" | awk -F'|' '!seen[$2 $3 $4]++ {rows[++n] = $0} END {for (i = 1; i <= n; i++) print rows[i]}')
  latency=$(grep '^Latency at half' "$work/mqtt-bench.txt" | tail -n 1)
  [[ -n $latency ]] || { cat "$work/mqtt-bench.txt" >&2; die "BrokerBenchmark printed no latency line"; }
  ew_p99=$(sed -E 's/.*EdgeWhisk p50 [0-9.]+ ms, p99 ([0-9.]+) ms.*/\1/' <<<"$latency")
  mq_p99=$(sed -E 's/.*Mosquitto p50 [0-9.]+ ms, p99 ([0-9.]+) ms.*/\1/' <<<"$latency")
  half=$(sed -E 's/.*rate \(([0-9]+) msg\/s\).*/\1/' <<<"$latency")
  row "mqtt QoS 1 p99 at half rate ($half msg/s)" "$ew_p99" ms "<=" 5 "$mq_p99 ms" "$(ratio "$ew_p99" "$mq_p99")"
  idle=$(grep '^Idle connections' "$work/mqtt-bench.txt" | tail -n 1)
  [[ -n $idle ]] || { cat "$work/mqtt-bench.txt" >&2; die "BrokerBenchmark printed no idle connections line"; }
  ew_idle=$(sed -E 's/.*EdgeWhisk ([0-9]+) bytes each.*/\1/' <<<"$idle")
  mq_idle=$(sed -E 's/.*Mosquitto ([0-9]+) bytes each.*/\1/' <<<"$idle")
  row "mqtt 10,000 idle connections, RSS each" "$ew_idle" B "<=" 10240 "$mq_idle B" "$(ratio "$ew_idle" "$mq_idle")"
  sensor_n=${BENCH_MQTT_SENSOR_MESSAGES:-300}
  log "MQTT sensor message to finished activation: SensorLatencyBenchmark, $sensor_n QoS 1 messages (a child appliance, Podman)"
  (cd "$repo/triggers-mqtt" && "$java_bin" -Xmx512m -cp "$mqtt_cp" io.edgewhisk.mqtt.bench.SensorLatencyBenchmark "$sensor_n") \
    >"$work/mqtt-sensor.txt" 2>&1 || { tail -n 60 "$work/mqtt-sensor.txt" >&2; die "SensorLatencyBenchmark failed"; }
  sensor=$(grep '^Sensor to finished activation' "$work/mqtt-sensor.txt" | tail -n 1)
  [[ -n $sensor ]] || { cat "$work/mqtt-sensor.txt" >&2; die "SensorLatencyBenchmark printed no result line"; }
  sensor_p50=$(sed -E 's/.*: p50 ([0-9.]+) ms, p99.*/\1/' <<<"$sensor")
  invoke_p50=$(sed -E 's/.*blocking invoke p50 ([0-9.]+) ms.*/\1/' <<<"$sensor")
  row "mqtt sensor message -> finished warm no-op, p50" "$sensor_p50" ms "<=" 3 "$invoke_p50 ms" "$(ratio "$sensor_p50" "$invoke_p50")"
fi

if [[ ${BENCH_SYNC:-1} == 0 ]]; then
  log "sync: skipped (BENCH_SYNC=0)"
else
  sync_n=${BENCH_SYNC_ACTIVATIONS:-100000}
  log "sync: SyncBenchmark, a backlog of $sync_n activations (pouchdb-server and a one-node Kafka)"
  sync_cp=$(module_classpath sync)
  (cd "$repo/sync" && "$java_bin" -Xmx1g -cp "$sync_cp" io.edgewhisk.sync.SyncBenchmark "$sync_n") \
    >"$work/sync-bench.txt" 2>&1 || { tail -n 40 "$work/sync-bench.txt" >&2; die "SyncBenchmark failed"; }
  # rows "| what | measured | target | baseline text N /s (R x) |"
  sync_row() { # sync_row PREFIX LABEL UNIT OP TARGET
    local line value base
    line=$(grep -F "| $1" "$work/sync-bench.txt" | tail -n 1)
    [[ -n $line ]] || { cat "$work/sync-bench.txt" >&2; die "SyncBenchmark printed no row '$1'"; }
    value=$(num "$(awk -F'|' '{print $3}' <<<"$line")")
    base=$(awk -F'|' '{print $5}' <<<"$line" | sed -E 's/.* ([0-9.,]+) (\/s|s) \(.*/\1/')
    base=$(num "$base")
    row "$2" "$value" "$3" "$4" "$5" "$base $3" "$(ratio "$value" "$base")"
  }
  sync_row "backlog drain into pouchdb-server" "sync: backlog drain into CouchDB (pouchdb)" "/s" ">=" 5000
  sync_row "backlog drain onto Kafka" "sync: backlog drain onto Kafka" "/s" ">=" 20000
  sync_row "pull of 1,000 actions" "sync: pull of 1,000 actions from empty" s "<=" 5
fi

# --- the installed Debian package (issue 11): start to ready and idle memory as systemd runs it ----------
deb_file=
for f in "$repo"/packaging/target/edgewhisk_*_all.deb; do [[ -f $f ]] && deb_file=$f; done
if [[ ${BENCH_DEB:-1} == 0 ]]; then
  log "installed package: skipped (BENCH_DEB=0)"
elif [[ $EUID -ne 0 || -z $deb_file ]]; then
  log "installed package: skipped (needs root and packaging/target/edgewhisk_*_all.deb)"
else
  log "installed package: packaging/deb-check.sh (installs, measures, purges)"
  BENCH_STARTS=$starts DEB_CHECK_FIGURES=$work/deb-figures bash "$repo/packaging/deb-check.sh" "$deb_file" \
    >"$work/deb-check.log" 2>&1 || { tail -n 40 "$work/deb-check.log" >&2; die "deb-check.sh failed"; }
  deb_ready=$(awk '$1 == "ready_ms" {print $2}' "$work/deb-figures")
  deb_rss=$(awk '$1 == "rss_kb" {print $2}' "$work/deb-figures")
  deb_dirty=$(awk '$1 == "private_dirty_kb" {print $2}' "$work/deb-figures")
  row "installed .deb: start to ready, median of $starts" "$deb_ready" ms "<=" 1500 "$jvm_median" "$(ratio "$deb_ready" "$jvm_median")"
  row "installed .deb: idle RSS after 5 s, median" "$(mb "$deb_rss")" MB "<=" 80
  info "installed .deb: idle private dirty, median" "$(mb "$deb_dirty")" MB
fi

# --- report ----------------------------------------------------------------------------------------
echo
printf '%-46s %12s %-5s %2s %-10s %-5s %12s %10s\n' metric measured unit "" target result baseline ratio
printf '%s\n' "${rows[@]}"
echo
echo "baselines: \`java -version\` for start to ready; GET /ping for the API rows; raw POST /run to a nodejs container"
echo "(same no-op) for the invoke rows; one thread's write+fsync of a file (fsyncs/s) for the log-alone rows;"
echo "the raw /run from an event loop and \`podman run\` until the server answers for the invoker rows; Mosquitto 2.0 under the"
echo "same load for the mqtt rows; raw _bulk_docs / one producer batch / one _changes read on the same servers for the sync rows."
echo "phases of ${seconds} s with wrk (packaging/bench.lua); $(nproc) cores shared with wrk; load average at start ${load_start}, at end $(cut -d " " -f 1-3 /proc/loadavg); $(date -u +%FT%TZ)"
exit
}
