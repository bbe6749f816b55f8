#!/usr/bin/env bash
# Build the benchmark's "big" image offline: a four-layer oci-archive made from a Debian
# rootfs (e.g. `debootstrap --variant=minbase bookworm ROOTFS`), with plain tar, gzip and
# sha256sum, the way contrib/testimages/mkimages.sh builds the test images.
#
#   contrib/bench/mkbigimage.sh ROOTFS OUT.tar [NAME]
#
# NAME defaults to localhost/skiff-bench/debian:bookworm. Layers, bottom first:
#   1. usr/lib                    2. usr/share
#   3. the rest of usr/           4. everything else (etc, var, root, the /bin -> usr/bin links...)
# Left out, as Debian's own container images do: the contents of dev/, proc/, sys/, run/, tmp/,
# apt's package lists and caches. About 125 MB unpacked for bookworm minbase.
# Deterministic for a given rootfs: sorted members, fixed mtimes, numeric owners, `gzip -n`.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 ROOTFS OUT.tar [NAME]" >&2
    exit 2
fi
export LC_ALL=C TZ=UTC
umask 022
ROOTFS=$(cd "$1" && pwd)
OUT=$2
NAME=${3:-localhost/skiff-bench/debian:bookworm}
EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
case $(dpkg --print-architecture 2>/dev/null || uname -m) in
    amd64 | x86_64) ARCH=amd64 ;;
    arm64 | aarch64) ARCH=arm64 ;;
    *) ARCH=$(dpkg --print-architecture) ;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/skiff-bigimage.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
LAYOUT=$WORK/layout
mkdir -p "$LAYOUT/blobs/sha256"

TAR_COMMON=(--format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime
    --sort=name --mtime="@$EPOCH" --numeric-owner --no-acls --no-selinux --no-xattrs
    --transform='s,^\./,,')
EXCLUDES=(--exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./run/*'
    --exclude='./tmp/*' --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*'
    --exclude='./var/cache/debconf/*-old' --exclude='./var/log/*')

# layer N ARGS...: tar ARGS (run in ROOTFS) into $WORK/layerN.tar
layer() {
    local n=$1
    shift
    (cd "$ROOTFS" && tar "${TAR_COMMON[@]}" "${EXCLUDES[@]}" -cf "$WORK/layer$n.tar" "$@")
}
top=()
mapfile -t top < <(cd "$ROOTFS" && find . -mindepth 1 -maxdepth 1 ! -name usr -printf '%p\n' | sort)
usr_rest=()
mapfile -t usr_rest < <(cd "$ROOTFS" && find ./usr -mindepth 1 -maxdepth 1 ! -name lib ! -name share -printf '%p\n' | sort)
layer 1 --no-recursion ./usr --recursion ./usr/lib
layer 2 ./usr/share
layer 3 "${usr_rest[@]}"
layer 4 "${top[@]}"

sha() { sha256sum "$1" | cut -d' ' -f1; }
put_blob() { # FILE -> digest
    local d
    d=$(sha "$1")
    mv "$1" "$LAYOUT/blobs/sha256/$d"
    chmod 0644 "$LAYOUT/blobs/sha256/$d"
    echo "$d"
}

diff_ids="" history="" layers="" sep=""
for i in 1 2 3 4; do
    l=$WORK/layer$i.tar
    diff_ids+="$sep\"sha256:$(sha "$l")\""
    gzip -n -6 -c "$l" >"$WORK/layer.gz"
    gz_size=$(stat -c %s "$WORK/layer.gz")
    d=$(put_blob "$WORK/layer.gz")
    rm -f "$l"
    history+="$sep{\"created\":\"$CREATED\",\"created_by\":\"mkbigimage.sh: layer $i\"}"
    layers+="$sep{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$d\",\"size\":$gz_size}"
    sep=,
done
printf '{"created":"%s","architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["bash"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
    "$CREATED" "$ARCH" "$diff_ids" "$history" >"$WORK/config.json"
cfg_size=$(stat -c %s "$WORK/config.json")
cfg_d=$(put_blob "$WORK/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$cfg_d" "$cfg_size" "$layers" >"$WORK/manifest.json"
man_size=$(stat -c %s "$WORK/manifest.json")
man_d=$(put_blob "$WORK/manifest.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
    "$man_d" "$man_size" "$NAME" >"$LAYOUT/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$LAYOUT/oci-layout"
tar -C "$LAYOUT" --format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
    -cf "$OUT.tmp" oci-layout index.json blobs
chmod 0644 "$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
