#!/usr/bin/env bash
# Prepares this Debian machine to build, run and test EdgeWhisk: installs Podman and the tools the
# tests use, configures Podman for this kind of host, makes sure Podman's Docker-compatible API answers
# at /run/podman/podman.sock, and builds the action runtime images (images/build.sh).
#
#   bash packaging/host-setup.sh
#
# Idempotent and non-interactive; a second run installs nothing and only checks. Runs as root, or
# re-runs itself through sudo. Environment:
#   EDGEWHISK_PODMAN_PIDFILE  when this script has to start `podman system service` itself (no
#                             systemd), it writes that process id here, so its caller can stop it.
#   EDGEWHISK_SKIP_IMAGES=1   do not build the runtime images.
#   EDGEWHISK_PODMAN_SOCKET   the socket path (default /run/podman/podman.sock, where the appliance
#                             looks by default).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
socket=${EDGEWHISK_PODMAN_SOCKET:-/run/podman/podman.sock}
log() { echo "host-setup: $*" >&2; }

if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { log "run me as root (no sudo here)"; exit 1; }
  log "re-running as root through sudo"
  exec sudo env "EDGEWHISK_PODMAN_PIDFILE=${EDGEWHISK_PODMAN_PIDFILE:-}" \
    "EDGEWHISK_SKIP_IMAGES=${EDGEWHISK_SKIP_IMAGES:-}" "EDGEWHISK_PODMAN_SOCKET=$socket" \
    bash "${BASH_SOURCE[0]}" "$@"
fi
export DEBIAN_FRONTEND=noninteractive

systemd_running() { [[ -d /run/systemd/system ]]; }

# --- packages ---------------------------------------------------------------------------------------
# podman + runc: the container engine of the invoker (runc: crun fails on cgroups v1 hybrid hosts).
# debootstrap: images/build.sh makes the runtimes' root file systems without a registry.
# mosquitto, mosquitto-clients: an external broker and real clients for the MQTT integration tests.
# wrk: HTTP load for the benchmarks. curl: talks to the Podman socket. python3: free ports in scripts.
# The shellcheck package: test-all.sh lints the launcher and these scripts.
# nodejs, npm: the `openwhisk` npm client and pouchdb-server the integration tests drive.
# lintian: checks the .deb (deb-check.sh). systemd: `systemd-analyze verify` of the units (the package
# installs it even where systemd is not the init). qemu-user-static: runs an arm64 JVM for
# arm64-check.sh. openssl: HttpsIT compares the certificate's fingerprint with openssl's; the MQTT TLS
# listener's test makes a self-signed certificate with it.
packages=(podman runc debootstrap mosquitto mosquitto-clients wrk curl python3 shellcheck lintian systemd qemu-user-static openssl)
# Node.js may come from elsewhere than Debian (then it brings its own npm): only the commands count.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
  # Debian starts mosquitto as a service on port 1883, the port of EdgeWhisk's embedded broker; the
  # tests start brokers of their own on free ports.
  if [[ " ${missing[*]} " == *" mosquitto "* ]] && systemd_running; then
    systemctl disable --now mosquitto.service || true
  fi
else
  log "packages already installed"
fi

# --- Podman configuration -------------------------------------------------------------------------
# crun fails on hosts with cgroups v1 in hybrid mode, and raising rlimits is forbidden on some hosts:
# runc and modest default ulimits work everywhere.
dropin=/etc/containers/containers.conf.d/edgewhisk.conf
wanted='# Written by EdgeWhisk packaging/host-setup.sh.
[engine]
runtime = "runc"

[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]'
if [[ ! -f $dropin || $(cat "$dropin") != "$wanted" ]]; then
  log "writing $dropin"
  mkdir -p "$(dirname "$dropin")"
  printf '%s\n' "$wanted" >"$dropin"
fi

# --- the Podman API socket ------------------------------------------------------------------------
answers() { curl -sf --max-time 2 --unix-socket "$socket" http://d/v1.41/version >/dev/null 2>&1; }

# A service that is there but slow (a loaded machine) is given time before it is replaced: replacing
# it would orphan it, and whoever uses it would lose their socket when the new one is stopped.
answers_patiently() {
  local i
  [[ -S $socket ]] || return 1
  for ((i = 0; i < 3; i++)); do
    curl -sf --max-time 10 --unix-socket "$socket" http://d/v1.41/version >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

wait_for_socket() {
  local i
  for ((i = 0; i < 150; i++)); do
    answers && return 0
    sleep 0.2
  done
  return 1
}

if answers_patiently; then
  log "Podman API answers at $socket"
elif systemd_running; then
  log "starting Debian's podman.socket"
  systemctl enable --now podman.socket
  wait_for_socket || { log "podman.socket does not answer at $socket"; exit 1; }
else
  # No systemd (a container, CI): run the API service ourselves, detached, and say which process.
  service_log=/var/log/edgewhisk-podman-service.log
  log "starting podman system service (log: $service_log)"
  mkdir -p "$(dirname "$socket")"
  rm -f "$socket"
  setsid podman system service --time=0 "unix://$socket" </dev/null >>"$service_log" 2>&1 &
  service_pid=$!
  if [[ -n ${EDGEWHISK_PODMAN_PIDFILE:-} ]]; then
    echo "$service_pid" >"$EDGEWHISK_PODMAN_PIDFILE"
  fi
  if ! wait_for_socket; then
    log "podman system service does not answer at $socket; its log:"
    tail -n 20 "$service_log" >&2 || true
    exit 1
  fi
  log "Podman API answers at $socket (pid $service_pid)"
fi

# A developer who ran this through sudo runs the appliance as themself: let their group reach the
# root Podman API. Whoever can use this socket can do what root can; that is what sudo already meant.
if [[ -n ${SUDO_USER:-} && $SUDO_USER != root ]]; then
  chgrp "$(id -gn "$SUDO_USER")" "$socket"
  chmod 0660 "$socket"
  log "gave group $(id -gn "$SUDO_USER") access to $socket"
fi

# --- runtime images -------------------------------------------------------------------------------
if [[ ${EDGEWHISK_SKIP_IMAGES:-} == 1 ]]; then
  log "not building runtime images (EDGEWHISK_SKIP_IMAGES=1)"
elif [[ -f $repo/images/build.sh ]]; then
  log "building runtime images (images/build.sh skips the current ones)"
  bash "$repo/images/build.sh"
else
  log "no images/build.sh in this tree: no runtime images built"
fi
log "done"
