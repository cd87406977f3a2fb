#!/usr/bin/env bash
# Proves the distribution runs on an arm64 JVM (most gateways are ARM), on this x86 machine: Debian's
# openjdk-17-jre-headless:arm64 unpacked into a folder and run by qemu-user-static (no binfmt_misc, no
# chroot: `qemu-aarch64-static -L ROOT ROOT/usr/lib/jvm/.../bin/java`). It starts the packaged launcher
# with that Java and the container engine absent, then checks what does not need containers:
#   GET /ping; create, get, list, update and delete of an action, a package, a trigger and a rule;
#   a trigger fire recorded in the activations list; a SIGTERM (exit 0); a second start on the same
#   state directory (with the class-data archive the first one wrote) that still has all of it, so
#   SQLite's aarch64 native library and the embedded log work on arm64.
#
#   bash packaging/arm64-check.sh [path/to/edgewhisk-<version>.tar.gz]
#
# The arm64 packages are fetched once (apt-get download, ~44 MB) into
# ${EDGEWHISK_TEST_CACHE:-~/.cache/edgewhisk-test}/arm64 and unpacked there; fetching needs the arm64
# dpkg architecture for a moment: it is added, used and removed again (also on failure). Needs root for
# that first fetch only, and qemu-user-static (packaging/host-setup.sh installs it). About 1-2 minutes
# with the cache (qemu runs the JVM 5-10x slower than native), plus the download the first time.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "arm64-check: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }

tarball=${1:-}
if [[ -z $tarball ]]; then
  for tarball in "$repo"/packaging/target/edgewhisk-*.tar.gz; do break; done
fi
[[ -f $tarball ]] || die "no distribution archive (run mvn package first)"
qemu=$(command -v qemu-aarch64-static) || die "qemu-aarch64-static is not installed (apt-get install qemu-user-static)"

cache=${EDGEWHISK_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edgewhisk-test}/arm64
root=$cache/root
jvm=usr/lib/jvm/java-17-openjdk-arm64
arm_packages=(openjdk-17-jre-headless:arm64 libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 zlib1g:arm64)

added_arch=no
drop_arch() {
  if [[ $added_arch == yes ]]; then
    dpkg --remove-architecture arm64 && added_arch=no
    apt-get update -q >/dev/null 2>&1 || log "apt-get update after removing arm64 failed (the lists still have arm64 entries)"
    log "removed the arm64 dpkg architecture again"
  fi
}

fetch_arm64_java() {
  [[ $EUID -eq 0 ]] || die "the first run fetches arm64 packages with apt-get: run it as root once"
  rm -rf -- "$cache"
  mkdir -p "$cache/debs" "$root"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    added_arch=yes
  fi
  log "fetching ${arm_packages[*]}"
  apt-get update -q >/dev/null
  # apt-get download writes to the current folder; _apt cannot write to root's cache, so it warns
  (cd "$cache/debs" && apt-get download -q "${arm_packages[@]}" 2>&1) | grep -v '^W: Download is performed unsandboxed' >&2 || true
  ls "$cache"/debs/openjdk-17-jre-headless_*_arm64.deb >/dev/null || die "apt-get download fetched no arm64 Java"
  drop_arch
  local deb
  for deb in "$cache"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  # The JDK's absolute symlinks (e.g. to /etc/java-17-openjdk) point into the host: repoint them
  # into the root; the trust store is made by a postinst, which is not run, so take the host's.
  local link target
  while IFS= read -r link; do
    target=$(readlink "$link")
    [[ $target == /* ]] && ln -sfn "$root$target" "$link"
  done < <(find "$root" -type l)
  mkdir -p "$root/etc/ssl/certs/java"
  cp -L /etc/ssl/certs/java/cacerts "$root/etc/ssl/certs/java/cacerts" 2>/dev/null \
    || cp -L "$(dirname "$(readlink -f "$(command -v java)")")/../lib/security/cacerts" "$root/etc/ssl/certs/java/cacerts"
  rm -rf -- "$cache/debs"
  [[ -x $root/$jvm/bin/java ]] || die "no arm64 java in $root/$jvm after unpacking"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/edgewhisk-arm64.XXXXXX")
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  drop_arch
  rm -rf -- "$work"
}
trap cleanup EXIT

[[ -x $root/$jvm/bin/java ]] || fetch_arm64_java
dpkg --print-foreign-architectures | grep -qx arm64 && log "note: the arm64 architecture was already configured before this run"

# `java` for the launcher: the arm64 binary under qemu. Child processes need FORK under qemu (the
# arm64 jspawnhelper cannot be exec'd by an x86 kernel without binfmt_misc).
mkdir -p "$work/java/bin"
cat >"$work/java/bin/java" <<EOF
#!/bin/sh
exec "$qemu" -L "$root" "$root/$jvm/bin/java" -Djdk.lang.Process.launchMechanism=FORK "\$@"
EOF
chmod +x "$work/java/bin/java"
version=$("$work/java/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/os.arch/ {print $2}')
[[ $version == aarch64 ]] || die "the JVM under qemu reports os.arch '$version', not aarch64"
log "arm64 JVM: $("$work/java/bin/java" -version 2>&1 | head -n 1), os.arch $version"

tar -xzf "$tarball" -C "$work"
home=$(echo "$work"/edgewhisk-*)
state=$work/state
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
api=http://127.0.0.1:$port

serve() { # serve LABEL: starts the launcher on the arm64 JVM, waits for pong; sets pid
  local label=$1 start=$SECONDS
  JAVA_HOME=$work/java EDGEWHISK_CACHE_DIR=$work/cache EDGEWHISK_HEAP=256m \
    EDGEWHISK_PODMAN_SOCKET=$work/no-podman.sock EDGEWHISK_START_PODMAN_SERVICE=false \
    "$home/bin/edgewhisk" serve --state-dir "$state" --port "$port" </dev/null >"$work/$label.log" 2>&1 &
  pid=$!
  until [[ $(curl -s --max-time 2 "$api/ping" 2>/dev/null) == *pong* ]]; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$label.log" >&2; die "$label: serve exited before answering /ping"; }
    ((SECONDS - start < 600)) || { cat "$work/$label.log" >&2; die "$label: no pong within 600 s"; }
    sleep 0.5
  done
  log "$label start: ready in $((SECONDS - start)) s on the arm64 JVM"
  grep -q "container engine" "$work/$label.log" || log "note: start-up did not mention the absent container engine"
}

stop() { # SIGTERM, exit status 0
  local label=$1 code=0
  kill -TERM "$pid"
  wait "$pid" || code=$?
  pid=
  [[ $code == 0 ]] || { cat "$work/$label.log" >&2; die "$label: exit status $code after SIGTERM"; }
  log "$label: stopped by SIGTERM with status 0"
}

key() { cat "$state/guest.key"; }
call() { # call METHOD PATH [BODY] -> sets status and body
  local out
  out=$(curl -s --noproxy '*' -u "$(key)" -X "$1" -H 'Content-Type: application/json' ${3:+-d "$3"} \
    -w '\n%{http_code}' "$api/api/v1/namespaces/_$2")
  status=${out##*$'\n'}
  body=${out%$'\n'*}
}
expect() { # expect STATUS METHOD PATH [BODY]
  local want=$1
  shift
  call "$@"
  [[ $status == "$want" ]] || die "$1 $2: HTTP $status, expected $want: $body"
}
has() { [[ $body == *"$1"* ]] || die "expected '$1' in: $body"; }

serve first
[[ $(curl -s "$api/ping") == pong* ]] || die "/ping"
code='function main(p){return {v:1}}'
expect 200 PUT /actions/hello "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"$code\"}}"
expect 200 GET /actions/hello; has '"version":"0.0.1"'
expect 200 PUT '/actions/hello?overwrite=true' "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"$code\"},\"parameters\":[{\"key\":\"a\",\"value\":1}]}"
has '"version":"0.0.2"'
expect 200 PUT /actions/gone "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"$code\"}}"
expect 200 DELETE /actions/gone
expect 404 GET /actions/gone
expect 200 PUT /packages/tools '{"parameters":[{"key":"color","value":"blue"}]}'
expect 200 PUT /actions/tools/inner "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"$code\"}}"
expect 200 GET /packages/tools; has '"inner"'
expect 200 PUT /triggers/sensor '{}'
expect 200 PUT /rules/onSensor '{"trigger":"/_/sensor","action":"/_/hello"}'
expect 200 GET /rules/onSensor; has '"status":"active"'
expect 200 POST '/rules/onSensor' '{"status":"inactive"}'
expect 200 GET /rules/onSensor; has '"status":"inactive"'
expect 200 POST '/rules/onSensor' '{"status":"active"}'
expect 202 POST /triggers/sensor '{"n":1}'
fired=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["activationId"])' "$body")
expect 200 GET /actions; has '"hello"'
expect 200 GET /packages; has '"tools"'
expect 200 GET /triggers; has '"sensor"'
expect 200 GET /rules; has '"onSensor"'
for _ in $(seq 1 60); do
  call GET '/activations?name=sensor'
  [[ $body == *"$fired"* ]] && break
  sleep 0.5
done
has "$fired"
# the action itself cannot run here (no container engine): invocations answer 503, as documented
expect 503 POST '/actions/hello?blocking=true' '{}'
log "CRUD of actions, packages, triggers and rules, a trigger fire and the activations list: ok"
stop first

[[ -n $(ls "$work"/cache/edgewhisk-*.jsa 2>/dev/null) ]] || log "note: the first serve wrote no class-data archive"
serve second
expect 200 GET /actions/hello; has '"version":"0.0.2"'
expect 200 GET /packages/tools; has '"inner"'
expect 200 GET /rules/onSensor; has '"status":"active"'
expect 200 GET '/activations?name=sensor'; has "$fired"
log "after a restart on the same state directory: entities and activations kept"
stop second
log "passed"
