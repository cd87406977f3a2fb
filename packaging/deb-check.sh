#!/usr/bin/env bash
# Checks the Debian package as an operator meets it, on this machine, and leaves nothing behind:
#   1. its metadata and contents (dpkg-deb --info/--contents), the conffile (every setting there,
#      every one commented out), lintian (warnings fail; overrides are explained in the package);
#   2. `apt-get install ./edgewhisk_<version>_all.deb`: the user, the folders and their modes, the
#      unit enabled, the runtime images built (or found current) by the set-up, with its progress;
#      `systemd-analyze verify` of every unit it installed (and podman.socket with its drop-in);
#   3. the unit's ExecStart run as systemd would run it (there is no systemd init here): its User=,
#      Environment= (unit, then drop-ins), StateDirectory=/CacheDirectory= made with their modes,
#      UMask=, no capabilities, no new privileges, output to a file in place of the journal; an
#      action created and invoked through it on real Podman, then SIGTERM: exit status 0 and no
#      container left; started BENCH_STARTS more times to measure start-to-ready and idle RSS;
#   4. `apt-get remove`: program and units gone, state and configuration kept;
#      `apt-get purge`: state, cache, configuration and enablement gone too.
# The appliance gets a free port, an instance label and a Podman API service of this run's own
# (socket group edgewhisk, as the package's podman.socket drop-in makes it), so that it touches no
# other appliance on the machine. On exit (also on failure) everything it made is removed: the
# package, the state, the user the package made, the test's drop-in, its processes and containers.
#
#   bash packaging/deb-check.sh [path/to/edgewhisk_<version>_all.deb]
#
# Runs as root. Refuses to run when an edgewhisk package is installed or /var/lib/edgewhisk exists
# (it would not be this run's to remove). Environment:
#   DEB_CHECK_IMAGES=build  let the set-up run images/build.sh as it does for an operator (it skips
#                        images that are current; test-all.sh sets this, right after host-setup built
#                        them from the same tree). Default "skip": the set-up is told
#                        EDGEWHISK_SKIP_IMAGES=1, because on a machine shared with other work the
#                        runtime images may have been built from another tree, and the set-up would
#                        replace images that others are running.
#   BENCH_STARTS         timed starts of the installed package after the first (default 3)
#   DEB_CHECK_FIGURES=FILE  also write the medians there ("ready_ms N", "rss_kb N", "private_dirty_kb N"),
#                        for bench.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "deb-check: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }
starts=${BENCH_STARTS:-3}

deb=${1:-}
if [[ -z $deb ]]; then
  for deb in "$repo"/packaging/target/edgewhisk_*_all.deb; do break; done
fi
[[ -f $deb ]] || die "no .deb (run mvn package first)"
deb=$(readlink -f "$deb")
[[ $EUID -eq 0 ]] || die "run me as root (apt-get install)"
for tool in dpkg-deb lintian systemd-analyze apt-get podman curl setpriv python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed (packaging/host-setup.sh installs what is missing)"
done
if dpkg-query -W -f='${Status}' edgewhisk 2>/dev/null | grep -q 'installed\|config-files'; then
  die "an edgewhisk package is installed on this machine already; not touching it"
fi
[[ ! -e /var/lib/edgewhisk && ! -e /etc/edgewhisk ]] || die "/var/lib/edgewhisk or /etc/edgewhisk exists already; not touching it"
user_before=no
getent passwd edgewhisk >/dev/null && user_before=yes

run_id=deb-check-$$-$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/edgewhisk-deb-check.XXXXXX")
sockdir=/run/$run_id
dropin=/etc/systemd/system/edgewhisk.service.d/$run_id.conf
pid=
podman_pid=
cleanup() {
  local status=$?
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  podman ps -aq --filter "label=edgewhisk.instance=$run_id" | xargs -r podman rm -f >/dev/null 2>&1 || true
  if [[ -n $podman_pid ]] && kill -0 "$podman_pid" 2>/dev/null; then
    kill -TERM "$podman_pid" 2>/dev/null || true
    wait "$podman_pid" 2>/dev/null || true
  fi
  if dpkg-query -W -f='${Status}' edgewhisk 2>/dev/null | grep -q 'installed\|config-files'; then
    apt-get purge -y -q -o DPkg::Lock::Timeout=300 edgewhisk >/dev/null 2>&1 || log "could not purge the package"
  fi
  rm -f "$dropin"
  rmdir /etc/systemd/system/edgewhisk.service.d 2>/dev/null || true
  rm -rf /var/lib/edgewhisk /var/cache/edgewhisk /etc/edgewhisk "$sockdir" "$work"
  # the package leaves its system user on purge (Debian's way); this run removes the one it made
  if [[ $user_before == no ]] && getent passwd edgewhisk >/dev/null; then
    userdel edgewhisk 2>/dev/null || true
    if getent group edgewhisk >/dev/null; then groupdel edgewhisk 2>/dev/null || true; fi
  fi
  exit "$status"
}
trap cleanup EXIT

# --- 1. metadata, contents, conffile, lintian ---------------------------------------------------------
info=$(dpkg-deb --info "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == edgewhisk ]] || die "Package: $(field Package)"
[[ $(field Architecture) == all ]] || die "Architecture: $(field Architecture)"
depends=$(field Depends)
for d in 'java17-runtime-headless' 'default-jre-headless (>= 2:1.17)' podman debootstrap adduser init-system-helpers; do
  [[ $depends == *"$d"* ]] || die "Depends lacks $d: $depends"
done
for script in postinst prerm postrm conffiles md5sums; do
  grep -q " $script" <<<"$info" || die "no $script in the control archive"
done
[[ $(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles) == /etc/edgewhisk/edgewhisk.conf ]] || die "conffiles is not /etc/edgewhisk/edgewhisk.conf"
contents=$(dpkg-deb --contents "$deb")
has_entry() { # MODE PATH
  grep -qE "^$1 root/root +[0-9]+ [0-9-]+ [0-9:]+ \\.$2( |\$)" <<<"$contents" || die "the package has no $2 with mode $1"
}
has_entry '-rwxr-xr-x' /usr/lib/edgewhisk/bin/edgewhisk
has_entry 'lrw[-rwx]+' /usr/bin/edgewhisk
has_entry '-rw-r--r--' /etc/edgewhisk/edgewhisk.conf
has_entry '-rw-r--r--' /lib/systemd/system/edgewhisk.service
has_entry '-rw-r--r--' /lib/systemd/system/podman.socket.d/edgewhisk.conf
has_entry '-rw-r--r--' /usr/lib/systemd/user/edgewhisk.service
has_entry '-rw-r--r--' /usr/lib/sysusers.d/edgewhisk.conf
has_entry '-rwxr-xr-x' /usr/lib/edgewhisk/images/build.sh
has_entry '-rw-r--r--' /usr/share/doc/edgewhisk/copyright
for jar in appliance dependencies sync triggers-mqtt; do
  grep -qE "\\./usr/lib/edgewhisk/lib/edgewhisk-$jar-.*\\.jar" <<<"$contents" || die "no edgewhisk-$jar jar"
done
if grep -E '\./(var|home|tmp|opt)/' <<<"$contents"; then die "the package ships files under /var, /home, /tmp or /opt"; fi
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./etc/edgewhisk/edgewhisk.conf >"$work/edgewhisk.conf"
active=$(grep -vE '^\s*(#|$)' "$work/edgewhisk.conf" || true)
[[ -z $active ]] || die "the conffile sets something (every setting must be commented out): $active"
grep -q 'reference.conf' "$work/edgewhisk.conf" || die "the conffile does not point at reference.conf"
for key in 'port = 3233' 'plain-http = true' 'format = text' 'user-memory = 1024' 'disk-cap-bytes = 2GiB'; do
  grep -qE "^\s*# $key\$" "$work/edgewhisk.conf" || die "the conffile lacks '# $key'"
done
log "metadata, contents and conffile: ok ($(du -h "$deb" | cut -f1), Installed-Size $(field Installed-Size) KiB)"
lintian_status=0
# lintian leaves its mldbm-* temporary files behind: keep them in the work folder, removed with it
TMPDIR="$work" lintian --fail-on error,warning --tag-display-limit 0 "$deb" >"$work/lintian.txt" 2>&1 || lintian_status=$?
grep -v 'running with root privileges' "$work/lintian.txt" >&2 || true
((lintian_status == 0)) || die "lintian reports errors or warnings (status $lintian_status)"
log "lintian: no errors, no warnings (overrides: /usr/share/lintian/overrides/edgewhisk)"

# --- 2. install ------------------------------------------------------------------------------------
log "apt-get install $deb"
skip_images=1
[[ ${DEB_CHECK_IMAGES:-skip} == build ]] && skip_images=
EDGEWHISK_SKIP_IMAGES=$skip_images apt-get install -y -q -o DPkg::Lock::Timeout=300 "$deb" 2>&1 | tee "$work/install.log" | sed 's/^/  | /' >&2
[[ $(dpkg-query -W -f='${Status}' edgewhisk) == 'install ok installed' ]] || die "not installed"
if [[ -z $skip_images ]]; then
  grep -q 'building the action runtime images' "$work/install.log" || die "the set-up did not say it builds the runtime images"
  for lang in nodejs python skeleton; do
    grep -qE "^$lang: (up to date|built) " "$work/install.log" || die "the set-up's image build said nothing about $lang"
  done
else
  grep -q 'not building the runtime images (EDGEWHISK_SKIP_IMAGES=1)' "$work/install.log" || die "the set-up did not say it skips the images"
fi
grep -q 'systemd is not running here' "$work/install.log" || die "the set-up did not tell how to start it without systemd"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd edgewhisk)
((uid < 1000)) || die "edgewhisk is not a system user (uid $uid)"
[[ $home == /var/lib/edgewhisk && $shell == /usr/sbin/nologin ]] || die "edgewhisk's home/shell: $home $shell"
[[ $(stat -c '%U:%G %a' /var/lib/edgewhisk) == 'edgewhisk:edgewhisk 700' ]] || die "/var/lib/edgewhisk: $(stat -c '%U:%G %a' /var/lib/edgewhisk)"
[[ $(readlink /etc/systemd/system/multi-user.target.wants/edgewhisk.service) == /lib/systemd/system/edgewhisk.service ]] \
  || die "edgewhisk.service is not enabled (no multi-user.target.wants link)"
[[ $(readlink -f /usr/bin/edgewhisk) == /usr/lib/edgewhisk/bin/edgewhisk ]] || die "/usr/bin/edgewhisk does not lead to the launcher"
for image in action-nodejs action-python action-skeleton; do
  podman image exists "localhost/edgewhisk/$image" || die "runtime image $image missing after the set-up"
done
log "installed: user edgewhisk (uid $uid), /var/lib/edgewhisk 0700, unit enabled, runtime images present"

verify_out=$(systemd-analyze verify /lib/systemd/system/edgewhisk.service /lib/systemd/system/podman.socket 2>&1) \
  || die "systemd-analyze verify: $verify_out"
[[ -z $verify_out ]] || die "systemd-analyze verify warns: $verify_out"
mkdir -p "$work/xdg" && chmod 0700 "$work/xdg"
verify_out=$(XDG_RUNTIME_DIR=$work/xdg systemd-analyze --user verify /usr/lib/systemd/user/edgewhisk.service 2>&1) \
  || die "systemd-analyze --user verify: $verify_out"
[[ -z $verify_out ]] || die "systemd-analyze --user verify warns: $verify_out"
group_line=$(systemd-analyze cat-config systemd/system/podman.socket 2>/dev/null | grep -c 'SocketGroup=edgewhisk' || true)
((group_line > 0)) || die "podman.socket's drop-in (SocketGroup=edgewhisk) is not applied"
log "systemd-analyze verify: edgewhisk.service, podman.socket with its drop-in, the user unit: ok"

# --- 3. the unit's ExecStart, as systemd would run it ---------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# Podman's API for this run, made as podman.socket with the package's drop-in makes it.
mkdir -p "$sockdir"
chgrp edgewhisk "$sockdir"
chmod 0750 "$sockdir"
setsid podman system service --time=0 "unix://$sockdir/podman.sock" </dev/null >"$work/podman.log" 2>&1 &
podman_pid=$!
for _ in $(seq 1 100); do [[ -S $sockdir/podman.sock ]] && break; sleep 0.1; done
[[ -S $sockdir/podman.sock ]] || die "podman system service did not make its socket"
chgrp edgewhisk "$sockdir/podman.sock"
chmod 0660 "$sockdir/podman.sock"
mkdir -p "$(dirname "$dropin")"
cat >"$dropin" <<EOF
# deb-check.sh: this run's ports, Podman socket and container label (removed at its end)
[Service]
Environment=EDGEWHISK_API_HOST=127.0.0.1 EDGEWHISK_API_PORT=$port
Environment=JAVA_OPTS=-Dedgewhisk.mqtt.port=0
Environment=EDGEWHISK_PODMAN_SOCKET=$sockdir/podman.sock EDGEWHISK_START_PODMAN_SERVICE=false
Environment=EDGEWHISK_INSTANCE_ID=$run_id EDGEWHISK_USER_MEMORY=1024
EOF
verify_out=$(systemd-analyze verify /lib/systemd/system/edgewhisk.service 2>&1) || die "verify with the drop-in: $verify_out"

# unit_values KEY: the values of KEY in [Service] of the unit, then of its drop-ins, in order
unit_values() {
  local f
  for f in /lib/systemd/system/edgewhisk.service /etc/systemd/system/edgewhisk.service.d/*.conf; do
    [[ -f $f ]] || continue
    awk -v key="$1" '/^\[/ {s = ($0 == "[Service]")} s && index($0, key "=") == 1 {print substr($0, length(key) + 2)}' "$f"
  done
}
unit_value() { unit_values "$1" | tail -n 1; }
[[ $(unit_value Type) == simple ]] || die "Type=$(unit_value Type)"
svc_user=$(unit_value User)
svc_group=$(unit_value Group)
read -r -a exec_start <<<"$(unit_value ExecStart)"
[[ ${exec_start[0]} == /usr/bin/edgewhisk && ${exec_start[1]} == serve ]] || die "ExecStart=${exec_start[*]}"
# systemd's environment for a system service: a fixed PATH, the user's identity, then Environment=
svc_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "USER=$svc_user" "LOGNAME=$svc_user"
  "HOME=$home" "SHELL=$shell" "INVOCATION_ID=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  STATE_DIRECTORY=/var/lib/edgewhisk CACHE_DIRECTORY=/var/cache/edgewhisk)
while IFS= read -r line; do
  read -r -a words <<<"$line"
  svc_env+=("${words[@]}")
done < <(unit_values Environment)
# StateDirectory=/CacheDirectory= with their modes, owned by the service user
install -d -o "$svc_user" -g "$svc_group" -m "$(unit_value StateDirectoryMode)" "/var/lib/$(unit_value StateDirectory)"
install -d -o "$svc_user" -g "$svc_group" -m "$(unit_value CacheDirectoryMode)" "/var/cache/$(unit_value CacheDirectory)"
umask_value=$(unit_value UMask)

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# serve N: starts the unit's command; sets pid, ready_ms
serve() {
  local out=$work/journal-$1.log started
  started=$(now_ms)
  # shellcheck disable=SC2016 # $1 and $@ are the inner shell's
  env -i "${svc_env[@]}" setpriv --reuid="$svc_user" --regid="$svc_group" --init-groups --no-new-privs \
    --inh-caps=-all --bounding-set=-all -- /bin/sh -c 'umask "$1"; shift; exec "$@"' sh "$umask_value" "${exec_start[@]}" \
    </dev/null >"$out" 2>&1 &
  pid=$!
  until [[ $(curl -s --noproxy '*' --max-time 1 "http://127.0.0.1:$port/ping" 2>/dev/null) == pong* ]]; do
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; die "start $1: the service exited before answering /ping"; }
    (($(now_ms) - started < 120000)) || { cat "$out" >&2; die "start $1: no pong within 120 s"; }
    sleep 0.01
  done
  ready_ms=$(($(now_ms) - started))
  grep -q 'EdgeWhisk is ready' "$out" || { cat "$out" >&2; die "start $1: no start-up banner in the journal"; }
  # the launcher's restart back-off waits only after a crash within a minute of the start before
  if [[ ${expect_backoff:-no} == yes ]]; then
    grep -q 'waiting 1 s first (restart back-off)' "$out" || { cat "$out" >&2; die "start $1: no back-off after a crash"; }
  elif grep -q 'restart back-off' "$out"; then
    cat "$out" >&2
    die "start $1: back-off after a clean stop"
  fi
}
stop() { # SIGTERM as systemd sends it; exit status 0 and no container of this run left
  local code=0
  kill -TERM "$pid"
  wait "$pid" || code=$?
  pid=
  [[ $code == 0 ]] || { cat "$work/journal-$1.log" >&2; die "start $1: exit status $code after SIGTERM (expected 0)"; }
  left=$(podman ps -aq --filter "label=edgewhisk.instance=$run_id")
  [[ -z $left ]] || die "start $1: containers left after stop: $left"
}

serve 1
log "first start (as $svc_user, writes the class-data archive when it stops): ready in $ready_ms ms"
[[ $(stat -c '%U %a' /var/lib/edgewhisk/guest.key) == "edgewhisk 600" ]] || die "guest.key: $(stat -c '%U %a' /var/lib/edgewhisk/guest.key)"
[[ $(stat -c '%U' "/proc/$pid") == edgewhisk ]] || die "the service does not run as edgewhisk"
grep -q '^CapEff:\s*0000000000000000' "/proc/$pid/status" || die "the service has capabilities"
grep -q '^NoNewPrivs:\s*1' "/proc/$pid/status" || die "the service may gain privileges"
key=$(cat /var/lib/edgewhisk/guest.key)
api=http://127.0.0.1:$port/api/v1/namespaces/_
code=$(curl -s --noproxy '*' -o "$work/put.json" -w '%{http_code}' -u "$key" -X PUT "$api/actions/debhello" \
  -H 'Content-Type: application/json' \
  -d '{"exec":{"kind":"nodejs:default","code":"function main(p){console.log(\"logged for \"+p.name); return {greeting:\"Hello \"+p.name}}"}}')
[[ $code == 200 ]] || die "PUT action: HTTP $code $(cat "$work/put.json")"
result=$(curl -s --noproxy '*' -u "$key" -X POST "$api/actions/debhello?blocking=true&result=true" \
  -H 'Content-Type: application/json' -d '{"name":"Debian"}')
[[ $result == '{"greeting":"Hello Debian"}' ]] || { cat "$work/journal-1.log" >&2; die "invocation answered: $result"; }
log "action invoked through the installed service on Podman: $result"
# its logs came through the container's log pipes, which the service (no capabilities) made in its state
logged=""
for _ in $(seq 1 50); do
  logged=$(curl -s --noproxy '*' -u "$key" "$api/activations?docs=true&limit=1")
  [[ $logged == *'stdout: logged for Debian'* ]] && break
  sleep 0.1
done
[[ $logged == *'stdout: logged for Debian'* ]] || { cat "$work/journal-1.log" >&2; die "the activation's logs: $logged"; }
[[ -n $(find /var/lib/edgewhisk/log-pipes -type p -user edgewhisk -print -quit) ]] || die "no log pipes made by edgewhisk"
log "its logs came through the log pipes the service made"
stop 1
log "SIGTERM: exit status 0, no container left"

ready=() rss=() dirty=()
for ((i = 2; i <= starts + 1; i++)); do
  serve "$i"
  sleep 5
  ready+=("$ready_ms")
  rss+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")")
  dirty+=("$(awk '/^Private_Dirty:/ {print $2}' "/proc/$pid/smaps_rollup")")
  stop "$i"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
ready_median=$(median "${ready[@]}")
rss_median=$(median "${rss[@]}")
dirty_median=$(median "${dirty[@]}")
log "installed package, $starts starts with the class-data archive: start-to-ready ${ready[*]} ms (median $ready_median), idle RSS ${rss[*]} kB (median $rss_median), private dirty ${dirty[*]} kB (median $dirty_median)"
# a crash (SIGKILL, as the kernel's OOM killer would) a few seconds after a start: the next start waits
serve crash
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
pid=
expect_backoff=yes serve after-crash
stop after-crash
log "a restart right after a crash waited 1 s (back-off); the state opened cleanly after SIGKILL"
if [[ -n ${DEB_CHECK_FIGURES:-} ]]; then
  printf 'ready_ms %s\nrss_kb %s\nprivate_dirty_kb %s\n' "$ready_median" "$rss_median" "$dirty_median" >"$DEB_CHECK_FIGURES"
fi
kill -TERM "$podman_pid" 2>/dev/null || true
wait "$podman_pid" 2>/dev/null || true
podman_pid=
rm -f "$dropin"
rmdir /etc/systemd/system/edgewhisk.service.d 2>/dev/null || true

# --- 4. remove, purge ------------------------------------------------------------------------------
apt-get remove -y -q -o DPkg::Lock::Timeout=300 edgewhisk >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; die "apt-get remove failed"; }
[[ $(dpkg-query -W -f='${Status}' edgewhisk) == 'deinstall ok config-files' ]] || die "after remove: $(dpkg-query -W -f='${Status}' edgewhisk)"
for gone in /usr/lib/edgewhisk /usr/bin/edgewhisk /lib/systemd/system/edgewhisk.service /usr/lib/systemd/user/edgewhisk.service \
  /lib/systemd/system/podman.socket.d/edgewhisk.conf; do
  [[ ! -e $gone && ! -L $gone ]] || die "after remove, $gone is still there"
done
for kept in /var/lib/edgewhisk/edgewhisk.db /var/lib/edgewhisk/guest.key /etc/edgewhisk/edgewhisk.conf; do
  [[ -e $kept ]] || die "after remove, $kept is gone (remove keeps state and configuration)"
done
log "remove: program and units gone; state ($(du -sh /var/lib/edgewhisk | cut -f1)) and configuration kept"
apt-get purge -y -q -o DPkg::Lock::Timeout=300 edgewhisk >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; die "apt-get purge failed"; }
dpkg-query -W -f='${Status}' edgewhisk 2>/dev/null | grep -q 'installed\|config-files' && die "still known to dpkg after purge"
for gone in /var/lib/edgewhisk /var/cache/edgewhisk /etc/edgewhisk /etc/systemd/system/multi-user.target.wants/edgewhisk.service; do
  [[ ! -e $gone && ! -L $gone ]] || die "after purge, $gone is still there"
done
left=$(find /etc /lib /usr /var -xdev -name '*edgewhisk*' \
  ! -path '/var/log/edgewhisk-podman-service.log' ! -path '/run/*' ! -path '/etc/containers/containers.conf.d/edgewhisk.conf' \
  ! -path '/var/lib/containers/*' ! -path '/var/lib/dpkg/*' ! -path '/var/cache/apt/*' 2>/dev/null || true)
[[ -z $left ]] || die "after purge, files named edgewhisk are left: $left"
getent passwd edgewhisk >/dev/null && log "purge: the system user edgewhisk stays (Debian's way; this run removes it)"
log "purge: state, cache, configuration and enablement gone"
log "passed"
