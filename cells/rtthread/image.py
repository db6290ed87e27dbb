#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks an RT-Thread image against the cell it is for and installs it as that
cell's image (docs/cells/rtthread.md, "What the image check does").

  image.py --system configs/<name>.dts [--name rtthread] SRC OUT

The load and entry addresses come from the system config: every cell whose
`image` is NAME gives its `image-address` and `entry` (read from the compiled
DTB with fdtget). SRC is an ELF (entry and first loaded byte must be those
addresses; it is flattened with objcopy -O binary) or a raw binary (taken as it
is, after the checks a raw binary allows). Any refusal is one line starting
`rtthread:` on stderr, exit 1, and OUT is left alone. OUT is replaced only when
its content changes, so an unchanged image does not relink the hypervisor.
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build as rtthread_build  # noqa: E402  (cells/rtthread/build.py)

CROSS = os.environ.get("CROSS", "riscv64-unknown-elf-")
EM_RISCV = 243
ET_EXEC = 2
PT_LOAD = 1
# How much of a raw image's start is decoded for M-mode CSR accesses: the
# startup code of an M-mode RT-Thread build touches mstatus/mie/mtvec/mhartid
# within its first few instructions.
SCAN_BYTES = 256
# Names of the M-mode CSRs a startup sequence uses (RISC-V privileged spec,
# table "Currently allocated RISC-V machine-level CSR addresses").
M_CSR_NAMES = {0x300: "mstatus", 0x301: "misa", 0x302: "medeleg", 0x303: "mideleg",
               0x304: "mie", 0x305: "mtvec", 0x340: "mscratch", 0x341: "mepc",
               0x342: "mcause", 0x343: "mtval", 0x344: "mip", 0xF14: "mhartid"}
MRET = 0x30200073


class Refused(Exception):
    """One `rtthread:` line; the caller adds the hint."""


def fail(msg):
    sys.stderr.write(f"rtthread: {msg}\n")
    sys.exit(1)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def cell_addresses(dts, name):
    """[(cell, image-address, entry)] of the cells of dts whose image is name."""
    with tempfile.TemporaryDirectory() as tmp:
        dtb = os.path.join(tmp, "system.dtb")
        p = run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts])
        if p.returncode != 0:
            fail(f"{dts}: the system config does not compile: {first_line(p.stderr)}")
        p = run(["fdtget", "-l", dtb, "/cells"])
        if p.returncode != 0:
            fail(f"{dts}: no /cells node ({first_line(p.stderr)})")
        out = []
        for cell in p.stdout.split():
            img = run(["fdtget", "-ts", dtb, f"/cells/{cell}", "image"])
            if img.returncode != 0 or img.stdout.strip() != name:
                continue
            vals = []
            for prop in ("image-address", "entry"):
                q = run(["fdtget", "-tx", dtb, f"/cells/{cell}", prop])
                words = q.stdout.split()
                if q.returncode != 0 or len(words) != 2:
                    fail(f"{dts}: cell {cell}: {prop} must be two cells <hi lo>, "
                         f"got {q.stdout.strip() or 'nothing'}")
                vals.append((int(words[0], 16) << 32) | int(words[1], 16))
            out.append((cell, vals[0], vals[1]))
    if not out:
        fail(f"{dts}: no cell has image = \"{name}\"")
    if len({(a, e) for _, a, e in out}) != 1:
        desc = ", ".join(f"{c} image-address {a:#x} entry {e:#x}" for c, a, e in out)
        fail(f"{dts}: cells sharing image \"{name}\" disagree: {desc}")
    return out


def elf_layout(path, data):
    """(entry, lowest physical address of a loaded byte) of a RISC-V 64 ELF
    executable, after checking that every loaded byte lies inside the file."""
    if len(data) < 64:
        raise Refused(f"truncated ELF: {len(data)} bytes, its header alone is 64")
    if data[4] != 2 or data[5] != 1:
        raise Refused("not a 64-bit little-endian ELF (RT-Thread's qemu-virt64-riscv is both)")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_RISCV:
        raise Refused(f"ELF for machine {e_machine}, not RISC-V ({EM_RISCV})")
    if e_type != ET_EXEC:
        raise Refused(f"ELF type {e_type}, not an executable (2): an object file or a "
                      "position-independent build")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    if phnum == 0:
        raise Refused("ELF without program headers")
    if phentsize < 56 or phoff + phnum * phentsize > len(data):
        raise Refused(f"truncated ELF: program headers end at {phoff + phnum * phentsize} "
                      f"of {len(data)} bytes")
    low = None
    for i in range(phnum):
        p_type, _flags, off, _vaddr, paddr, filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type != PT_LOAD or filesz == 0:
            continue
        if off + filesz > len(data):
            raise Refused(f"truncated ELF: segment {i} ends at byte {off + filesz} of "
                          f"{len(data)}")
        low = paddr if low is None else min(low, paddr)
    if low is None:
        raise Refused("holds no loadable bytes")
    return entry, low


def m_mode_access(image):
    """Description of the first M-mode CSR access or mret among the first
    SCAN_BYTES of image, or None. Compressed instructions (low bits != 11) are
    stepped over: none of them reaches a CSR."""
    pos = 0
    end = min(len(image), SCAN_BYTES)
    while pos + 2 <= end:
        half = image[pos] | (image[pos + 1] << 8)
        if half & 3 != 3:
            pos += 2
            continue
        if pos + 4 > len(image):
            break
        word = struct.unpack_from("<I", image, pos)[0]
        if word == MRET:
            return f"mret at offset {pos:#x}"
        if word & 0x7F == 0x73 and (word >> 12) & 7 not in (0, 4):
            csr = word >> 20
            if (csr >> 8) & 3 == 3:
                name = M_CSR_NAMES.get(csr, f"CSR {csr:#x}")
                return f"an access to the M-mode CSR {name} ({csr:#x}) at offset {pos:#x}"
        pos += 4
    return None


def looks_like_text(data):
    head = data[:512]
    return all(b in (9, 10, 13) or 32 <= b < 127 for b in head)


def flatten(src, tmp_out):
    p = run([CROSS + "objcopy", "-O", "binary", src, tmp_out])
    if p.returncode != 0:
        raise Refused(f"objcopy cannot flatten it: {first_line(p.stderr)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", required=True, help="the system config (.dts)")
    ap.add_argument("--name", default="rtthread", help="image name in the system config")
    ap.add_argument("--built-from", default="",
                    help="the RTTHREAD_SRC checkout SRC was built from (for the messages)")
    ap.add_argument("src")
    ap.add_argument("out")
    args = ap.parse_args()

    cells = cell_addresses(args.system, args.name)
    cell, load, entry = cells[0]
    at = (f"loaded and entered at {load:#x}" if load == entry
          else f"loaded at {load:#x} and entered at {entry:#x}")
    what = (f"the build of RTTHREAD_SRC={args.built_from}, RT-Thread" if args.built_from else
            "RTTHREAD_IMAGE=<path to rtthread.bin or rtthread.elf> from RT-Thread")
    hint = (f"expected {what} bsp/qemu-virt64-riscv, S-mode build, {at} ({args.system}, "
            f"cell {cell}; see docs/cells/rtthread.md)")
    src = args.src
    if not src:
        fail("no image given: build RT-Thread from a checkout of its public repository, "
             "tag v5.0.0 or a later 5.0.x: `git clone -b v5.0.0 "
             "https://github.com/RT-Thread/rt-thread.git ../rt-thread && "
             "make CONFIG=linux-rtthread RTTHREAD_SRC=../rt-thread run`; or pass a "
             f"prebuilt image: {hint}")
    if not os.path.isfile(src):
        fail(f"RTTHREAD_IMAGE={src} does not exist: {hint}")
    with open(src, "rb") as f:
        data = f.read()
    tmp_out = args.out + ".tmp"
    try:
        if not data:
            raise Refused("holds no loadable bytes")
        if data[:4] == b"\x7fELF":
            e, low = elf_layout(src, data)
            if e != entry or low != load:
                raise Refused(f"entry {e:#x}, first load address {low:#x}")
            # RT-Thread 5.0.0's zero-size boot_hartid (docs/cells/rtthread.md):
            # visible in an ELF's symbols, not in a raw binary.
            rtthread_build.check_boot_hartid(
                src, "build it with RTTHREAD_SRC=<checkout>, which gives boot_hartid a slot "
                "of its own (docs/cells/rtthread.md)")
            flatten(src, tmp_out)
            with open(tmp_out, "rb") as f:
                image = f.read()
            if not image:
                raise Refused("holds no loadable bytes")
        else:
            if looks_like_text(data):
                start = data[:24].decode("ascii").splitlines()[0] if data.strip() else ""
                raise Refused(f"a text file (starts {start!r}), not an image")
            image = data
        m = m_mode_access(image)
        if m:
            raise Refused(f"an M-mode build: its first instructions include {m}")
    except Refused as r:
        if os.path.exists(tmp_out):
            os.remove(tmp_out)
        fail(f"{src}: {r}; {hint}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    old = None
    if os.path.isfile(args.out):
        with open(args.out, "rb") as f:
            old = f.read()
    if old != image:
        with open(tmp_out, "wb") as f:
            f.write(image)
        os.replace(tmp_out, args.out)
    elif os.path.exists(tmp_out):
        os.remove(tmp_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
