#!/usr/bin/env bash
# Installs every Debian package Bulkhead needs, and only what is missing.
# QEMU 10 and OpenSBI 1.5 come from bookworm-backports; that suite is added by
# reusing the archive address already present in this machine's apt sources, so
# no package host is ever written into the project.
set -euo pipefail

# Packages taken from bookworm-backports (newer than bookworm's own).
BACKPORTS_PKGS=(qemu-system-misc opensbi)
# Packages from the release (and its security suite, for linux-source-6.12).
PKGS=(make gcc libc6-dev pkg-config python3 python3-kconfiglib
      device-tree-compiler libfdt-dev libcmocka-dev
      gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf scons
      gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
      binutils-riscv64-linux-gnu
      cppcheck clang-tidy gcovr cloc pmccabe
      linux-source-6.12 bc flex bison cpio xz-utils ccache
      gnuplot-nox tmux)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    SUDO=sudo
fi

missing() {
    local p out=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
    done
    echo "${out[@]:-}"
}

# The version check matters: bookworm's own qemu (7.2) lacks what we rely on.
qemu_ok() {
    command -v qemu-system-riscv64 >/dev/null &&
    [ "$(qemu-system-riscv64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')" -ge 10 ]
}

need_bp="$(missing "${BACKPORTS_PKGS[@]}")"
qemu_ok || need_bp="${BACKPORTS_PKGS[*]}"
need="$(missing "${PKGS[@]}")"
[ -z "$need_bp" ] && [ -z "$need" ] && exit 0

archive_uri() {
    # First URI that serves the plain bookworm suite, from deb822 or one-line sources.
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN{RS="";FS="\n"}
             { uri=""; ok=0
               for (i=1;i<=NF;i++) {
                 if ($i ~ /^URIs:/) { split($i,a," "); uri=a[2] }
                 if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok=1 }
               if (ok && uri!="") { print uri; exit } }' "$f"
    done
    { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
        awk '$1=="deb" && $0 ~ / bookworm / { for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }'
}

if [ -n "$need_bp" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri="$(archive_uri | head -n1 || true)"
    [ -n "$uri" ] || { echo "install-deps: no bookworm archive found in apt sources to reuse for bookworm-backports" >&2; exit 1; }
    echo "install-deps: adding bookworm-backports from $uri"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" |
        $SUDO tee /etc/apt/sources.list.d/bulkhead-backports.sources >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
[ -z "$need" ] || $SUDO apt-get install -y -qq --no-install-recommends $need
# shellcheck disable=SC2086
[ -z "$need_bp" ] || $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $need_bp
qemu_ok || { echo "install-deps: qemu-system-riscv64 >= 10 not available after install" >&2; exit 1; }
