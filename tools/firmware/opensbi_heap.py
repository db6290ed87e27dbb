#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Makes the firmware of Bulkhead's big platforms: Debian's OpenSBI
fw_dynamic.bin (package opensbi, bookworm-backports) with a larger heap.

  opensbi_heap.py IN OUT

Why. OpenSBI 1.5.1's generic platform sizes its heap at boot from the number
of harts N in the device tree (platform/generic/platform.c,
fw_platform_calculate_heap_size):

    heap(N) = align_1K(0x8000 + 0x800 * N + 40 * N * N)

40 * N is one hart's TLB-flush FIFO (N entries of struct sbi_tlb_info, 40
bytes); 0x800 is meant for the rest of a hart's state. lib/sbi/sbi_heap.c
keeps 1/16 of the heap for its own bookkeeping. On QEMU virt with N = 64 the
firmware reports 320 KB total, 20 KB reserved, 14 KB used after the boot
hart, 286 KB free; it then starts only 58 more harts (harts 1..58): each takes
about 4.9 KB (its 2.5 KB FIFO and about 2.4 KB of PMU, SSE, FWFT and
debug-trigger state), more than the 2 KB + 2.5 KB the formula gives it, and
harts 59..63 fail with SBI_ENOMEM after SBI HSM hart_start reported success.

The change: upstream's own fix, commit dcb68dd1 "platform: ensure enough
heap size with debug triggers extension" (OpenSBI 1.6), which gives each hart
0x1000 instead of 0x800:

    heap(N) = align_1K(0x8000 + 0x1000 * N + 40 * N * N)

- N = 64: 448 KB, 28 KB of it bookkeeping; 63 more harts need about
  63 * 4.9 = 309 KB of the about 406 KB left after the boot hart.
- N = 128: 1184 KB, 74 KB bookkeeping; 127 more harts with 5 KB FIFOs need
  about 127 * 7.4 = 940 KB of the about 1090 KB left (14 % margin).
The heap is not the only thing in the 2 MiB that the platforms keep for the
firmware (dts/qemu-virt-*.dts, reserved-memory): code and data (284 KB) and
an 8 KB stack per hart come first, so the firmware's view holds at most
107 harts (docs/limits.md).

How. The compiled computation (compiler-chosen registers) is

    addiw  rd, rN, 16        # N + 16
    slliw  rd, rd, 11        # (N + 16) * 0x800 = 0x8000 + 0x800 * N
    ...                      # + 40 * N * N
    addiw  rd, rd, 1023      # align_1K
    andi   rd, rd, -1024

The script finds that sequence (exactly once, or it stops), makes the first
two `addiw rd, rN, 8` and `slliw rd, rd, 12` ((N + 8) * 0x1000 = 0x8000 +
0x1000 * N) and writes OUT; the input is never modified.
"""

import hashlib
import os
import struct
import sys

# (N + OLD_ADD) << OLD_SHIFT = 0x8000 + 0x800 * N becomes
# (N + NEW_ADD) << NEW_SHIFT = 0x8000 + 0x1000 * N
OLD_ADD, OLD_SHIFT = 16, 11
NEW_ADD, NEW_SHIFT = 8, 12
ALIGN_WINDOW = 40  # bytes after the shift in which the align_1K pair must follow


def word(data, off):
    return struct.unpack_from("<I", data, off)[0]


def op_imm(w, opcode, funct3):
    """(rd, rs1, imm) of an I-type instruction with this opcode and funct3, else None."""
    if w & 0x7F != opcode or (w >> 12) & 7 != funct3:
        return None
    imm = w >> 20
    if imm & 0x800:
        imm -= 0x1000
    return (w >> 7) & 31, (w >> 15) & 31, imm


def addiw(w):
    return op_imm(w, 0x1B, 0)


def slliw(w):
    """(rd, rs1, shamt) of slliw (funct7 zero), else None."""
    r = op_imm(w, 0x1B, 1)
    if r is None or w >> 25 != 0:
        return None
    return r[0], r[1], r[2] & 31


def andi(w):
    return op_imm(w, 0x13, 7)


def aligns(data, start, rd):
    """True when `addiw rd,rd,1023` then `andi rd,rd,-1024` follow within the window."""
    add = None
    for off in range(start, min(start + ALIGN_WINDOW, len(data) - 4), 2):
        w = word(data, off)
        if add is None and addiw(w) == (rd, rd, 1023):
            add = off
        elif add is not None and off >= add + 4 and andi(w) == (rd, rd, -1024):
            return True
    return False


def find_heap_shift(data):
    """Offsets of the addiw of every heap-size computation in data (RISC-V
    instructions are 2-byte aligned with the C extension)."""
    found = []
    for off in range(0, len(data) - 8, 2):
        a = addiw(word(data, off))
        if a is None or a[2] != OLD_ADD:
            continue
        s = slliw(word(data, off + 4))
        if s == (a[0], a[0], OLD_SHIFT) and aligns(data, off + 8, a[0]):
            found.append(off)
    return found


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: opensbi_heap.py IN OUT\n")
        return 2
    src, dst = argv
    with open(src, "rb") as f:
        data = bytearray(f.read())
    found = find_heap_shift(data)
    if len(found) != 1:
        sys.stderr.write(f"opensbi_heap: {src}: expected one heap-size computation "
                         f"(addiw rd,rN,{OLD_ADD}; slliw rd,rd,{OLD_SHIFT}; ... align to 1 KiB), found "
                         f"{len(found)}; is this OpenSBI 1.5.x's generic fw_dynamic.bin?\n")
        return 1
    off = found[0]
    # the immediate of addiw and the shift amount of slliw: both in bits 20..
    add, shift = word(data, off), word(data, off + 4)
    struct.pack_into("<I", data, off, (add & 0xFFFFF) | (NEW_ADD << 20))
    struct.pack_into("<I", data, off + 4, (shift & ~(31 << 20)) | (NEW_SHIFT << 20))
    with open(dst + ".tmp", "wb") as f:
        f.write(data)
    os.replace(dst + ".tmp", dst)
    print(f"opensbi_heap: {dst}: heap 0x8000 + 0x1000 * harts + 40 * harts^2 "
          f"(at offset 0x{off:x}: (harts + {OLD_ADD}) << {OLD_SHIFT} -> (harts + {NEW_ADD}) << {NEW_SHIFT}); "
          f"sha256 {hashlib.sha256(data).hexdigest()[:16]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
