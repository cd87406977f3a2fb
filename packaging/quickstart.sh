#!/usr/bin/env bash
# Quick start: prepares the machine (packaging/host-setup.sh), builds the distribution, and runs
# EdgeWhisk in the foreground on its built-in defaults with a state folder you own. The appliance
# prints its API URL, where the guest key is, and a `wsk property set` line to paste. Ctrl-C stops it.
#
#   bash packaging/quickstart.sh [more `edgewhisk serve` arguments, e.g. --port 3234 or --dev]
#
# Environment: EDGEWHISK_STATE_DIR (default ~/.local/share/edgewhisk); the other EDGEWHISK_* settings
# of reference.conf and the launcher's (EDGEWHISK_HEAP, JAVA_OPTS) apply as usual.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
log() { echo "quickstart: $*" >&2; }

bash packaging/host-setup.sh

# Build unless the distribution is newer than every source and pom.
dist=packaging/target/edgewhisk
stamp=packaging/target/.quickstart-built
if [[ -f $stamp && -x $dist/bin/edgewhisk ]] &&
  [[ -z $(find . -path ./.git -prune -o -path '*/target' -prune -o -path ./images -prune \
    -o -type f -newer "$stamp" -print -quit) ]]; then
  log "distribution is up to date ($dist)"
else
  log "building the distribution (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
  touch "$stamp"
fi

state=${EDGEWHISK_STATE_DIR:-${XDG_DATA_HOME:-~/.local/share}/edgewhisk}
mkdir -p "$state"
chmod 0700 "$state"
log "state folder: $state"
export EDGEWHISK_STATE_DIR=$state
exec "$dist/bin/edgewhisk" serve --state-dir "$state" "$@"
