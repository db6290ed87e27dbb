# SPDX-License-Identifier: Apache-2.0
"""`make bench` step `scale`: how the build and the boot grow with the number of
cells, on the 64-hart platform dts/qemu-virt-64.dts.

  build  systems of 4, 16 and 64 one-hart rtos-contract cells (tools/mkcells.py,
         the shape of configs/rtos64.dts) through bhconfig: its run time (median
         of BHCONFIG_RUNS), the generated cells.c and gstage.c, the G-stage
         tables, the guest DTBs and the rodata of the compiled cell table; the
         per-cell cost is the slope between 4 and 64 cells.
  boot   configs/rtos64 (if built) under QEMU without -icount (64 vCPUs on the
         host's cores): when each cell's hart entered it and printed its first
         tick, and which harts never arrived.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import mkcells  # noqa: E402

PYTHON = "/usr/bin/python3"
PLATFORM = "qemu-virt-64"
CELL_COUNTS = (4, 16, 64)
BHCONFIG_RUNS = 5
BOOT_SECONDS = 180
QUIET_S = 20
CROSS = "riscv64-unknown-elf-"
CFLAGS = ["-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-mcmodel=medany", "-std=c11",
          "-ffreestanding", "-O2", "-Isrc/include", "-Isrc/arch/riscv/include"]


def _run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, **kw)


def _kconfig(work):
    """A .config and autoconf.h allowing 64 one-hart cells (configs/rtos64.defconfig)."""
    dotconfig = os.path.join(work, ".config")
    _run([PYTHON, "tools/kconfig.py", "olddefconfig", "Kconfig", "configs/rtos64.defconfig", dotconfig])
    _run([PYTHON, "tools/kconfig.py", "header", "Kconfig", dotconfig,
          os.path.join(work, "autoconf.h")])
    return dotconfig


def _rodata(out, autoconf_dir):
    """Bytes of read-only data in the compiled gen/cells.c (the cell table)."""
    obj = os.path.join(out, "cells.o")
    _run([CROSS + "gcc"] + CFLAGS + ["-I" + os.path.join(out, "gen"), "-I" + autoconf_dir,
                                     "-c", os.path.join(out, "gen", "cells.c"), "-o", obj])
    total = 0
    for line in _run([CROSS + "size", "-A", obj]).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith((".rodata", ".srodata")) and parts[1].isdigit():
            total += int(parts[1])
    return total


def _build_figures(n, work, dotconfig, images):
    dts = os.path.join(work, f"scale{n}.dts")
    with open(dts, "w", encoding="utf-8") as f:
        f.write(mkcells.system_source(n, PLATFORM, f"scale{n}"))
    out = os.path.join(work, f"scale{n}")
    cmd = [os.path.join(ROOT, "build", "host", "bhconfig"), "--system", dts, "--platform",
           f"dts/{PLATFORM}.dts", "--kconfig", dotconfig, "--image-dir", images, "--out", out]
    times = []
    for _ in range(BHCONFIG_RUNS):
        t = time.monotonic()
        _run(cmd)
        times.append(time.monotonic() - t)
    with open(os.path.join(out, "gen", "config.h"), encoding="utf-8") as f:
        pages = int(re.search(r"^#define BH_GSTAGE_PAGES\s+(\d+)", f.read(), re.M).group(1))
    dtbs = [os.path.join(out, "cells", p) for p in os.listdir(os.path.join(out, "cells"))
            if p.endswith(".dtb")]
    return {"cells": n, "bhconfig_ms": round(1000 * statistics.median(times), 1),
            "cells_c": os.path.getsize(os.path.join(out, "gen", "cells.c")),
            "gstage_c": os.path.getsize(os.path.join(out, "gen", "gstage.c")),
            "gstage_tables": pages * 4096,
            "dtbs": sum(os.path.getsize(p) for p in dtbs),
            "rodata": _rodata(out, work)}


def _boot(args):
    from bulkhead_run import run_headless
    build = os.path.join(args.build, "rtos64")
    names = [f"c{i}" for i in range(64)]
    def harts_entered(r):
        return {int(m.group(1)) for m in (re.search(r"\(hart (\d+)\) enters", l)
                                          for l in r.hypervisor) if m}

    seen = {"harts": 0, "at": time.monotonic()}

    def done(r):
        """Every cell ticks, or every cell whose hart arrived ticks and no hart
        has arrived for QUIET_S seconds (the rest never will)."""
        harts = harts_entered(r)
        if len(harts) != seen["harts"]:
            seen["harts"], seen["at"] = len(harts), time.monotonic()
        ticking = all(any(l.startswith("tick ") for l in r.cells[f"c{h}"]) for h in harts)
        return ticking and (len(harts) == len(names) or time.monotonic() - seen["at"] > QUIET_S)

    r = run_headless(build, BOOT_SECONDS, None, stop_when=done)
    entered = harts_entered(r)
    first_tick = {}
    for i, line in enumerate(r.raw):
        m = re.match(r"^\[(c\d+)\] tick 1$", line)
        if m and m.group(1) not in first_tick:
            first_tick[m.group(1)] = r.raw_times[i] - r.started
    return {"cells": 64, "wall_s": round(r.elapsed, 1), "ended": r.stopped,
            "harts_entered": len(entered), "cells_ticking": len(first_tick),
            "last_first_tick_s": round(max(first_tick.values()), 1) if first_tick else None,
            "harts_never_entered": sorted(set(range(64)) - entered)}


def step_scale(args, res, say):
    images = os.path.join(args.build, "images")
    if not os.path.isfile(os.path.join(images, "rtos-contract.bin")):
        raise RuntimeError(f"{images}/rtos-contract.bin is missing: build any system with the "
                           "rtos-contract cell first")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
        dotconfig = _kconfig(work)
        rows = [_build_figures(n, work, dotconfig, images) for n in CELL_COUNTS]
    res["scale"]["build"] = rows
    lo, hi = rows[0], rows[-1]
    span = hi["cells"] - lo["cells"]
    per_cell = {k: round((hi[k] - lo[k]) / span, 1) for k in
                ("bhconfig_ms", "cells_c", "gstage_c", "gstage_tables", "dtbs", "rodata")}
    res["scale"]["per_cell"] = per_cell
    for row in rows:
        say(f"scale {row['cells']} cells: bhconfig {row['bhconfig_ms']} ms, cells.c {row['cells_c']} B, "
            f"gstage.c {row['gstage_c']} B, G-stage tables {row['gstage_tables']} B, DTBs {row['dtbs']} B, "
            f"cell-table rodata {row['rodata']} B")
    say("scale per cell: " + ", ".join(f"{k} {v}" for k, v in per_cell.items()))
    if "rtos64" in args.built_systems:
        boot = _boot(args)
        res["scale"]["boot"] = boot
        say(f"scale boot of rtos64: {boot['harts_entered']}/64 harts entered their cell, "
            f"{boot['cells_ticking']}/64 cells ticked, the last first tick after "
            f"{boot['last_first_tick_s']} s ({boot['ended']} after {boot['wall_s']} s); "
            f"harts that never arrived: {boot['harts_never_entered'] or 'none'}")
    else:
        res["notes"].append("scale: configs/rtos64 did not build: no boot figure")
