#!/usr/bin/env bash
# Check the images made by mkimages.sh with independent tools (skopeo, umoci, jq), without skiff.
#
#   contrib/testimages/verify.sh OUTDIR
#
# - skopeo inspect (manifest and --config) accepts both oci-archives, names and config are right
# - umoci unpacks both; the merged multilayer rootfs matches multilayer.expected (ownership is
#   ignored with --rootless; when run as root, a second rootful unpack is compared in full, and
#   busybox is compared against busybox.expected)
# - OUTDIR/multilayer.expected equals the committed contrib/testimages/multilayer.expected
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
export LC_ALL=C
OUT=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/skiff-verify.XXXXXX")
trap 'chmod -R u+rwx "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT

fail() {
    echo "verify: FAIL: $*" >&2
    exit 1
}

listing() {
    (cd "$1" && shift && find "$@" \( -type d -printf '%p %y %m %U:%G - - -\n' \) -o \
        \( -type l -printf '%p %y %m %U:%G %s %n %l\n' \) -o \( -printf '%p %y %m %U:%G %s %n -\n' \) |
        sort)
}
no_owner() { awk '{ $4 = "-"; print }'; }

cmp -s "$OUT/multilayer.expected" "$HERE/multilayer.expected" ||
    fail "OUTDIR/multilayer.expected differs from $HERE/multilayer.expected"

case $(uname -m) in x86_64) want_arch=amd64 ;; aarch64) want_arch=arm64 ;; *) want_arch= ;; esac

for img in busybox multilayer; do
    name=localhost/skiff-test/$img:latest
    arc=$OUT/$img.tar
    skopeo inspect "oci-archive:$arc" >"$WORK/inspect.json" || fail "skopeo inspect $arc"
    skopeo inspect --config "oci-archive:$arc" >"$WORK/config.json" || fail "skopeo inspect --config $arc"
    skopeo inspect --raw "oci-archive:$arc" >"$WORK/manifest.json" || fail "skopeo inspect --raw $arc"
    jq -e '.os == "linux" and .config.Cmd == ["sh"]
        and .config.Env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        and .rootfs.type == "layers"
        and (.history | map(select(.empty_layer != true)) | length) == (.rootfs.diff_ids | length)' \
        "$WORK/config.json" >/dev/null || fail "$img: unexpected config: $(cat "$WORK/config.json")"
    [[ -z $want_arch ]] || jq -e --arg a "$want_arch" '.architecture == $a' "$WORK/config.json" >/dev/null ||
        fail "$img: architecture is not $want_arch"
    jq -e '.mediaType == "application/vnd.oci.image.manifest.v1+json"
        and .config.mediaType == "application/vnd.oci.image.config.v1+json"
        and all(.layers[]; .mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")' \
        "$WORK/manifest.json" >/dev/null || fail "$img: unexpected manifest"

    mkdir -p "$WORK/$img/layout"
    tar -C "$WORK/$img/layout" -xf "$arc"
    jq -e --arg n "$name" '.manifests[0].annotations["org.opencontainers.image.ref.name"] == $n' \
        "$WORK/$img/layout/index.json" >/dev/null || fail "$img: index.json ref.name is not $name"
    # umoci only accepts plain tags: retag the extracted copy as "latest".
    jq -c '.manifests[0].annotations["org.opencontainers.image.ref.name"] = "latest"' \
        "$WORK/$img/layout/index.json" >"$WORK/index.json"
    mv "$WORK/index.json" "$WORK/$img/layout/index.json"
    umoci unpack --rootless --image "$WORK/$img/layout:latest" "$WORK/$img/bundle-rootless" >/dev/null ||
        fail "umoci unpack --rootless $img"
    if [[ $(id -u) == 0 ]]; then
        umoci unpack --image "$WORK/$img/layout:latest" "$WORK/$img/bundle" >/dev/null ||
            fail "umoci unpack $img"
    fi
    echo "verify: $img: skopeo and umoci accept it ($(jq '.layers | length' "$WORK/manifest.json") layers)"
done

got=$(listing "$WORK/multilayer/bundle-rootless/rootfs" ./data ./opq ./swap | no_owner)
want=$(no_owner <"$OUT/multilayer.expected")
[[ $got == "$want" ]] || fail "umoci --rootless multilayer rootfs differs:
--- expected
$want
--- got
$got"
if [[ $(id -u) == 0 ]]; then
    got=$(listing "$WORK/multilayer/bundle/rootfs" ./data ./opq ./swap)
    [[ $got == "$(cat "$OUT/multilayer.expected")" ]] || fail "umoci multilayer rootfs differs:
$(diff <(echo "$got") "$OUT/multilayer.expected")"
    got=$(listing "$WORK/busybox/bundle/rootfs" ./etc ./home ./root ./tmp ./dev ./proc ./sys ./bin/busybox ./bin/sh)
    [[ $got == "$(cat "$OUT/busybox.expected")" ]] || fail "umoci busybox rootfs differs:
$(diff <(echo "$got") "$OUT/busybox.expected")"
    [[ $(cat "$WORK/busybox/bundle/rootfs/home/user/owned") == "owned by 1000:1000" ]] || fail "owned content"
fi
# every applet resolves to the busybox binary
n=$(find "$WORK/busybox/bundle-rootless/rootfs" -type l -lname /bin/busybox | wc -l)
[[ $n -gt 100 ]] || fail "only $n applet links"
echo "verify: OK: merged multilayer rootfs matches multilayer.expected; $n applet symlinks"
