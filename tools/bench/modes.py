#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Per-path instruction counts split by privilege mode, from an instruction
trace of the bench guest (`make bench`, step `modes`).

QEMU runs bench-guest with one instruction per translation block and logs
every executed block (`-d exec,nochain`), so each log line is one
instruction: the hart, its pc and the block's flags, whose low three bits
are QEMU's MMU index (target/riscv: 3 = M, 0..2 = U/S without
virtualisation, 4..7 = the same with V = 1).  Under -icount the run is
deterministic.

A *trap* is a maximal run of non-guest instructions on one hart between two
guest instructions; its HS instructions are Bulkhead's, its M instructions
OpenSBI's.  Before each path's samples the guest calls its own marker
function mark_<op> (cells/bench/main.c): the traps after the marker on that
hart, until the next marker, are the path's candidates, and the path's own
traps are those taken at the guest instruction that trapped most often
among them (the measured operation runs N times in a loop; the loop's other
traps - a console line, a wait - come from other instructions).  A path's
figure is the median over its traps (identical operations); the hypervisor's part
is also split by function (symbols of bulkhead.elf), the profile that says
where a path spends its instructions.

The trace is read from a pipe while QEMU runs: nothing is written to disk.
"""

import bisect
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE)))

from bulkhead_run import run_headless  # noqa: E402

TRACE_QEMU = ["-accel", "tcg,one-insn-per-tb=on", "-d", "exec,nochain"]
LINE = re.compile(rb"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/([0-9a-f]+)/")
MMU_M = 3
MMU_VIRT = 4
MARKER = "mark_"


class Symbols:
    """Function symbols of an ELF (address -> name) by the cross nm."""

    def __init__(self, elf: str, nm: str):
        out = subprocess.run([nm, "-n", "--defined-only", elf], check=True,
                             capture_output=True, text=True).stdout
        self.addrs, self.names = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])

    def name(self, pc: int) -> str:
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else "?"


class TrapCounter:
    """Consumes trace lines; groups each hart's traps under the last marker."""

    def __init__(self, guest: Symbols, hyp: Symbols):
        self.guest, self.hyp = guest, hyp
        self.path = {}          # hart -> current path (or None)
        self.open = {}          # hart -> [hs, m, Counter of hypervisor functions, guest pc]
        self.last_pc = {}       # hart -> pc of its last guest instruction
        self.traps = defaultdict(list)
        self.guest_name = {}    # guest pc -> marker path or "" (cache)
        self.lines = 0

    def feed(self, line: bytes):
        m = LINE.match(line)
        if m is None:
            return
        self.lines += 1
        hart, pc, mmu = int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16) & 7
        if mmu >= MMU_VIRT:
            trap = self.open.pop(hart, None)
            if trap is not None and self.path.get(hart):
                self.traps[self.path[hart]].append(trap)
            op = self.guest_name.get(pc)
            if op is None:
                name = self.guest.name(pc)
                op = name[len(MARKER):] if name.startswith(MARKER) else ""
                self.guest_name[pc] = op
            if op:
                self.path[hart] = op
            self.last_pc[hart] = pc
            return
        trap = self.open.get(hart)
        if trap is None:
            trap = self.open[hart] = [0, 0, Counter(), self.last_pc.get(hart)]
        if mmu == MMU_M:
            trap[1] += 1
        else:
            trap[0] += 1
            trap[2][self.hyp.name(pc)] += 1

    def results(self):
        out = {}
        for op, candidates in self.traps.items():
            at = Counter(t[3] for t in candidates).most_common(1)[0][0]
            traps = [t for t in candidates if t[3] == at]
            total = [t[0] + t[1] for t in traps]
            med = statistics.median_low(total)
            # The profile of one trap of median length (the median trap).
            rep = next(t for t in traps if t[0] + t[1] == med)
            out[op] = {"traps": len(traps), "guest_pc": at, "hs": rep[0], "m": rep[1], "total": med,
                       "hs_min": min(t[0] for t in traps), "hs_max": max(t[0] for t in traps),
                       "m_min": min(t[1] for t in traps), "m_max": max(t[1] for t in traps),
                       "functions": dict(rep[2].most_common())}
        return out


def trace_paths(build_dir: str, guest_elf: str, nm: str, icount, seconds: float = 900,
                done_prefix: str = "bench: path uart_thr"):
    """Runs build_dir's system under the tracer until the guest has printed
    done_prefix; returns ({op: figures}, lines traced, how the run stopped)."""
    counter = TrapCounter(Symbols(guest_elf, nm),
                          Symbols(os.path.join(build_dir, "bulkhead.elf"), nm))
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "trace")
        os.mkfifo(fifo)

        def consume():
            with open(fifo, "rb") as f:
                for line in f:
                    counter.feed(line)

        reader = threading.Thread(target=consume, daemon=True)
        reader.start()
        stop = lambda r: any(l.startswith(done_prefix) for l in r.cells.get("bench", []))
        try:
            r = run_headless(build_dir, seconds, None, extra_qemu=icount + TRACE_QEMU + ["-D", fifo],
                             stop_when=stop)
        finally:
            # QEMU may never have opened the pipe: open it once so the reader ends.
            if reader.is_alive():
                try:
                    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                    os.close(fd)
                except OSError:
                    pass
            reader.join(60)
    return counter.results(), counter.lines, r.stopped


def main(argv):
    build = argv[1] if len(argv) > 1 else "build"
    res, lines, why = trace_paths(os.path.join(build, "bench-guest"),
                                  os.path.join(build, "images", "bench.elf"),
                                  "riscv64-unknown-elf-nm", ["-icount", "shift=0,sleep=off"])
    print(f"{lines} instructions traced, run stopped by {why}")
    for op, r in res.items():
        top = ", ".join(f"{f} {n}" for f, n in list(r["functions"].items())[:8])
        print(f"{op}: HS {r['hs']} M {r['m']} ({r['traps']} traps): {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
