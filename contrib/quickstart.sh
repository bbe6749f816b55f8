#!/usr/bin/env bash
# Quickstart: build skiff and load a busybox image, offline, on a fresh Debian 12 machine.
#
#   bash contrib/quickstart.sh
#
# Run as root or as a user with sudo (only for apt-get). Needs Rust 1.89 or newer from rustup
# (rustup's ~/.cargo/env is sourced if cargo is not on PATH; Debian 12's own cargo is too old).
# Loads the image into your default store (rootless ~/.local/share/skiff, root /var/lib/skiff),
# so the README's next commands work as they are.
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
# Rust: edition 2024, let-chains and File::lock need 1.89; say so instead of a bare "command not found".
rust_ok=false
if command -v rustc >/dev/null 2>&1; then
    IFS=. read -r major minor _ < <(rustc --version | awk '{print $2}')
    [[ $major -gt 1 || ($major -eq 1 && $minor -ge 89) ]] && rust_ok=true
fi
if ! $rust_ok; then
    echo "quickstart: skiff needs Rust 1.89 or newer ($(rustc --version 2>/dev/null || echo 'no rustc found'));" >&2
    echo "quickstart: Debian 12's cargo/rustc packages are too old. Install rustup, then run this again:" >&2
    echo "    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \"\$HOME/.cargo/env\"" >&2
    exit 1
fi
cargo build --release
skiff=$PWD/target/release/skiff

images=$PWD/target/quickstart/images
contrib/testimages/mkimages.sh "$images"

run() {
    echo "+ skiff $*" >&2
    "$skiff" "$@"
}
run load -i "$images/busybox.tar"
run images
run run --rm localhost/skiff-test/busybox echo hello from a skiff container
cat >&2 <<EOF

skiff is built at $skiff and the image is in your default store. Next:
    install -m 0755 $skiff ~/.local/bin/skiff   # or, as root: install -m 0755 $skiff /usr/local/bin/
    skiff run --rm localhost/skiff-test/busybox echo hello
    skiff run -d --name web localhost/skiff-test/busybox sleep 1000; skiff ps; skiff rm -f web
EOF
