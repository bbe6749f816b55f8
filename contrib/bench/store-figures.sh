#!/usr/bin/env bash
# Store figures for the closing notes of the foundation issue, until the benchmark harness
# (contrib/bench, issue "Benchmark harness") takes them over:
#   - time and peak RSS of `skiff images` with 200 images in the store
#   - time and peak RSS of `skiff load` of a ~250 MB docker-archive, and of `podman load`
#     of the same archive when podman is installed
# Usage: contrib/bench/store-figures.sh [SKIFF_BINARY]   (run as root; uses a temp dir)
set -euo pipefail
SKIFF=${1:-target/release/skiff}
SKIFF=$(realpath "$SKIFF")
W=$(mktemp -d /tmp/skiff-figures.XXXXXX)
trap 'rm -rf "$W"' EXIT
S="$SKIFF --root $W/root --runroot $W/run"

peak() { # command... -> "seconds peak_kb"
    /usr/bin/time -f '%e %M' -o "$W/time" "$@" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; return 1; }
    cat "$W/time"
}

echo "== 200 images"
for i in $(seq 1 200); do
    mkdir -p "$W/r/$i" && echo "$i" >"$W/r/$i/file"
    tar -C "$W/r/$i" -cf "$W/r/$i.tar" file
    $S import -q "$W/r/$i.tar" "img$i:latest" >/dev/null
done
echo "skiff images: peak RSS $(peak $S images | cut -d' ' -f2) KB"
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 30 "$S images" 2>&1 | grep -E 'Time|Range'
fi
echo "rows: $($S images -q | wc -l)"

echo "== load of a ~250 MB docker-archive"
mkdir -p "$W/big"
# Real files (libraries) rather than random bytes, so layers compress like real images.
(cd / && find usr/lib/x86_64-linux-gnu -type f -links 1 -size -20M -printf '%s %p\n' | sort -k2 |
    awk '{ total += $1; if (total > 250000000) exit; print $2 }') >"$W/big/files" || true
tar -C / -cf "$W/big/rootfs.tar" -T "$W/big/files"
$S import -q "$W/big/rootfs.tar" big:latest >/dev/null
$S save --format docker-archive -o "$W/big.tar" big:latest
ls -l "$W/big.tar" | awk '{printf "archive: %.0f MB\n", $5/1e6}'
for run in 1 2 3; do
    rm -rf "$W/root2"
    echo "skiff load: $(peak $SKIFF --root "$W/root2" --runroot "$W/run2" load -i "$W/big.tar") (s, peak KB)"
done
if command -v podman >/dev/null; then
    mkdir -p "$W/pconf"
    printf '[containers]\ndefault_ulimits = ["nofile=20000:20000","nproc=32768:32768"]\n' >"$W/pconf/containers.conf"
    for run in 1 2 3; do
        rm -rf "$W/proot"
        echo "podman load: $(CONTAINERS_CONF=$W/pconf/containers.conf peak podman --root "$W/proot" --runroot "$W/prun" --storage-driver overlay load -i "$W/big.tar") (s, peak KB)"
    done
    rm -rf "$W/proot"
fi
