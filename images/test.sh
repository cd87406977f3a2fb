#!/usr/bin/env bash
# Tests EdgeWhisk's action runtime images: builds them if they are not current (build.sh skips images
# whose sources have not changed), runs the proxies' unit tests on the host, then the integration tests
# (test/runtimes.test.js, node:test) against real Podman containers. Every container (and test image)
# this run creates carries the label edgewhisk-images-test=<run id> and is removed on exit, even after
# a failure.
#
# Usage: images/test.sh [--no-build]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=true
case "${1:-}" in
  --no-build) BUILD=false ;;
  "") ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac

command -v node >/dev/null || { echo "test.sh: error: node (>= 20) is needed on the host to run the tests" >&2; exit 1; }
command -v python3 >/dev/null || { echo "test.sh: error: python3 is needed on the host to run the unit tests" >&2; exit 1; }

EDGEWHISK_IMAGES_TEST_RUN="$$-$(date +%s)"
export EDGEWHISK_IMAGES_TEST_RUN
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local ids
  ids=$(podman ps -aq --filter "label=edgewhisk-images-test=$EDGEWHISK_IMAGES_TEST_RUN" 2>/dev/null || true)
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086 # one id per word
    podman rm -f -t 0 $ids >/dev/null 2>&1 || true
  fi
  # Images the tests built (a user's own image derived from the skeleton).
  ids=$(podman images -q --filter "label=edgewhisk-images-test=$EDGEWHISK_IMAGES_TEST_RUN" 2>/dev/null || true)
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086 # one id per word
    podman rmi -f $ids >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if $BUILD; then
  echo "== images: build (skipped when current)"
  "$HERE/build.sh"
  # A second build must find everything current and rebuild nothing.
  again=$("$HERE/build.sh")
  if [[ $(grep -c ': up to date' <<<"$again") -ne 3 ]]; then
    echo "test.sh: error: build.sh rebuilt images that were current:" >&2
    echo "$again" >&2
    exit 1
  fi
  echo "build.sh skips current images: ok"
fi

status=0
echo "== images: nodejs proxy unit tests"
node --test --test-reporter=spec "$HERE"/nodejs/test/*.test.js || status=1
echo "== images: python proxy and blackbox skeleton unit tests"
(cd "$HERE" && PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s python/test -t python/test &&
  PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s skeleton/test -t skeleton/test) || status=1
echo "== images: runtime images in Podman"
node --test --test-reporter=spec "$HERE"/test/runtimes.test.js || status=1

if ((status)); then echo "images: TESTS FAILED" >&2; else echo "images: all tests passed"; fi
exit "$status"
