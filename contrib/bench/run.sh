#!/usr/bin/env bash
# skiff vs podman benchmark harness: one command, end to end. Run as root.
#
#   contrib/bench/run.sh                 full mode: 30 runs per item (heavy items: 10), big Debian
#                                        image, writes BENCHMARKS.md
#   contrib/bench/run.sh --quick         smoke mode (CI): 3 runs (heavy: 2), busybox image only,
#                                        no debootstrap, prints the table, writes nothing
# Options:
#   --runs N / --heavy-runs N    runs per item / per heavy item (load, pull, push, cold build)
#   --skiff PATH                 benchmark this binary instead of `cargo build --release`'s
#   --no-install                 do not apt-get install the comparison tools
#   --output FILE                where full mode writes the report (default BENCHMARKS.md)
# Environment: SKIFF_BENCH_CACHE (default target/bench-cache: the debootstrap rootfs and the big
# image, kept between runs), SKIFF_TEST_USER (default skiff-test: the rootless user, needs a
# subuid range), TMPDIR (where the work dir goes; must be reachable by the rootless user).
#
# How it measures: each item alternates the two tools (skiff, podman, skiff, podman, ...), each
# run timed with bash's $EPOCHREALTIME around the command (setup such as removing the previous
# container or emptying the store happens untimed, between runs). Reported: median, min and max
# of each tool and the ratio of the medians (podman / skiff: > 1 means skiff is faster or
# smaller). Peak RSS comes from GNU time (%M) around the CLI; monitor memory from
# /proc/PID/status of skiff's monitor and podman's conmon. Items whose skiff command does not
# exist yet are reported as "missing", and their podman side is measured where cheap.
#
# It never touches the host's container configuration: podman gets its own containers.conf,
# storage.conf, --root/--runroot, tmp dir, HOME and XDG_RUNTIME_DIR under the work dir; skiff gets
# --root/--runroot there. Everything it starts (containers, monitors, registries, podman's rootless
# pause process) is stopped on exit, and the work dir is removed.
set -Eeuo pipefail
trap 'echo "bench: harness failed at line $LINENO: $BASH_COMMAND" >&2' ERR
export LC_ALL=C.UTF-8 TZ=UTC
export DEBIAN_FRONTEND=noninteractive

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
QUICK=false
RUNS=""
HEAVY_RUNS=""
SKIFF_SRC=""
INSTALL=true
OUTPUT=$REPO/BENCHMARKS.md
ARGS_STR="$*"
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) QUICK=true ;;
        --runs) RUNS=$2; shift ;;
        --heavy-runs) HEAVY_RUNS=$2; shift ;;
        --skiff) SKIFF_SRC=$2; shift ;;
        --no-install) INSTALL=false ;;
        --output) OUTPUT=$2; shift ;;
        -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if $QUICK; then
    RUNS=${RUNS:-3}
    HEAVY_RUNS=${HEAVY_RUNS:-2}
else
    RUNS=${RUNS:-30}
    HEAVY_RUNS=${HEAVY_RUNS:-10}
fi
CACHE=${SKIFF_BENCH_CACHE:-$REPO/target/bench-cache}
TUSER=${SKIFF_TEST_USER:-skiff-test}
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "== bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "must run as root (sudo $0 $ARGS_STR)"
id -u "$TUSER" >/dev/null 2>&1 || die "no user $TUSER: create it (sudo bash .ci/run --setup)"
grep -q "^$TUSER:" /etc/subuid || die "$TUSER has no subuid range in /etc/subuid"
TUID=$(id -u "$TUSER")
TGID=$(id -g "$TUSER")
START=$(date +%s)

# ---- 1. the tools we compare against ----
install_packages() {
    local want=(podman runc crun conmon uidmap busybox-static skopeo hyperfine docker-registry time curl)
    $QUICK || want+=(debootstrap)
    local missing=() p
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    $INSTALL || die "missing packages: ${missing[*]} (drop --no-install or apt-get install them)"
    log "installing ${missing[*]}"
    # Keep docker-registry's packaged service from starting on the host: we start our own.
    local policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        policy=true
    fi
    apt-get update -q >&2 || true
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 || {
        $policy && rm -f /usr/sbin/policy-rc.d
        die "apt-get install failed"
    }
    $policy && rm -f /usr/sbin/policy-rc.d
    return 0
}
install_packages

# ---- 2. skiff ----
if [[ -z $SKIFF_SRC ]]; then
    if ! command -v cargo >/dev/null 2>&1 && [[ -f $HOME/.cargo/env ]]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    log "cargo build --release"
    (cd "$REPO" && cargo build --release --locked -q </dev/null) || die "cargo build --release failed"
    SKIFF_SRC=$REPO/target/release/skiff
fi
[[ -x $SKIFF_SRC ]] || die "no skiff binary at $SKIFF_SRC"

# ---- 3. work dir, cleanup ----
W=$(mktemp -d "${TMPDIR:-/tmp}/skiff-bench.XXXXXX")
chmod 0755 "$W"
mkdir -p "$W/bin" "$W/img" "$W/res" "$W/logs" "$W/tmp"
chmod 1777 "$W/tmp"
cp "$SKIFF_SRC" "$W/bin/skiff"
chmod 0755 "$W/bin/skiff"
REG_PIDS=()

# Rootful podman's default network (netavark) adds iptables chains to the host; podman 4.3 has
# no setting to avoid it. Remove them at the end if they were not there before.
netavark_chains() { iptables -t nat -S 2>/dev/null | grep -c '^-N NETAVARK' || true; }
NETAVARK_BEFORE=$(netavark_chains)
remove_netavark_chains() {
    local t r c
    for t in nat filter; do
        iptables -t "$t" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j NETAVARK' | grep -v '^-A NETAVARK' |
            sed 's/^-A/-D/' | while read -r r; do eval "iptables -t $t $r"; done
        for c in $(iptables -t "$t" -S 2>/dev/null | awk '/^-N NETAVARK/ {print $2}'); do iptables -t "$t" -F "$c"; done
        for c in $(iptables -t "$t" -S 2>/dev/null | awk '/^-N NETAVARK/ {print $2}'); do iptables -t "$t" -X "$c"; done
    done
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM ERR
    log "cleaning up"
    local p
    for p in "${REG_PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    if [[ -d $W/s ]]; then
        sk_root rm -a -f -t 0 >/dev/null 2>&1
        sk_user rm -a -f -t 0 >/dev/null 2>&1
        pm_root rm -a -f -t 0 >/dev/null 2>&1
        pm_user rm -a -f -t 0 >/dev/null 2>&1
    fi
    # podman's rootless pause process (catatonit, holds its user namespace) is ours: its
    # XDG_RUNTIME_DIR and tmp_dir are in the work dir. Also anything else still running from the
    # work dir (a monitor, conmon, a stray container).
    local pause
    for pause in $(find "$W" -name pause.pid 2>/dev/null); do
        kill "$(cat "$pause")" 2>/dev/null
    done
    for p in $(pgrep -u "$TUID" 2>/dev/null); do
        grep -qzF "XDG_RUNTIME_DIR=$W/" "/proc/$p/environ" 2>/dev/null && kill "$p" 2>/dev/null
    done
    for p in $(pgrep -f -- "$W/" 2>/dev/null); do
        [[ $p != "$$" ]] && kill -9 "$p" 2>/dev/null
    done
    local m
    findmnt -rn -o TARGET | grep -F "$W/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    chmod -R u+rwx "$W" 2>/dev/null
    rm -rf "$W"
    [[ -n ${SHM:-} ]] && rm -rf "$SHM"
    if [[ $NETAVARK_BEFORE == 0 && $(netavark_chains) != 0 ]]; then
        log "removing the iptables chains podman's netavark added"
        remove_netavark_chains 2>/dev/null
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 4. tool wrappers ----
# Every command gets a clean environment, like the test suite (tests/common/mod.rs).
mkdir -p "$W/s" "$W/p/root" "$W/p/run" "$W/p/tmp" "$W/p/net" "$W/u/s" "$W/u/p" "$W/u/home" "$W/u/xdg"
chown -R "$TUID:$TGID" "$W/u"
chmod 0700 "$W/u/xdg"

write_containers_conf() { # FILE TMPDIR NETDIR
    cat >"$1" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000","nproc=32768:32768"]
[network]
network_config_dir = "$3"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$2/events.log"
tmp_dir = "$2"
EOF
}
write_storage_conf() { # FILE GRAPHROOT RUNROOT
    printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' "$2" "$3" >"$1"
}
write_containers_conf "$W/p/containers.conf" "$W/p/tmp" "$W/p/net"
write_storage_conf "$W/p/storage.conf" "$W/p/root" "$W/p/run"
mkdir -p "$W/u/p/tmp" "$W/u/p/net" "$W/u/home/.config"
write_containers_conf "$W/u/p/containers.conf" "$W/u/p/tmp" "$W/u/p/net"
write_storage_conf "$W/u/p/storage.conf" "$W/u/p/root" "$W/u/p/run"
chown -R "$TUID:$TGID" "$W/u"

# Current store locations (changed by items that need an empty store).
SK_ROOT=$W/s/root
SK_RUN=$W/s/run
PM_ROOT=$W/p/root
PM_RUN=$W/p/run

root_env() { env -i HOME=/root USER=root LOGNAME=root PATH="$SYS_PATH" LANG=C.UTF-8 TMPDIR="$W/tmp" "$@"; }
as_user() {
    setpriv --reuid="$TUID" --regid="$TGID" --init-groups -- env -i HOME="$W/u/home" USER="$TUSER" \
        LOGNAME="$TUSER" PATH="$SYS_PATH" LANG=C.UTF-8 XDG_RUNTIME_DIR="$W/u/xdg" TMPDIR="$W/tmp" "$@"
}
sk_root() { root_env ${RSS_PFX:-} "$W/bin/skiff" --root "$SK_ROOT" --runroot "$SK_RUN" "$@"; }
pm_root() {
    root_env CONTAINERS_CONF="$W/p/containers.conf" CONTAINERS_STORAGE_CONF="$W/p/storage.conf" \
        CONTAINERS_REGISTRIES_CONF="$W/p/registries.conf" \
        ${RSS_PFX:-} podman --root "$PM_ROOT" --runroot "$PM_RUN" --storage-driver overlay \
        --runtime runc --cgroup-manager cgroupfs "$@"
}
sk_user() { as_user ${RSS_PFX:-} "$W/bin/skiff" --root "$W/u/s/root" --runroot "$W/u/s/run" "$@"; }
pm_user() {
    as_user CONTAINERS_CONF="$W/u/p/containers.conf" CONTAINERS_STORAGE_CONF="$W/u/p/storage.conf" \
        CONTAINERS_REGISTRIES_CONF="$W/p/registries.conf" \
        ${RSS_PFX:-} podman --storage-driver overlay --runtime runc --cgroup-manager cgroupfs "$@"
}
: >"$W/p/registries.conf"
chmod 0644 "$W/p/registries.conf"

# ---- 5. images ----
log "building the busybox test image (contrib/testimages/mkimages.sh)"
bash "$REPO/contrib/testimages/mkimages.sh" "$W/img" >"$W/logs/mkimages.log" 2>&1 ||
    { cat "$W/logs/mkimages.log" >&2; die "mkimages.sh failed"; }
chmod 0755 "$W/img"
chmod 0644 "$W/img"/*
SMALL=localhost/skiff-test/busybox:latest
SMALL_TAR=$W/img/busybox.tar
BIG=localhost/skiff-bench/debian:bookworm
BIG_TAR=""
BIG_NOTE=""
if ! $QUICK; then
    rootfs=$CACHE/rootfs-bookworm-minbase
    if [[ ! -d $rootfs ]]; then
        log "debootstrap --variant=minbase bookworm (cached in $rootfs)"
        mkdir -p "$CACHE"
        rm -rf "$rootfs.tmp"
        t0=$(date +%s)
        if timeout 1200 debootstrap --variant=minbase bookworm "$rootfs.tmp" \
            "${SKIFF_BENCH_MIRROR:-http://deb.debian.org/debian}" >"$CACHE/debootstrap.log" 2>&1; then
            mv "$rootfs.tmp" "$rootfs"
            log "debootstrap took $(($(date +%s) - t0)) s"
        else
            BIG_NOTE="debootstrap failed or took over 20 min (see $CACHE/debootstrap.log)"
            log "$BIG_NOTE"
        fi
    fi
    if [[ -d $rootfs ]]; then
        BIG_TAR=$CACHE/debian-bookworm-4layers.tar
        if [[ ! -f $BIG_TAR || $REPO/contrib/bench/mkbigimage.sh -nt $BIG_TAR ]]; then
            log "building the big image from $rootfs"
            bash "$REPO/contrib/bench/mkbigimage.sh" "$rootfs" "$BIG_TAR" "$BIG"
        fi
        cp "$BIG_TAR" "$W/img/big.tar"
        chmod 0644 "$W/img/big.tar"
        BIG_TAR=$W/img/big.tar
    fi
fi

log "loading the busybox image into the four stores"
sk_root load -q -i "$SMALL_TAR" >/dev/null
pm_root load -q -i "$SMALL_TAR" >/dev/null
sk_user load -q -i "$SMALL_TAR" >/dev/null
pm_user load -q -i "$SMALL_TAR" >/dev/null

# ---- 6. measuring ----
# Results: $W/res/ITEM.TOOL holds one value per line, or $W/res/ITEM.TOOL.note a text instead.
ITEMS=()
declare -A LABEL UNIT
item() { ITEMS+=("$1"); LABEL[$1]=$2; UNIT[$1]=$3; }
note() { echo "$3" >"$W/res/$1.$2.note"; }
add() { echo "$3" >>"$W/res/$1.$2"; }
now_us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }
HARNESS_ERRORS=0

# run_timed ITEM TOOL CMD: time CMD (a shell string); on failure record the error and return 1.
run_timed() {
    local it=$1 tool=$2 cmd=$3 t0 t1
    t0=${EPOCHREALTIME/./}
    if ! eval "$cmd" </dev/null >"$W/logs/last.out" 2>&1; then
        note "$it" "$tool" "error: $(grep -v '^$' "$W/logs/last.out" | tail -1 | cut -c1-70 | sed 's/|/\\|/g')"
        cp "$W/logs/last.out" "$W/logs/$it.$tool.err"
        log "$it/$tool failed: $(tail -3 "$W/logs/last.out")"
        [[ $tool == skiff ]] && HARNESS_ERRORS=$((HARNESS_ERRORS + 1))
        return 1
    fi
    t1=${EPOCHREALTIME/./}
    add "$it" "$tool" "$(((10#$t1 - 10#$t0)))"
}

# compare ITEM N SKIFF_PREP SKIFF_CMD PODMAN_PREP PODMAN_CMD: alternate the two tools N times.
# PREPs run untimed before each run ("" for none). A tool that fails once is not run again.
compare() {
    local it=$1 n=$2 sp=$3 sc=$4 pp=$5 pc=$6 i s_ok=true p_ok=true
    log "${LABEL[$it]} ($n runs each)"
    for ((i = 0; i < n; i++)); do
        if $s_ok; then
            [[ -n $sp ]] && { eval "$sp" >>"$W/logs/prep.log" 2>&1 || true; }
            run_timed "$it" skiff "$sc" || s_ok=false
        fi
        if $p_ok; then
            [[ -n $pp ]] && { eval "$pp" >>"$W/logs/prep.log" 2>&1 || true; }
            run_timed "$it" podman "$pc" || p_ok=false
        fi
    done
}

# rss TOOL_FN ARGS...: the tool wrappers put GNU time right before the binary.
rss() { RSS_PFX="/usr/bin/time -f %M -o $W/tmp/rss" "$@"; }
keep_rss() { [[ -s $W/tmp/rss ]] && add "$1" "$2" "$(tail -1 "$W/tmp/rss")"; rm -f "$W/tmp/rss"; }
# timed + peak RSS: the run --rm items record the CLI's peak RSS of each run too.
compare_rss() { # ITEM RSS_ITEM N SKIFF_CMD PODMAN_CMD
    local it=$1 ri=$2 n=$3 sc=$4 pc=$5 i s_ok=true p_ok=true
    log "${LABEL[$it]} ($n runs each)"
    for ((i = 0; i < n; i++)); do
        if $s_ok; then
            if run_timed "$it" skiff "rss $sc"; then keep_rss "$ri" skiff; else s_ok=false; fi
        fi
        if $p_ok; then
            if run_timed "$it" podman "rss $pc"; then keep_rss "$ri" podman; else p_ok=false; fi
        fi
    done
}

# ---- registry ----
REG_PORT=""
REG_PID=""
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_registry() { # fresh, empty storage each time
    stop_registry
    local d=$W/registry
    rm -rf "$d"
    mkdir -p "$d/data"
    REG_PORT=$(free_port)
    cat >"$d/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
EOF
    docker-registry serve "$d/config.yml" >>"$W/logs/registry.log" 2>&1 &
    REG_PID=$!
    REG_PIDS+=("$REG_PID")
    local i
    for i in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$REG_PORT/v2/" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    die "docker-registry did not start (see $W/logs/registry.log)"
}
stop_registry() {
    if [[ -n $REG_PID ]]; then
        kill "$REG_PID" 2>/dev/null || true
        wait "$REG_PID" 2>/dev/null || true
        REG_PID=""
    fi
}

# Fresh empty podman/skiff stores for the load/pull items (rootful).
N_STORE=0
fresh_stores() {
    N_STORE=$((N_STORE + 1))
    SK_ROOT=$W/s/root-$N_STORE SK_RUN=$W/s/run-$N_STORE
    PM_ROOT=$W/p/root-$N_STORE PM_RUN=$W/p/run-$N_STORE
}
drop_stores() { # remove the item stores (keeps the main ones)
    local d
    for d in "$W"/s/root-* "$W"/s/run-* "$W"/p/root-* "$W"/p/run-*; do
        [[ -e $d ]] || continue
        { findmnt -rn -o TARGET | grep -F "$d/" | sort -r | while read -r m; do umount -l "$m"; done; } || true
        rm -rf "$d"
    done
    SK_ROOT=$W/s/root SK_RUN=$W/s/run PM_ROOT=$W/p/root PM_RUN=$W/p/run
}
podman_fresh_pull() { rm -rf "$PM_ROOT" "$PM_RUN"; }

# ---- the items ----
RR="run --rm"
item run_none "\`run --rm IMG true\`, rootful, \`--network none\`" ms
item rss_none "peak RSS of the CLI, \`run --rm IMG true\`, rootful, \`--network none\`" KiB
compare_rss run_none rss_none "$RUNS" "sk_root $RR --network none $SMALL true" "pm_root $RR --network none $SMALL true"

item run_def "\`run --rm IMG true\`, rootful, default network (skiff: private netns, loopback only; podman: netavark bridge)" ms
item rss_def "peak RSS of the CLI, \`run --rm IMG true\`, rootful, default network" KiB
compare_rss run_def rss_def "$RUNS" "sk_root $RR $SMALL true" "pm_root $RR $SMALL true"

item urun_none "\`run --rm IMG true\`, rootless, \`--network none\`" ms
item urss_none "peak RSS of the CLI, \`run --rm IMG true\`, rootless, \`--network none\`" KiB
compare_rss urun_none urss_none "$RUNS" "sk_user $RR --network none $SMALL true" \
    "pm_user $RR --network none $SMALL true"

item urun_def "\`run --rm IMG true\`, rootless, default network (skiff: private netns, loopback only; podman: slirp4netns)" ms
compare urun_def "$RUNS" "" "sk_user $RR $SMALL true" "" "pm_user $RR $SMALL true"

item rund "\`run -d IMG sleep 1000\` + \`stop -t 0\`, rootful, \`--network none\`" ms
compare rund "$RUNS" "sk_root rm -f -t 0 bench-d" \
    "sk_root run -d --network none --name bench-d $SMALL sleep 1000 && sk_root stop -t 0 bench-d" \
    "pm_root rm -f -t 0 bench-d" \
    "pm_root run -d --network none --name bench-d $SMALL sleep 1000 && pm_root stop -t 0 bench-d"
sk_root rm -f -t 0 bench-d >/dev/null 2>&1 || true
pm_root rm -f -t 0 bench-d >/dev/null 2>&1 || true

item urund "\`run -d IMG sleep 1000\` + \`stop -t 0\`, rootless, \`--network none\`" ms
compare urund "$RUNS" "sk_user rm -f -t 0 bench-d" \
    "sk_user run -d --network none --name bench-d $SMALL sleep 1000 && sk_user stop -t 0 bench-d" \
    "pm_user rm -f -t 0 bench-d" \
    "pm_user run -d --network none --name bench-d $SMALL sleep 1000 && pm_user stop -t 0 bench-d"
sk_user rm -f -t 0 bench-d >/dev/null 2>&1 || true
pm_user rm -f -t 0 bench-d >/dev/null 2>&1 || true

item exec "\`exec C true\` into a running container, rootful" ms
item uexec "\`exec C true\` into a running container, rootless" ms
for who in root user; do
    it=exec
    [[ $who == user ]] && it=uexec
    s_ok=true p_ok=true
    sk_$who run -d --network none --name bench-x $SMALL sleep 1000 >/dev/null 2>"$W/logs/x.err" ||
        { note $it skiff "error: $(tail -1 "$W/logs/x.err")"; s_ok=false; HARNESS_ERRORS=$((HARNESS_ERRORS + 1)); }
    pm_$who run -d --network none --name bench-x $SMALL sleep 1000 >/dev/null 2>"$W/logs/x.err" ||
        { note $it podman "error: $(tail -1 "$W/logs/x.err")"; p_ok=false; }
    log "${LABEL[$it]} ($RUNS runs each)"
    for ((i = 0; i < RUNS; i++)); do
        $s_ok && { run_timed $it skiff "sk_$who exec bench-x true" || s_ok=false; }
        $p_ok && { run_timed $it podman "pm_$who exec bench-x true" || p_ok=false; }
    done
    sk_$who rm -f -t 0 bench-x >/dev/null 2>&1 || true
    pm_$who rm -f -t 0 bench-x >/dev/null 2>&1 || true
done

# Monitor memory: skiff's monitor (the parent of the container's pid 1) vs conmon.
item mon_rss "VmRSS of the per-container monitor (skiff monitor / conmon), rootful" KiB
item mon_anon "RssAnon of the per-container monitor (skiff monitor / conmon), rootful" KiB
item umon_rss "VmRSS of the per-container monitor (skiff monitor / conmon), rootless" KiB
monitor_sample() { # WHO(root|user) TOOL(skiff|podman) RSS_ITEM ANON_ITEM
    local who=$1 tool=$2 fn pid
    fn=sk_$who
    [[ $tool == podman ]] && fn=pm_$who
    $fn rm -f -t 0 bench-m >/dev/null 2>&1 || true
    if ! $fn run -d --network none --name bench-m $SMALL sleep 1000 >/dev/null 2>"$W/logs/m.err"; then
        note "$3" "$tool" "error: $(tail -1 "$W/logs/m.err")"
        [[ $tool == skiff ]] && HARNESS_ERRORS=$((HARNESS_ERRORS + 1))
        return 1
    fi
    sleep 0.3 # let the monitor settle after the start
    pid=$($fn inspect --format '{{.State.ConmonPid}}' bench-m 2>/dev/null || echo 0)
    if [[ -z $pid || $pid == 0 ]]; then
        local c
        c=$($fn inspect --format '{{.State.Pid}}' bench-m 2>/dev/null || echo 0)
        pid=$(awk '/^PPid:/ {print $2}' "/proc/$c/status" 2>/dev/null || echo 0)
    fi
    if [[ ! -r /proc/$pid/status ]]; then
        note "$3" "$tool" "error: no monitor pid"
        [[ $tool == skiff ]] && HARNESS_ERRORS=$((HARNESS_ERRORS + 1))
        $fn rm -f -t 0 bench-m >/dev/null 2>&1 || true
        return 1
    fi
    add "$3" "$tool" "$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
    [[ -n $4 ]] && add "$4" "$tool" "$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")"
    echo "$tool $who monitor: pid $pid, $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-80)" >>"$W/logs/monitors.log"
    $fn rm -f -t 0 bench-m >/dev/null 2>&1 || true
}
log "monitor memory ($HEAVY_RUNS runs each)"
for who in root user; do
    ok_s=true ok_p=true
    for ((i = 0; i < HEAVY_RUNS; i++)); do
        if [[ $who == root ]]; then
            $ok_s && { monitor_sample root skiff mon_rss mon_anon || ok_s=false; }
            $ok_p && { monitor_sample root podman mon_rss mon_anon || ok_p=false; }
        else
            $ok_s && { monitor_sample user skiff umon_rss "" || ok_s=false; }
            $ok_p && { monitor_sample user podman umon_rss "" || ok_p=false; }
        fi
    done
done

# Load into an empty store, and the store's size afterwards.
load_item() { # ITEM STORE_ITEM TAR LABEL
    local it=$1 st=$2 tar=$3
    compare "$it" "$HEAVY_RUNS" "drop_stores; fresh_stores" "sk_root load -q -i $tar" \
        "" "pm_root load -q -i $tar"
    # Both stores of the last round hold exactly the loaded image.
    [[ -f $W/res/$it.skiff ]] && add "$st" skiff "$(du -sb "$SK_ROOT" | cut -f1)"
    [[ -f $W/res/$it.podman ]] && add "$st" podman "$(du -sb "$PM_ROOT" | cut -f1)"
    drop_stores
}
item load_small "\`load -i\` of the busybox oci-archive into an empty store, rootful" ms
item store_small "store bytes after loading busybox (\`du -sb\` of the root)" bytes
load_item load_small store_small "$SMALL_TAR"
item load_big "\`load -i\` of the big image (Debian, 4 layers) into an empty store, rootful" ms
item store_big "store bytes after loading the big image (\`du -sb\` of the root)" bytes
if $QUICK; then
    for t in skiff podman; do note load_big $t "skipped in quick mode"; note store_big $t "skipped in quick mode"; done
elif [[ -z $BIG_TAR ]]; then
    for t in skiff podman; do note load_big $t "not measured: $BIG_NOTE"; note store_big $t "not measured: $BIG_NOTE"; done
else
    load_item load_big store_big "$BIG_TAR"
fi

# Registry items, against a loopback docker-registry (plain http): skiff and podman pull
# into an empty store, alternating; skopeo copy to an OCI dir (no unpack) as a floor; push
# of the loaded image to an empty registry by skiff, podman and skopeo.
if $QUICK; then
    REG_IMG=$SMALL REG_TAR=$SMALL_TAR REG_NAME=busybox
else
    REG_IMG=$BIG REG_TAR=$BIG_TAR REG_NAME="the big image"
fi
item pull "pull of $REG_NAME into an empty store, rootful (loopback registry)" ms
item pull_rss "peak RSS of that pull" KiB
item store_pull "store bytes after pulling $REG_NAME (\`du -sb\` of the root)" bytes
item pull_tmpfs "pull of $REG_NAME into an empty store on tmpfs (/dev/shm: no disk), rootful" ms
item skopeo_pull "for scale: \`skopeo copy\` of $REG_NAME to an OCI dir (no unpack; in the podman column)" ms
item push "push of $REG_NAME to an empty registry, rootful (loopback registry)" ms
item skopeo_push "for scale: \`skopeo copy\` of $REG_NAME from an oci-archive to an empty registry (in the podman column)" ms
note skopeo_pull skiff "-"
note skopeo_push skiff "-"
if [[ -z $REG_TAR ]]; then
    for t in pull pull_rss pull_tmpfs store_pull push skopeo_pull skopeo_push; do note $t podman "not measured: $BIG_NOTE"; done
    for t in pull pull_rss pull_tmpfs store_pull push; do note $t skiff "not measured: $BIG_NOTE"; done
else
    REG_REF=127.0.0.1:\$REG_PORT/bench/img:latest
    SHM=$(mktemp -d /dev/shm/skiff-bench.XXXXXX)
    start_registry
    log "pushing $REG_NAME to the loopback registry with skopeo"
    skopeo copy -q --dest-tls-verify=false "oci-archive:$REG_TAR" \
        "docker://127.0.0.1:$REG_PORT/bench/img:latest" >"$W/logs/skopeo.log" 2>&1 ||
        { cat "$W/logs/skopeo.log" >&2; die "skopeo copy to the loopback registry failed"; }
    log "${LABEL[pull]} ($HEAVY_RUNS runs each)"
    s_ok=true p_ok=true
    for ((i = 0; i < HEAVY_RUNS; i++)); do
        drop_stores
        fresh_stores
        if $s_ok; then
            if run_timed pull skiff "rss sk_root pull -q --tls-verify=false $REG_REF"; then keep_rss pull_rss skiff; else s_ok=false; fi
        fi
        if $p_ok; then
            if run_timed pull podman "rss pm_root pull -q --tls-verify=false $REG_REF"; then keep_rss pull_rss podman; else p_ok=false; fi
        fi
        # The same pull with the stores in memory: what the pipeline costs without the disk.
        rm -rf "$SHM"/s "$SHM"/p
        if $s_ok; then
            run_timed pull_tmpfs skiff "root_env $W/bin/skiff --root $SHM/s/root --runroot $SHM/s/run pull -q --tls-verify=false $REG_REF" || true
        fi
        if $p_ok; then
            run_timed pull_tmpfs podman "PM_ROOT=$SHM/p/root PM_RUN=$SHM/p/run pm_root pull -q --tls-verify=false $REG_REF" || true
        fi
        rm -rf "$SHM"/s "$SHM"/p
        rm -rf "$W/oci-dir"
        run_timed skopeo_pull podman "skopeo copy -q --src-tls-verify=false docker://$REG_REF oci:$W/oci-dir:img" || true
    done
    rm -rf "$W/oci-dir"
    [[ -f $W/res/pull.skiff ]] && add store_pull skiff "$(du -sb "$SK_ROOT" | cut -f1)"
    [[ -f $W/res/pull.podman ]] && add store_pull podman "$(du -sb "$PM_ROOT" | cut -f1)"
    drop_stores
    # push: the image comes from a loaded store; the registry is fresh (empty) for every run.
    sk_root load -q -i "$REG_TAR" >/dev/null
    pm_root load -q -i "$REG_TAR" >/dev/null
    log "${LABEL[push]} ($HEAVY_RUNS runs each)"
    s_ok=true p_ok=true
    for ((i = 0; i < HEAVY_RUNS; i++)); do
        if $s_ok; then
            start_registry
            run_timed push skiff "sk_root push -q --tls-verify=false $REG_IMG $REG_REF" || s_ok=false
        fi
        if $p_ok; then
            start_registry
            run_timed push podman "pm_root push -q --tls-verify=false $REG_IMG $REG_REF" || p_ok=false
        fi
        start_registry
        run_timed skopeo_push podman "skopeo copy -q --dest-tls-verify=false oci-archive:$REG_TAR docker://$REG_REF" || true
    done
    stop_registry
fi

# build: the issue's 10-instruction Containerfile on the busybox image (ARG and ENV, WORKDIR, a
# COPY of a file and of a directory, two RUN steps, LABEL, CMD). Cold = the built image and the
# whole build cache removed first (untimed); cached = the same build again. RUN steps get
# `--network none` on both sides (skiff's default is the host's network, podman's a netavark
# bridge rootful). Checked once per tool and mode, outside the timing, with a verbose build: the
# cold build uses no cache step, the rerun takes all 9 steps after FROM from the cache.
mkdir -p "$W/ctx/dir/sub"
cat >"$W/ctx/Containerfile" <<EOF
FROM $SMALL
ARG GREETING=hello
ENV APP_DIR=/app MODE=bench
WORKDIR /app
COPY file.txt ./file.txt
RUN echo "\$GREETING from \$MODE" > greeting && cat file.txt >> greeting
COPY dir/ ./dir/
RUN find dir -type f | sort > listing && wc -l listing
LABEL org.example.bench=skiff
CMD ["cat", "/app/greeting"]
EOF
echo hello >"$W/ctx/file.txt"
for i in $(seq 1 10); do echo "$i" >"$W/ctx/dir/f$i"; echo "$i" >"$W/ctx/dir/sub/g$i"; done
chmod -R a+rX "$W/ctx"
BUILD_STEPS=9 # cacheable steps: all but FROM
BUILD="build -q --network none -t bench-build $W/ctx"
build_reset() { # FN: remove the built image and the build cache
    "$1" rmi -f bench-build || true
    case $1 in
        sk_*) "$1" builder prune -f ;;
        pm_*) "$1" image prune -f ;; # podman's cache: intermediate images (rmi removes most)
    esac
}
# build_check FN TOOL COLD_ITEM CACHED_ITEM: after a build and build_reset, a cold build must run
# every step and the rerun must take every step from the cache; else the rows would measure the
# wrong thing. Verbose builds, their output in $W/logs/build-check.FN.*.
check_build() { # FN STEP: sets err (build_check's) on failure
    "$1" build --network none -t bench-build "$W/ctx" </dev/null >"$W/logs/build-check.$1.$2" 2>&1 && return 0
    err="error: $(grep -v '^$' "$W/logs/build-check.$1.$2" | tail -1 | cut -c1-70 | sed 's/|/\\|/g')"
    return 1
}
build_check() {
    local fn=$1 tool=$2 err="" hits
    if check_build "$fn" first && { build_reset "$fn" >>"$W/logs/prep.log" 2>&1 || true; } &&
        check_build "$fn" cold; then
        if grep -q 'Using cache' "$W/logs/build-check.$fn.cold"; then
            err="error: the build after the reset used the build cache"
        elif check_build "$fn" cached; then
            hits=$(grep -c -- '--> Using cache' "$W/logs/build-check.$fn.cached" || true)
            [[ $hits == "$BUILD_STEPS" ]] || err="error: the rebuild took $hits of $BUILD_STEPS steps from the cache"
        fi
    fi
    [[ -z $err ]] && return 0
    note "$3" "$tool" "$err"
    note "$4" "$tool" "$err"
    log "$3/$tool: build check failed: $err (logs: $W/logs/build-check.$fn.*)"
    [[ $tool == skiff ]] && HARNESS_ERRORS=$((HARNESS_ERRORS + 1))
    return 1
}
item build_cold "build, cold: 10-instruction Containerfile on busybox (2 RUN, 2 COPY), empty build cache, rootful, \`--network none\`" ms
item build_cached "build, fully cached (the same build again), rootful, \`--network none\`" ms
item build_ucold "build, cold (the same Containerfile), rootless, \`--network none\`" ms
item build_ucached "build, fully cached, rootless, \`--network none\`" ms
for who in root user; do
    cold=build_cold cached=build_cached
    [[ $who == user ]] && cold=build_ucold cached=build_ucached
    s_ok=true p_ok=true
    build_check sk_$who skiff $cold $cached || s_ok=false
    build_check pm_$who podman $cold $cached || p_ok=false
    log "${LABEL[$cold]} ($HEAVY_RUNS runs each)"
    for ((i = 0; i < HEAVY_RUNS; i++)); do
        $s_ok && { build_reset sk_$who >>"$W/logs/prep.log" 2>&1 || true; }
        $p_ok && { build_reset pm_$who >>"$W/logs/prep.log" 2>&1 || true; }
        $s_ok && { run_timed $cold skiff "sk_$who $BUILD" || s_ok=false; }
        $p_ok && { run_timed $cold podman "pm_$who $BUILD" || p_ok=false; }
    done
    # The last cold build left the image and its cache: every run from here is a full cache hit.
    $s_ok || [[ -f $W/res/$cached.skiff.note ]] || note $cached skiff "not measured (the cold build failed)"
    $p_ok || [[ -f $W/res/$cached.podman.note ]] || note $cached podman "not measured (the cold build failed)"
    log "${LABEL[$cached]} ($RUNS runs each)"
    for ((i = 0; i < RUNS; i++)); do
        $s_ok && { run_timed $cached skiff "sk_$who $BUILD" || s_ok=false; }
        $p_ok && { run_timed $cached podman "pm_$who $BUILD" || p_ok=false; }
    done
done

item compose "compose up -d / down of 3 services" ms
note compose skiff "missing (skiff has no compose yet)"
note compose podman "not measured (podman-compose not installed: install it from PyPI once skiff has compose)"

# ---- 7. the table ----
fmt_cell() { # ITEM TOOL -> "median / min / max" or the note
    local it=$1 tool=$2 f=$W/res/$1.$2
    if [[ -f $f.note && ! -s $f ]]; then cat "$f.note"; return; fi
    [[ -s $f ]] || { echo "no data"; return; }
    sort -g "$f" | awk -v unit="${UNIT[$it]}" '
        { v[NR] = $1 }
        END {
            n = NR; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            if (unit == "ms") { d = 1000; p = "%.1f" } else if (unit == "bytes") { d = 1e6; p = "%.1f" } else { d = 1; p = "%d" }
            printf p " / " p " / " p "%s\n", med / d, v[1] / d, v[n] / d, (n > 1 ? "" : "")
        }'
    if [[ -f $f.note ]]; then echo " ($(cat "$f.note") after $(wc -l <"$f") runs)"; fi
}
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { n = NR; print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }
ratio() {
    local s=$W/res/$1.skiff p=$W/res/$1.podman
    if [[ -s $s && -s $p ]]; then
        awk -v a="$(median "$s")" -v b="$(median "$p")" 'BEGIN { if (a > 0) printf "%.2f\n", b / a; else print "-" }'
    else
        echo "-"
    fi
}
unit_name() { case $1 in ms) echo ms ;; bytes) echo MB ;; *) echo "$1" ;; esac; }

TABLE=$W/table.md
{
    echo "| item | unit | skiff median / min / max | podman median / min / max | podman/skiff |"
    echo "|---|---|---|---|---|"
    for it in "${ITEMS[@]}"; do
        echo "| ${LABEL[$it]} | $(unit_name "${UNIT[$it]}") | $(fmt_cell "$it" skiff | tr '\n' ' ' | sed 's/ $//') | $(fmt_cell "$it" podman | tr '\n' ' ' | sed 's/ $//') | $(ratio "$it") |"
    done
} >"$TABLE"

machine() {
    local mem
    mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
    echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $mem RAM, kernel $(uname -r), Debian $(cat /etc/debian_version), $(podman --version), $(runc --version | head -1), conmon $(conmon --version 2>/dev/null | head -1 | awk '{print $3}'), skiff $("$W/bin/skiff" --version | awk '{print $3}') ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown))"
}
MACHINE=$(machine)
BIG_SIZE=""
[[ -n $BIG_TAR ]] && BIG_SIZE="$(stat -c %s "$BIG_TAR" | awk '{printf "%.1f MB", $1 / 1e6}') as an oci-archive"
ELAPSED=$(($(date +%s) - START))

echo
echo "Machine: $MACHINE"
echo "Mode: $($QUICK && echo quick || echo full), $RUNS runs per item, $HEAVY_RUNS per heavy item; took ${ELAPSED}s"
echo
cat "$TABLE"
echo

if ! $QUICK; then
    {
        cat <<EOF
# Benchmarks: skiff vs Podman

Generated by \`contrib/bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (took ${ELAPSED} s).

- Machine: $MACHINE.
- A shared machine: other jobs ran at the same time, so expect noise; the median is the figure
  to read, min/max show the spread.
- Runs: $RUNS per item, $HEAVY_RUNS for the heavy items (load, pull, push, cold build, monitor
  memory).
- Reproduce: \`sudo contrib/bench/run.sh\` (full, writes this file) or
  \`sudo contrib/bench/run.sh --quick\` (a smoke run: busybox only, prints the table).

How: the two tools alternate (skiff, podman, skiff, podman, ...); each run is timed around the
whole CLI process with bash's \`\$EPOCHREALTIME\` (setup like removing the previous container or
emptying the store happens untimed, between runs). Podman 4.3.1 runs with \`--runtime runc\`
(crun refuses this machine's cgroup v1/v2 hybrid mode), \`--cgroup-manager cgroupfs\`, the
overlay driver and its own containers.conf (\`default_ulimits\` within this machine's hard
limits) and storage.conf in a temp dir. Rootless means the test user \`$TUSER\` (subuid range,
\`setpriv\` and a clean environment, as in the test suite; both tools pay the same \`setpriv\`
+ \`env\` cost). Images: \`localhost/skiff-test/busybox\` (contrib/testimages/mkimages.sh) and
a ~125 MB four-layer Debian bookworm minbase image (contrib/bench/mkbigimage.sh on a cached
\`debootstrap --variant=minbase bookworm\`; ${BIG_SIZE:-not built}), both loaded from the same
oci-archive.
Memory: peak RSS is GNU time's %M around the CLI (the largest of the process and the children
it waited for); monitor memory is VmRSS/RssAnon from /proc/PID/status of skiff's monitor and of
podman's conmon (\`{{.State.ConmonPid}}\`) of a detached \`sleep 1000\`. Store bytes: \`du -sb\` of
\`--root\`. Ratio: podman median / skiff median, so above 1 means skiff is faster or smaller.

EOF
        cat "$TABLE"
        cat <<EOF

Notes:

- Registry rows: the image is pushed once with skopeo to a loopback \`docker-registry\` (plain
  http) started by the harness; every pull starts from an empty store, every push goes to an
  empty registry. The skopeo rows (in the podman column, for scale) copy to an OCI dir, which
  downloads and hashes but does not unpack. Pulls and loads of the big image are bound by this
  VM's disk: unpacking creates ~5,000 files, and while the disk is throttled each file creation
  takes about 1 ms (strace: openat/mkdirat), so the same pull takes 0.5 s or 4 s from one
  minute to the next, for both tools; compare the two columns of one run, not runs. The tmpfs row takes the disk out: the same pull
  with both stores in /dev/shm.
- Build rows: a 10-instruction Containerfile on the busybox image (FROM, ARG, ENV, WORKDIR, COPY
  of a file, RUN, COPY of a 20-file directory, RUN, LABEL, CMD), built with \`-q --network none\`
  by both tools, rootful and rootless. Cold ($HEAVY_RUNS runs): before each run the built image
  and the build cache are removed, untimed (skiff \`rmi -f\` + \`builder prune -f\`, podman
  \`rmi -f\`, which takes the intermediate images that are its cache, + \`image prune -f\`); the
  base image stays. Cached ($RUNS runs): the same build again, every step a cache hit. Before
  timing, the harness checks each tool once with verbose builds: after a build and the reset,
  no \`Using cache\` line, and on the rerun all 9 steps after FROM from the cache.
- Not measured yet: compose, on neither side until skiff has it (the harness would then install
  podman-compose from PyPI).${BIG_NOTE:+ Big image: $BIG_NOTE.}
- Default network: skiff's default is a private network namespace with loopback only (no
  bridge or slirp4netns/pasta yet), podman's is a netavark bridge (rootful) or slirp4netns
  (rootless): the rows are not like for like. Rootless slirp4netns fails here because
  /dev/net/tun is mode 0600 on this machine; the harness does not change it (host state).
- Store bytes: skiff keeps the compressed layer blobs (\`blobs/\`, 48.6 MB for the big image)
  beside the unpacked layers; podman keeps only the unpacked layers.
- Monitor memory: skiff's monitor is larger than conmon (a Rust binary vs a small C program).
- Podman 4.3 writes a few things outside its configured directories that no option moves:
  c/image's blob-info cache (/var/lib/containers/cache), netavark's IPAM database
  (/run/containers/networks) and iptables chains (removed at the end if the run created them).
EOF
    } >"$OUTPUT"
    log "wrote $OUTPUT"
fi

if [[ $HARNESS_ERRORS -gt 0 ]]; then
    log "$HARNESS_ERRORS skiff measurement(s) failed: see the table"
    exit 1
fi
log "done in ${ELAPSED}s"
