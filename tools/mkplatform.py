#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a platform description (dts/<name>.dts and its QEMU options
dts/<name>.qemu) for QEMU's riscv64 `virt` machine with a given number of
harts and amount of RAM, the way dts/qemu-virt.dts was made:

  1. QEMU dumps the device tree it would give the firmware (-M virt,dumpdtb=);
  2. dtc turns it into source; the boot-time random seed is dropped;
  3. two additions: the reserved-memory node for OpenSBI (fw_dynamic keeps
     the first 2 MiB of RAM; OpenSBI would otherwise add it at run time), and
     `bulkhead,bus-master;` on every device that can read and write memory by
     itself (virtio-mmio transports, the PCI host bridge, fw-cfg).

  mkplatform.py --harts 64 --ram-gib 8 --name qemu-virt-64
  mkplatform.py --harts 4 --ram-gib 2 --aclint --name qemu-virt
  mkplatform.py --harts 4 --ram-gib 2 --aia-guests 1 --name qemu-virt-aia
  mkplatform.py --harts 4 --ram-gib 2 --aclint --iommu --name qemu-virt-iommu

--aclint gives the machine ACLINT timer and software-interrupt devices
(-M virt,aclint=on) instead of the CLINT: its SSWI lets the hypervisor send
IPIs itself, without the firmware.

--aia-guests N gives the machine the Advanced Interrupt Architecture instead
of the PLIC (-M virt,aia=aplic-imsic,aia-guests=N, a CPU with Smaia and
Ssaia): an APLIC with a machine and a supervisor domain, both in MSI mode,
and per hart an IMSIC with a machine file, a supervisor file and N guest
interrupt files (docs/interrupts.md, "AIA").

--iommu puts QEMU's platform RISC-V IOMMU in front of the PCIe host bridge
(-M virt,iommu-sys=on): every DMA of a PCI function is translated by it, so
a function can be passed through confined to its cell (docs/devices.md).
virtio-mmio and fw-cfg still bypass it.

tests/suites/platforms.py checks that this reproduces every committed dts/qemu-virt*.dts.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

QEMU = "qemu-system-riscv64"
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
# Debian's OpenSBI 1.5.1 runs out of heap after starting about 58 harts
# (docs/limits.md); a platform with more than SMALL_HARTS harts runs the same
# binary with a larger heap, which make puts into the system's build directory
# (tools/firmware/firmware.mk; {build} is filled in by tools/run.py).
SMALL_HARTS = 32
FIRMWARE_BIG_HEAP = "{build}/fw_dynamic-big-heap.bin"
# Harts the larger-heap firmware starts in 2 MiB (measured: 107 do, 108 do
# not; docs/limits.md). The platform states it on the firmware's node and
# bhconfig refuses a system that needs more.
FIRMWARE_BIG_HEAP_MAX_HARTS = 107
BUS_MASTER = re.compile(r"^(\t+)(virtio_mmio|pci|fw-cfg)@[0-9a-f]+ \{$")

HEADER = """\
/*
 * QEMU riscv64 `virt` exactly as Bulkhead runs it (options in {name}.qemu):
 * {harts} harts with H and Sstc, {ram} GiB RAM, {timers}, {irqchip}, one NS16550, eight virtio-mmio slots.
 * Dumped with `-M virt,dumpdtb=...` from QEMU {version} by tools/mkplatform.py. Two additions: the
 * reserved-memory node for OpenSBI, which OpenSBI would otherwise add at run
 * time, and `bulkhead,bus-master;` on every device that can read and write
 * memory by itself (DMA): the virtio-mmio transports, the PCI host bridge and
 * fw-cfg. {dma_note}
 */
"""

NO_IOMMU_NOTE = """QEMU virt has no IOMMU in front of them, so their DMA reaches any
 * physical address; bhconfig refuses such a device in a cell unless the cell
 * says dma = "unconfined" (docs/config.md, "DMA")."""

IOMMU_NOTE = """The RISC-V IOMMU (iommu@3010000) translates the DMA of
 * every PCI function: functions assigned to a cell with pci@B,D,F nodes DMA
 * through that cell's G-stage tables (docs/devices.md). The virtio-mmio
 * transports and fw-cfg bypass it: their DMA reaches any physical address,
 * and bhconfig refuses them in a cell unless it says dma = "unconfined"."""

RESERVED = """\
\treserved-memory {{
\t\t#address-cells = <0x02>;
\t\t#size-cells = <0x02>;
\t\tranges;

\t\t/* OpenSBI fw_dynamic: loaded at the start of RAM, 2 MiB kept for it. */
\t\tfirmware@80000000 {{
\t\t\treg = <0x00 0x80000000 0x00 0x200000>;
\t\t\tno-map;
{max_harts}\t\t}};
\t}};

"""

QEMU_OPTIONS = """\
# QEMU options for the {name} platform (dts/{name}.dts describes this machine).
# tools/run.py reads every non-comment line; the firmware and hypervisor are added by it.
-machine {machine}
-cpu {cpu}
-smp {harts}
-m {ram}G
-bios {firmware}
"""


class Error(Exception):
    pass


def firmware(harts):
    return FIRMWARE if harts <= SMALL_HARTS else FIRMWARE_BIG_HEAP


def reserved(harts):
    """The reserved-memory node, with the firmware's hart limit where it is known (bhconfig checks it)."""
    if harts <= SMALL_HARTS:
        return RESERVED.format(max_harts="")
    return RESERVED.format(max_harts=f"\t\t\tbulkhead,max-harts = <{FIRMWARE_BIG_HEAP_MAX_HARTS:#x}>;\n")


def qemu_version():
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"version (\S+?)(?: |\(|$)", out)
    if not m:
        raise Error(f"cannot read the version in {QEMU} --version: {out.strip()!r}")
    return re.sub(r"^(\d+\.\d+\.\d+).*", r"\1", m.group(1))


def machine(aclint, aia_guests, iommu=False):
    if aia_guests:
        m = f"virt,aia=aplic-imsic,aia-guests={aia_guests}"
    else:
        m = "virt,aclint=on" if aclint else "virt"
    return m + (",iommu-sys=on" if iommu else "")


def cpu(aia_guests):
    """Smaia/Ssaia (AIA spec ch. 2): the IMSIC CSRs of every privilege level."""
    return "rv64,smaia=true,ssaia=true" if aia_guests else "rv64"


def irqchip(aia_guests):
    if aia_guests:
        return (f"APLIC (M and S domains, MSI mode), IMSIC (M, S and {aia_guests} guest "
                f"interrupt file{'s' if aia_guests > 1 else ''} per hart)")
    return "PLIC"


def dump_source(harts, ram_gib, aclint, aia_guests, iommu):
    with tempfile.TemporaryDirectory(prefix="mkplatform-") as d:
        dtb = os.path.join(d, "virt.dtb")
        r = subprocess.run([QEMU, "-machine", f"{machine(aclint, aia_guests, iommu)},dumpdtb={dtb}",
                            "-cpu", cpu(aia_guests),
                            "-smp", str(harts), "-m", f"{ram_gib}G", "-nographic"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or not os.path.exists(dtb):
            raise Error(f"{QEMU} could not dump a virt machine of {harts} harts and "
                        f"{ram_gib} GiB: {r.stderr.strip()}")
        return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], capture_output=True,
                              text=True, check=True).stdout


def platform_source(harts, ram_gib, name, version, aclint=False, aia_guests=0, iommu=False):
    lines = dump_source(harts, ram_gib, aclint, aia_guests, iommu).splitlines(keepends=True)
    if not lines or lines[0] != "/dts-v1/;\n":
        raise Error("dtc's output does not start with /dts-v1/;")
    timers = "ACLINT (MTIMER, MSWI, SSWI)" if aclint else "CLINT"
    out = [lines[0], HEADER.format(name=name, harts=harts, ram=ram_gib, version=version, timers=timers,
                                   irqchip=irqchip(aia_guests) + (", RISC-V IOMMU" if iommu else ""),
                                   dma_note=IOMMU_NOTE if iommu else NO_IOMMU_NOTE)]
    node = reserved(harts)
    for line in lines[1:]:
        if line.lstrip().startswith("rng-seed = "):
            continue
        if line == "\tmemory@80000000 {\n":
            out.append(node)
        out.append(line)
        m = BUS_MASTER.match(line.rstrip("\n"))
        if m:
            out.append(f"{m.group(1)}\tbulkhead,bus-master;\n")
    text = "".join(out)
    if node not in text:
        raise Error("no /memory@80000000 node in QEMU's device tree")
    return text


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--harts", type=int, required=True)
    ap.add_argument("--ram-gib", type=int, required=True)
    ap.add_argument("--name", required=True, help="platform name: writes dts/NAME.dts and dts/NAME.qemu")
    ap.add_argument("--aclint", action="store_true", help="ACLINT devices (-M virt,aclint=on), with SSWI")
    ap.add_argument("--aia-guests", type=int, default=0, metavar="N",
                    help="AIA (APLIC + IMSIC, -M virt,aia=aplic-imsic) with N guest interrupt files per hart")
    ap.add_argument("--iommu", action="store_true",
                    help="the platform RISC-V IOMMU in front of the PCIe host bridge (-M virt,...,iommu-sys=on)")
    ap.add_argument("--out-dir", default="dts")
    ap.add_argument("--stdout", action="store_true", help="print the .dts instead of writing files")
    a = ap.parse_args(argv)
    if a.aia_guests and (a.aclint or not 1 <= a.aia_guests <= 7):
        sys.stderr.write(f"mkplatform: --aia-guests {a.aia_guests}: 1..7 (QEMU virt), without --aclint\n")
        return 1
    try:
        text = platform_source(a.harts, a.ram_gib, a.name, qemu_version(), a.aclint, a.aia_guests, a.iommu)
    except (Error, subprocess.SubprocessError, OSError) as e:
        sys.stderr.write(f"mkplatform: {e}\n")
        return 1
    if a.stdout:
        sys.stdout.write(text)
        return 0
    with open(os.path.join(a.out_dir, a.name + ".dts"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(a.out_dir, a.name + ".qemu"), "w", encoding="utf-8") as f:
        f.write(QEMU_OPTIONS.format(name=a.name, harts=a.harts, ram=a.ram_gib, firmware=firmware(a.harts),
                                    machine=machine(a.aclint, a.aia_guests, a.iommu), cpu=cpu(a.aia_guests)))
    print(f"wrote {a.out_dir}/{a.name}.dts and {a.out_dir}/{a.name}.qemu")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
