#!/usr/bin/env bash
# Runs every test of EdgeWhisk on this machine, the way CI does (`bash .ci/run`):
#   1. packaging/host-setup.sh: packages, Podman configuration and API socket, runtime images;
#   2. test-only tools that are not Maven dependencies, cached outside the source tree;
#   3. shellcheck on the launcher and these scripts; mvn -B verify: unit tests (*Test) and
#      integration tests (*IT) of all modules, and the distribution (packaging/target/edgewhisk-<version>.tar.gz);
#   4. packaging/dist-check.sh: the packaged launcher starts, answers, reports its start time and
#      memory, and stops cleanly;
#   5. packaging/deb-check.sh: the .deb's metadata, contents and lintian; apt-get install, the
#      systemd unit's command run as systemd would (no systemd init here) with an action on Podman,
#      systemd-analyze verify of every unit, apt-get remove and purge (about 2 minutes);
#   6. packaging/arm64-check.sh: the distribution on an arm64 JVM under qemu-user-static with the
#      container engine absent (about 2 minutes on a quiet machine, plus a 46 MB download once);
#   7. images/test.sh, when the tree has it.
# Then it checks that no EdgeWhisk container is left, stops the Podman service if it started it, and
# exits non-zero if any step failed (or says it was stopped, when a signal stopped it). Non-interactive;
# meant for 2 cores and about 15 minutes.
#
#   bash packaging/test-all.sh [extra mvn arguments]
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
log() { echo "test-all: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/edgewhisk-test-all.XXXXXX")
export EDGEWHISK_PODMAN_PIDFILE=$work/podman-service.pid
failed=()

leftover_containers() {
  command -v podman >/dev/null || return 0
  local left
  left=$(podman ps -a --filter label=edgewhisk.managed=true --format '{{.ID}} {{.Names}} {{.Image}} {{.Status}}' 2>/dev/null)
  if [[ -n $left ]]; then
    log "FAIL: EdgeWhisk containers left behind by the tests:"
    echo "$left" >&2
    failed+=("leftover-containers")
    # Remove them, so that the next run starts clean; the run has failed all the same.
    podman ps -aq --filter label=edgewhisk.managed=true | xargs -r podman rm -f >/dev/null 2>&1 || true
  fi
}

stop_podman_service() {
  # Only the service that host-setup started for this run, by its process id.
  [[ -s $EDGEWHISK_PODMAN_PIDFILE ]] || return 0
  local pid i
  pid=$(cat "$EDGEWHISK_PODMAN_PIDFILE")
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  log "stopped the Podman API service this run started (pid $pid)"
}

finish() {
  local status=$? # 128 + the signal when the run was stopped (Ctrl-C, a CI's timeout: the traps below)
  leftover_containers
  stop_podman_service
  rm -rf -- "$work"
  if ((${#failed[@]})); then
    log "FAILED: ${failed[*]}"
    exit 1
  fi
  if ((status != 0)); then
    log "STOPPED before every step had run (status $status)"
    exit "$status"
  fi
  log "all passed"
}
trap finish EXIT
# stopped by a signal: exit with its status, which finish() reports (bash's own exit on a signal would not)
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

step() { # step NAME COMMAND...: runs it, records a failure, goes on
  local name=$1 start status
  shift
  log "== $name"
  start=$SECONDS
  "$@"
  status=$?
  if ((status != 0)); then
    log "== $name FAILED (status $status, $((SECONDS - start)) s)"
    failed+=("$name")
  else
    log "== $name passed ($((SECONDS - start)) s)"
  fi
  return "$status"
}

# Test-only Node.js packages: the `openwhisk` npm client (the compatibility target the tests drive) and
# pouchdb-server (the CouchDB-speaking server sync's tests run as the central database; ~1.5 min to install).
# Installed once into a cache outside the tree.
node_cache=${EDGEWHISK_TEST_CACHE:-${XDG_CACHE_HOME:-~/.cache}/edgewhisk-test}
npm_packages=(openwhisk@3 pouchdb-server@4.2.0)
install_node_tools() {
  local want=() p
  for p in "${npm_packages[@]}"; do
    [[ -f $node_cache/node_modules/${p%@*}/package.json ]] || want+=("$p")
  done
  if ((${#want[@]} == 0)); then
    log "test tools already in $node_cache"
    return 0
  fi
  mkdir -p "$node_cache"
  # all of them in one command: npm prunes what the cache's package.json does not name, so installing only
  # the missing one could remove another
  log "installing ${want[*]} (with ${npm_packages[*]}) into $node_cache"
  npm install --prefix "$node_cache" --no-audit --no-fund --loglevel=error "${npm_packages[@]}"
}

step host-setup bash packaging/host-setup.sh || exit 1
step test-tools install_node_tools || exit 1
export EDGEWHISK_TEST_NODE_MODULES=$node_cache/node_modules

lint_scripts() {
  shellcheck -s sh packaging/src/dist/bin/edgewhisk && shellcheck packaging/*.sh .ci/run
}

step shellcheck lint_scripts
step mvn-verify mvn -B verify "$@"
if ls packaging/target/edgewhisk-*.tar.gz >/dev/null 2>&1; then
  step dist-check bash packaging/dist-check.sh
else
  log "no distribution archive (the build failed before packaging): dist-check not run"
  failed+=("dist-check")
fi
if ls packaging/target/edgewhisk_*_all.deb >/dev/null 2>&1; then
  # the set-up may run images/build.sh here: host-setup just built the images from this same tree
  step deb-check env DEB_CHECK_IMAGES=build bash packaging/deb-check.sh
else
  log "no .deb (the build failed before packaging): deb-check not run"
  failed+=("deb-check")
fi
if ls packaging/target/edgewhisk-*.tar.gz >/dev/null 2>&1; then
  step arm64-check bash packaging/arm64-check.sh
fi
if [[ -f images/test.sh ]]; then
  step images-test bash images/test.sh
fi
