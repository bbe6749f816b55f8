#!/usr/bin/env bash
# Build skiff's test images offline, without skiff (and without any container tool).
#
#   contrib/testimages/mkimages.sh OUTDIR
#
# Writes into OUTDIR:
#   busybox.tar          oci-archive, localhost/skiff-test/busybox:latest (one layer)
#   multilayer.tar       oci-archive, localhost/skiff-test/multilayer:latest (3 layers, whiteouts)
#   busybox-rootfs.tar   the busybox layer as a plain uncompressed tar (for `skiff import`)
#   multilayer.expected  the expected merged listing of ./data ./opq ./swap in multilayer
#   busybox.expected     the expected listing of the non-applet parts of busybox
#
# Needs only bash, coreutils, GNU tar, gzip, sha256sum and busybox-static's /bin/busybox
# (override with BUSYBOX=/path). Output is byte-for-byte reproducible for a given busybox
# binary: fixed mtimes (SOURCE_DATE_EPOCH, default 1700000000), sorted tar members, numeric
# owners, pax headers without atime/ctime, `gzip -n`, JSON written with printf in a fixed order.
#
# The busybox rootfs
#   /bin/busybox, plus one ABSOLUTE SYMLINK -> /bin/busybox per applet of `busybox --list-full`
#   (except bin/busybox itself and linuxrc), as Alpine does. Symlinks, not hard links: hard links
#   are exercised by the multilayer image instead.
#   /etc/passwd (root, nobody), /etc/group (root, nogroup), /tmp 1777, /root 0700,
#   empty /dev /proc /sys, /home/user 0755 and /home/user/owned 0644 owned by 1000:1000
#   (to prove id mapping). Everything else is 0:0. Config: Cmd ["sh"], Env PATH=...
#
# The multilayer image (layer 1 is the busybox layer, the very same blob)
#   layer 2 adds: /data/keep, /data/gone, /data/dir/a, /data/keep-link (HARD LINK to data/keep),
#     /data/sym -> keep (symlink), /data/suid (mode 4755), /opq/old1, /opq/old2, /swap (a file)
#   layer 3, as Docker writes it (parent dirs included, members sorted):
#     .wh.swap + swap/ + swap/inside/     the file /swap becomes a directory
#     data/.wh.dir                        deletes the directory /data/dir
#     data/.wh.gone                       deletes /data/gone
#     opq/.wh..wh..opq + opq/new          /opq becomes opaque: old1/old2 vanish, new appears
#
# Expected merged result (multilayer.expected), one line per path, sorted with LC_ALL=C:
#   PATH TYPE MODE UID:GID SIZE NLINK TARGET
# where TYPE is find's %y (f, d, l), MODE is octal without leading zeros (find's %m), SIZE and
# NLINK are "-" for directories (they depend on the filesystem) and TARGET is "-" unless a
# symlink. Produce the same from an unpacked rootfs with (run inside the rootfs):
#   find ./data ./opq ./swap \( -type d -printf '%p %y %m %U:%G - - -\n' \) -o \
#     \( -type l -printf '%p %y %m %U:%G %s %n %l\n' \) -o \( -printf '%p %y %m %U:%G %s %n -\n' \) \
#     | LC_ALL=C sort
# (`listing` below is that command.) For multilayer it is:
#   ./data d 755 0:0 - - -
#   ./data/keep f 644 0:0 5 2 -
#   ./data/keep-link f 644 0:0 5 2 -
#   ./data/suid f 4755 0:0 20 1 -
#   ./data/sym l 777 0:0 4 1 keep
#   ./opq d 755 0:0 - - -
#   ./opq/new f 644 0:0 4 1 -
#   ./swap d 755 0:0 - - -
#   ./swap/inside d 755 0:0 - - -
# Rootless unpackers that cannot chown (umoci --rootless) will show the caller's ids instead.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

export LC_ALL=C
export TZ=UTC
umask 022

OUT=$1
EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
BUSYBOX=${BUSYBOX:-/bin/busybox}
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
ENV_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [[ ! -x $BUSYBOX ]]; then
    echo "$0: $BUSYBOX not found: install busybox-static (apt-get install busybox-static)" >&2
    exit 1
fi
if ! "$BUSYBOX" --list-full >/dev/null 2>&1; then
    echo "$0: $BUSYBOX does not support --list-full" >&2
    exit 1
fi

goarch() {
    local arch
    if command -v dpkg >/dev/null 2>&1; then
        arch=$(dpkg --print-architecture)
    else
        arch=$(uname -m)
    fi
    case $arch in
        amd64 | x86_64) echo amd64 ;;
        arm64 | aarch64) echo arm64 ;;
        armhf | armel | arm*) echo arm ;;
        i386 | i686) echo 386 ;;
        ppc64el | ppc64le) echo ppc64le ;;
        s390x) echo s390x ;;
        riscv64) echo riscv64 ;;
        *)
            echo "$0: unknown architecture $arch" >&2
            return 1
            ;;
    esac
}
ARCH=$(goarch)

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/skiff-mkimages.XXXXXX")
trap 'chmod -R u+rwx "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# tar_layer DIR OUTFILE [OWNED_PATH...]: a deterministic tar of DIR's contents (no "./" entry,
# members named like Docker's: "bin/", "etc/passwd"). Everything is 0:0, except the OWNED_PATHs
# (relative to DIR, subtrees included), appended afterwards as 1000:1000.
tar_layer() {
    local dir=$1 out=$2
    shift 2
    local common=(--format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime
        --sort=name --mtime="@$EPOCH" --numeric-owner --no-acls --no-selinux --no-xattrs)
    local excludes=() p
    for p in "$@"; do excludes+=(--exclude="./$p"); done
    local top=()
    mapfile -t top < <(cd "$dir" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | sort)
    tar -C "$dir" "${common[@]}" --owner=0 --group=0 "${excludes[@]}" \
        --transform='s,^\./,,' -cf "$out" "${top[@]/#/./}"
    for p in "$@"; do
        tar -C "$dir" "${common[@]}" --owner=1000 --group=1000 -rf "$out" "$p"
    done
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

# put_blob FILE: move FILE into the layout's blob store, print its digest.
put_blob() {
    local layout=$1 file=$2 d
    d=$(sha "$file")
    mkdir -p "$layout/blobs/sha256"
    mv "$file" "$layout/blobs/sha256/$d"
    chmod 0644 "$layout/blobs/sha256/$d"
    echo "$d"
}

# build_image NAME OUTTAR LAYER_TAR... : write an oci-archive holding one image made of the
# given uncompressed layer tars (bottom first).
build_image() {
    local name=$1 outtar=$2
    shift 2
    local layout="$WORK/layout-$(basename "$outtar" .tar)"
    rm -rf "$layout"
    mkdir -p "$layout/blobs/sha256"

    local diff_ids="" history="" layers="" sep="" i=0 l gz d
    for l in "$@"; do
        i=$((i + 1))
        gz="$WORK/layer.gz"
        gzip -n -6 -c "$l" >"$gz"
        local gz_size
        gz_size=$(size "$gz")
        d=$(put_blob "$layout" "$gz")
        diff_ids+="$sep\"sha256:$(sha "$l")\""
        history+="$sep{\"created\":\"$CREATED\",\"created_by\":\"mkimages.sh: layer $i of $(basename "$outtar")\"}"
        layers+="$sep{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$d\",\"size\":$gz_size}"
        sep=,
    done
    history+=",{\"created\":\"$CREATED\",\"created_by\":\"mkimages.sh: CMD [\\\"sh\\\"]\",\"empty_layer\":true}"

    local cfg="$WORK/config.json"
    printf '{"created":"%s","architecture":"%s","os":"linux","config":{"Env":["PATH=%s"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
        "$CREATED" "$ARCH" "$ENV_PATH" "$diff_ids" "$history" >"$cfg"
    local cfg_size cfg_d
    cfg_size=$(size "$cfg")
    cfg_d=$(put_blob "$layout" "$cfg")

    local man="$WORK/manifest.json"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
        "$cfg_d" "$cfg_size" "$layers" >"$man"
    local man_size man_d
    man_size=$(size "$man")
    man_d=$(put_blob "$layout" "$man")

    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
        "$man_d" "$man_size" "$name" >"$layout/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    chmod 0644 "$layout/index.json" "$layout/oci-layout"
    chmod 0755 "$layout" "$layout/blobs" "$layout/blobs/sha256"

    tar -C "$layout" --format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
        -cf "$outtar.tmp" oci-layout index.json blobs
    chmod 0644 "$outtar.tmp"
    mv -f "$outtar.tmp" "$outtar"
}

# ---- layer 1: busybox ----
R="$WORK/busybox"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,dev,proc,sys,tmp,root,home/user}
cp "$BUSYBOX" "$R/bin/busybox"
chmod 0755 "$R/bin/busybox"
while read -r applet; do
    case $applet in bin/busybox | linuxrc | */) continue ;; esac
    mkdir -p "$R/$(dirname "$applet")"
    ln -sfn /bin/busybox "$R/$applet"
done < <("$BUSYBOX" --list-full | sort -u)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
printf 'owned by 1000:1000\n' >"$R/home/user/owned"
find "$R" -type d -exec chmod 0755 {} +
chmod 0644 "$R/etc/passwd" "$R/etc/group" "$R/home/user/owned"
chmod 1777 "$R/tmp"
chmod 0700 "$R/root"
L1="$WORK/layer1.tar"
tar_layer "$R" "$L1" home/user

# ---- layer 2: files, hard link, symlink, setuid ----
R="$WORK/l2"
mkdir -p "$R/data/dir" "$R/opq"
printf 'keep\n' >"$R/data/keep"
printf 'gone\n' >"$R/data/gone"
printf 'a\n' >"$R/data/dir/a"
printf 'old1\n' >"$R/opq/old1"
printf 'old2\n' >"$R/opq/old2"
printf 'swap file\n' >"$R/swap"
printf '#!/bin/sh\necho suid\n' >"$R/data/suid"
ln "$R/data/keep" "$R/data/keep-link"
ln -s keep "$R/data/sym"
find "$R" -type d -exec chmod 0755 {} +
find "$R" -type f -exec chmod 0644 {} +
chmod 4755 "$R/data/suid"
L2="$WORK/layer2.tar"
tar_layer "$R" "$L2"

# ---- layer 3: whiteouts, opaque dir, file replaced by a directory ----
R="$WORK/l3"
mkdir -p "$R/data" "$R/opq" "$R/swap/inside"
: >"$R/data/.wh.gone"
: >"$R/data/.wh.dir"
: >"$R/opq/.wh..wh..opq"
: >"$R/.wh.swap"
printf 'new\n' >"$R/opq/new"
find "$R" -type d -exec chmod 0755 {} +
find "$R" -type f -exec chmod 0644 {} +
L3="$WORK/layer3.tar"
tar_layer "$R" "$L3"

build_image localhost/skiff-test/busybox:latest "$OUT/busybox.tar" "$L1"
build_image localhost/skiff-test/multilayer:latest "$OUT/multilayer.tar" "$L1" "$L2" "$L3"
cp "$L1" "$OUT/busybox-rootfs.tar.tmp"
chmod 0644 "$OUT/busybox-rootfs.tar.tmp"
mv -f "$OUT/busybox-rootfs.tar.tmp" "$OUT/busybox-rootfs.tar"

cat >"$OUT/multilayer.expected" <<'EOF'
./data d 755 0:0 - - -
./data/keep f 644 0:0 5 2 -
./data/keep-link f 644 0:0 5 2 -
./data/suid f 4755 0:0 20 1 -
./data/sym l 777 0:0 4 1 keep
./opq d 755 0:0 - - -
./opq/new f 644 0:0 4 1 -
./swap d 755 0:0 - - -
./swap/inside d 755 0:0 - - -
EOF

B="$WORK/busybox"
# Same format, for: find ./etc ./home ./root ./tmp ./dev ./proc ./sys ./bin/busybox ./bin/sh
cat >"$OUT/busybox.expected" <<EOF
./bin/busybox f 755 0:0 $(size "$BUSYBOX") 1 -
./bin/sh l 777 0:0 12 1 /bin/busybox
./dev d 755 0:0 - - -
./etc d 755 0:0 - - -
./etc/group f 644 0:0 $(size "$B/etc/group") 1 -
./etc/passwd f 644 0:0 $(size "$B/etc/passwd") 1 -
./home d 755 0:0 - - -
./home/user d 755 1000:1000 - - -
./home/user/owned f 644 1000:1000 $(size "$B/home/user/owned") 1 -
./proc d 755 0:0 - - -
./root d 700 0:0 - - -
./sys d 755 0:0 - - -
./tmp d 1777 0:0 - - -
EOF
chmod 0644 "$OUT/multilayer.expected" "$OUT/busybox.expected"
