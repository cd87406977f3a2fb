#!/usr/bin/env bash
# Builds EdgeWhisk's action runtime images into the local Podman storage without any registry:
#   debootstrap --variant=minbase (Debian bookworm, from this machine's apt mirror)
#     -> podman import (localhost/edgewhisk/base-<lang>)
#     -> podman build images/<lang>/Containerfile --build-arg BASE=... (localhost/edgewhisk/action-<lang>:latest)
# Each final image carries the label edgewhisk.source-hash; an image whose label matches the current
# sources is skipped, and an existing base image with the same package list is reused.
#
# Usage: images/build.sh [--only nodejs|python|skeleton] [--force]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# EDGEWHISK_IMAGE_PREFIX builds under another name (e.g. to time a cold build beside images in use).
PREFIX=${EDGEWHISK_IMAGE_PREFIX:-localhost/edgewhisk}
SUITE=bookworm
ALL=(nodejs python skeleton)
PATH_ENV='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

die() { echo "build.sh: error: $*" >&2; exit 1; }
usage() { echo "usage: $0 [--only nodejs|python|skeleton] [--force]" >&2; exit 2; }

ONLY=()
FORCE=false
while (($#)); do
  case "$1" in
    --only) [[ $# -ge 2 ]] || usage; ONLY+=("$2"); shift 2 ;;
    --only=*) ONLY+=("${1#--only=}"); shift ;;
    --force) FORCE=true; shift ;;
    -h|--help) usage ;;
    *) echo "build.sh: unknown argument: $1" >&2; usage ;;
  esac
done
((${#ONLY[@]})) || ONLY=("${ALL[@]}")
for lang in "${ONLY[@]}"; do
  [[ " ${ALL[*]} " == *" $lang "* ]] || die "unknown image '$lang' (expected one of: ${ALL[*]})"
done

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap and the root Podman storage need it)"
command -v podman >/dev/null ||
  die "podman is not installed; the host setup of the packaging helper installs it (apt-get install -y podman runc debootstrap)"

# The Debian packages of each base root file system, and which base each image builds on.
base_of() { case "$1" in nodejs) echo nodejs ;; python|skeleton) echo python ;; esac; }
packages_of_base() { case "$1" in nodejs) echo nodejs ;; python) echo python3 ;; esac; }
kind_of() { case "$1" in nodejs) echo nodejs:18 ;; python) echo python:3.11 ;; skeleton) echo blackbox ;; esac; }

WORK=""
cleanup() {
  [[ -n "$WORK" && -d "$WORK" ]] || return 0
  # debootstrap mounts /proc and /sys inside the target; a failed run can leave them mounted.
  awk -v root="$WORK" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Two builds at once (say this script and the invoker's test setup) would race on the same tags.
exec 9>"/run/lock/edgewhisk-images-build-${PREFIX//[^A-Za-z0-9]/_}.lock"
flock 9

# The Debian mirror this machine's apt already uses (never a hard-coded host).
debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    # deb822 stanzas: the URIs of a stanza whose Suites list the plain suite (not -security/-updates).
    uri=$(awk -v suite="$SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; ok = 0; deb = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Types:/ && $i ~ /(^|[ \t])deb([ \t]|$)/) deb = 1
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok = 1 }
          if ($i ~ /^Enabled:[ \t]*no/) ok = 0
        }
        if (ok && deb && uris != "") { print uris; exit }
      }' "$f")
    [[ -n "$uri" ]] && { echo "$uri"; return 0; }
  done
  if [[ -f /etc/apt/sources.list ]]; then
    uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list |
      awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }')
    [[ -n "$uri" ]] && { echo "$uri"; return 0; }
  fi
  return 1
}

image_label() { podman image inspect --format "{{ index .Labels \"$2\" }}" "$1" 2>/dev/null || true; }

# What each image is built from (relative to images/) and its build context: the skeleton shares
# the python proxy's protocol module, so it builds from images/ itself.
sources_of() {
  case "$1" in
    skeleton) echo skeleton/Containerfile skeleton/proxy python/proxy/protocol.py ;;
    *) echo "$1/Containerfile $1/proxy" ;;
  esac
}
context_of() { case "$1" in skeleton) echo "$HERE" ;; *) echo "$HERE/$1" ;; esac; }

# A hash of what goes into an image: its Containerfile, its proxy sources (not tests) and its base.
source_hash() {
  local lang=$1 base
  base=$(base_of "$lang")
  {
    echo "suite=$SUITE base=$base packages=$(packages_of_base "$base")"
    # shellcheck disable=SC2046 # the source list is a fixed set of words
    cd "$HERE" &&
      find $(sources_of "$lang") -type f ! -path '*/test/*' ! -path '*/__pycache__/*' \
        ! -name '*.test.js' ! -name 'test_*.py' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

# Strips what a container never needs from a fresh root file system.
trim_rootfs() {
  local root=$1
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/usr/share/locale/* "$root"/usr/share/lintian "$root"/var/cache/apt/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old "$root"/var/log/*
  # Podman provides these at run time; the host's copies must not end up in an image.
  : > "$root/etc/resolv.conf"
  : > "$root/etc/hostname"
}

build_base() {
  local base=$1 label=$2 image="$PREFIX/base-$1" packages mirror log
  packages=$(packages_of_base "$base")
  if ! $FORCE && [[ "$(image_label "$image" edgewhisk.base-packages)" == "$SUITE:$packages" ]]; then
    echo "$label: reusing base image $image"
    return 0
  fi
  command -v debootstrap >/dev/null ||
    die "debootstrap is not installed; the host setup of the packaging helper installs it (apt-get install -y podman runc debootstrap)"
  mirror=$(debian_mirror) || die "no Debian '$SUITE' mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
  WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/edgewhisk-rootfs.XXXXXX")
  log="$WORK/debootstrap.log"
  echo "building $label: debootstrap --variant=minbase --include=$packages $SUITE ($mirror)"
  if ! debootstrap --variant=minbase --include="$packages" "$SUITE" "$WORK/root" "$mirror" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "debootstrap of base-$base failed (log above)"
  fi
  trim_rootfs "$WORK/root"
  echo "building $label: podman import $image"
  tar -C "$WORK/root" -c . | podman import --quiet \
    --change "ENV $PATH_ENV" --change "LABEL edgewhisk.base-packages=$SUITE:$packages" \
    - "$image" >/dev/null || die "podman import of $image failed"
  cleanup
  WORK=""
}

build_image() {
  local lang=$1 image="$PREFIX/action-$1:latest" hash base old new log started
  started=$SECONDS
  hash=$(source_hash "$lang")
  if ! $FORCE && [[ "$(image_label "$image" edgewhisk.source-hash)" == "$hash" ]]; then
    echo "$lang: up to date ($image)"
    return 0
  fi
  base=$(base_of "$lang")
  build_base "$base" "$lang"
  old=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  echo "building $lang: podman build $image"
  log=$(mktemp "${TMPDIR:-/var/tmp}/edgewhisk-build.XXXXXX")
  if ! podman build --pull=never --build-arg "BASE=$PREFIX/base-$base" \
      --label "edgewhisk.source-hash=$hash" --label "edgewhisk.kind=$(kind_of "$lang")" \
      -t "$image" -f "$HERE/$lang/Containerfile" "$(context_of "$lang")" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "podman build of $image failed (output above)"
  fi
  rm -f "$log"
  new=$(podman image inspect --format '{{.Id}}' "$image")
  # The replaced image is now untagged; drop it unless a container still uses it.
  if [[ -n "$old" && "$old" != "$new" ]]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
  echo "$lang: built $image in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

for lang in "${ONLY[@]}"; do
  build_image "$lang"
done
