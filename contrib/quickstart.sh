#!/usr/bin/env bash
# Quickstart: build skiff and load a busybox image, offline, on a fresh Debian 12 machine.
#
#   bash contrib/quickstart.sh
#
# Run as root or as a user with sudo (only for apt-get). Needs Rust (rustup's ~/.cargo/env is
# sourced if cargo is not on PATH). Uses a throwaway store under ./target/quickstart, so it
# never touches your real images.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=()
[[ $(id -u) == 0 ]] || sudo=(sudo)
need=()
for p in build-essential pkg-config busybox-static uidmap; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [[ ${#need[@]} -gt 0 ]]; then
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if ! command -v cargo >/dev/null 2>&1 && [[ -f $HOME/.cargo/env ]]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
cargo build --release
skiff=$PWD/target/release/skiff

images=$PWD/target/quickstart/images
store=$PWD/target/quickstart/store
contrib/testimages/mkimages.sh "$images"

run() {
    echo "+ skiff $*" >&2
    "$skiff" --root "$store/root" --runroot "$store/runroot" "$@"
}
run load -i "$images/busybox.tar"
run images
run run --rm localhost/skiff-test/busybox echo hello from a skiff container
