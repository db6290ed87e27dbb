#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian package Bulkhead needs, and only what is missing.
# QEMU 10 and OpenSBI 1.5 come from bookworm-backports; that suite is added by
# reusing the archive address already present in this machine's apt sources, so
# no package host is ever written into the project.  The same archive also gets
# a deb-src entry for bookworm: the Linux cell's BusyBox is built from Debian's
# busybox source package (`apt-get source`, run by cells/linux/busybox.mk).
set -euo pipefail

# Packages taken from bookworm-backports (newer than bookworm's own).
BACKPORTS_PKGS=(qemu-system-misc opensbi)
# Packages from the release (and its security suite, for linux-source-6.12).
PKGS=(make gcc libc6-dev pkg-config python3 python3-kconfiglib
      device-tree-compiler libfdt-dev libcmocka-dev
      gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf scons
      gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
      binutils-riscv64-linux-gnu
      cppcheck clang-tidy clang-format gcovr cloc pmccabe
      linux-source-6.12 bc flex bison cpio xz-utils ccache
      dpkg-dev e2fsprogs
      gnuplot-nox tmux
      frama-c-base why3 z3 cvc4)
# Source packages `make` fetches with `apt-get source` (deb-src of bookworm).
SOURCE_PKGS=(busybox)

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

# True when apt knows every source package of SOURCE_PKGS (a deb-src entry
# for bookworm is configured and its index fetched).
sources_ok() {
    local p
    for p in "${SOURCE_PKGS[@]}"; do
        apt-cache showsrc --only-source "$p" 2>/dev/null | grep -q '^Version: ' || return 1
    done
}
need_src=""
sources_ok || need_src=yes
[ -z "$need_bp" ] && [ -z "$need" ] && [ -z "$need_src" ] && exit 0

archive_entry() {
    # "URI<TAB>SIGNED-BY" of each deb entry serving the plain bookworm suite, from
    # deb822 or one-line sources (SIGNED-BY empty when the entry has none: apt's
    # global keyrings then sign it).
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN{RS="";FS="\n"}
             { uri=""; key=""; deb=0; ok=0
               for (i=1;i<=NF;i++) {
                 if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb=1
                 if ($i ~ /^URIs:/) { split($i,a," "); uri=a[2] }
                 if ($i ~ /^Signed-By:/) { split($i,a," "); key=a[2] }
                 if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok=1 }
               if (deb && ok && uri!="") print uri "\t" key }' "$f"
    done
    { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
        awk '$1=="deb" && $0 ~ / bookworm / {
               key=""
               for(i=2;i<=NF;i++) {
                 if ($i ~ /^\[?signed-by=/) { key=$i; sub(/^\[?signed-by=/,"",key); sub(/\]$/,"",key) }
                 if ($i ~ /^[a-z]+:\/\//) { print $i "\t" key; break } } }'
}
archive_uri() { archive_entry | head -n1 | cut -f1; }

if [ -n "$need_bp" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri="$(archive_uri | head -n1 || true)"
    [ -n "$uri" ] || { echo "install-deps: no bookworm archive found in apt sources to reuse for bookworm-backports" >&2; exit 1; }
    echo "install-deps: adding bookworm-backports from $uri"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" |
        $SUDO tee /etc/apt/sources.list.d/bulkhead-backports.sources >/dev/null
fi

# deb-src for bookworm from the same archive, signed by the same keyring as its
# deb entry (apt refuses two entries of one archive with different Signed-By).
if [ -n "$need_src" ] && [ ! -f /etc/apt/sources.list.d/bulkhead-src.sources ]; then
    entry="$(archive_entry | head -n1 || true)"
    uri="$(printf '%s' "$entry" | cut -f1)"
    key="$(printf '%s' "$entry" | cut -f2)"
    [ -n "$uri" ] || { echo "install-deps: no bookworm archive found in apt sources to reuse for its deb-src entry" >&2; exit 1; }
    case "$key" in
        ''|/*) ;;
        *) echo "install-deps: Signed-By of the bookworm entry for $uri is not a keyring file ('$key'): add a deb-src entry for bookworm by hand" >&2; exit 1 ;;
    esac
    echo "install-deps: adding deb-src bookworm from $uri"
    { printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\n' "$uri"
      [ -z "$key" ] || printf 'Signed-By: %s\n' "$key"; } |
        $SUDO tee /etc/apt/sources.list.d/bulkhead-src.sources >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
[ -z "$need" ] || $SUDO apt-get install -y -qq --no-install-recommends $need
# shellcheck disable=SC2086
[ -z "$need_bp" ] || $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $need_bp
qemu_ok || { echo "install-deps: qemu-system-riscv64 >= 10 not available after install" >&2; exit 1; }
sources_ok || { echo "install-deps: apt knows no source package of: ${SOURCE_PKGS[*]} (deb-src of bookworm)" >&2; exit 1; }
