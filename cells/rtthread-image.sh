#!/usr/bin/env bash
# Checks an RT-Thread image against the contract (docs/cells/rtthread.md) and
# installs it as the cell image: load and entry at 0x80200000, S-mode build.
set -euo pipefail
src="${1:-}"
out="$2"
LOAD=0x80200000
hint="expected RTTHREAD_IMAGE=<path to rtthread.bin or rtthread.elf> from RT-Thread bsp/qemu-virt64-riscv, S-mode build, loaded and entered at $LOAD (see docs/cells/rtthread.md)"

if [ -z "$src" ]; then
    echo "rtthread: no image given: $hint" >&2
    exit 1
fi
if [ ! -f "$src" ]; then
    echo "rtthread: RTTHREAD_IMAGE=$src does not exist: $hint" >&2
    exit 1
fi
if [ "$(head -c 4 "$src" | od -An -tx1 | tr -d ' ')" = "7f454c46" ]; then
    entry=$(riscv64-unknown-elf-readelf -h "$src" | awk '/Entry point/ {print $4}')
    first=$(riscv64-unknown-elf-readelf -lW "$src" | awk '$1 == "LOAD" {print $4; exit}')
    if [ $((entry)) -ne $((LOAD)) ] || [ $((first)) -ne $((LOAD)) ]; then
        echo "rtthread: $src: entry $entry, first load address $first; $hint" >&2
        exit 1
    fi
    riscv64-unknown-elf-objcopy -O binary "$src" "$out.tmp"
else
    cp "$src" "$out.tmp"
fi
if [ ! -s "$out.tmp" ]; then
    rm -f "$out.tmp"
    echo "rtthread: $src holds no loadable bytes; $hint" >&2
    exit 1
fi
# Replace only on change, so an unchanged image does not rebuild the hypervisor.
if cmp -s "$out.tmp" "$out"; then rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
