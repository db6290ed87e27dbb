# SPDX-License-Identifier: Apache-2.0
"""System test of a big machine: configs/rtos64, 64 one-hart rtos-contract cells
c0..c63 on the 64-hart platform dts/qemu-virt-64.dts, booted headless once.

What must hold: every one of the 64 cells boots and ticks (no hart is left
behind: the platform runs Debian's OpenSBI with a heap that fits its harts,
tools/firmware/opensbi_heap.py; Debian's binary as it is brings up only 59,
docs/limits.md), the console's help lists all 64 as running, each cell's
console carries only its own lines (rtos-contract's, its ticks counting up
without a gap, only its own input echoed), and input typed to cells 7, 15, 31
and 42 (one- and two-digit focus numbers of the scalable focus keys) reaches
that cell alone. How a hart that never arrives is named:
tests/suites/system_missing_harts.py.
"""

import re
import time

import bhtest
from bulkhead_run.stats import stats_lines

CONFIG = "rtos64"
CELLS = [f"c{i}" for i in range(64)]
TYPED = (7, 15, 31, 42)
SECONDS = 240
QUIET_S = 20          # no hart arrived for this long: the rest never will (the test fails)
MISSING = re.compile(r"^\[bulkhead\] hart (\d+): never reached the hypervisor\b")
FIRST_TICK = re.compile(r"^\[(c\d+)\] tick 1$")
# OpenSBI's heap with tools/firmware/opensbi_heap.py's change, for 64 harts:
# align_1K(0x8000 + 0x1000 * 64 + 40 * 64 * 64) = 448 KB (Debian's own: 320 KB).
HEAP_LINE = r"^Firmware Heap Size\s*: 448 KB \(total\)"
OWN_LINE = re.compile(r"^(rtos-contract: boot hart (\d+)|msh />|tick (\d+)|echo: (\S+))$")


VERIFIES = {
    "rtos64/every_cell_ticks": ["BOOT-3"],
    "rtos64/lines_stay_in_their_cell": ["BOOT-3", "CON-1"],
    "rtos64/input_reaches_its_cell": ["BOOT-3", "CON-5", "CON-8"],
}

def entered(r):
    return {int(m.group(1)) for m in (re.search(r"\(hart (\d+)\) enters", l) for l in r.hypervisor) if m}


def ticked(r, cell):
    return any(l.startswith("tick ") for l in r.cells[cell])


class BigRun:
    def __init__(self, ctx):
        self.build = f"{ctx.build}/{CONFIG}"
        self.run = bhtest.CachedRun(self._boot)
        self.last = {"harts": 0, "at": None}

    def _settled(self, r):
        """Every cell whose hart arrived has ticked, the input was answered, and
        either all 64 harts arrived or none has for QUIET_S seconds (a failure:
        the run ends early to report it)."""
        harts = entered(r)
        now = time.monotonic()
        if self.last["at"] is None or len(harts) != self.last["harts"]:
            self.last = {"harts": len(harts), "at": now}
        if not r.script_done or not all(ticked(r, f"c{h}") for h in harts):
            return False
        return len(harts) == 64 or now - self.last["at"] > QUIET_S

    def _boot(self):
        bhtest.require_build(self.build, CONFIG)
        script = [f"wait-for c{TYPED[-1]} ^tick 1$ 180"]
        for i in TYPED:
            script += [f"at 0.3 c{i} hello-c{i}", f"wait-for c{i} ^echo: hello-c{i}$ 30"]
        # the console's help, once the boot hart is done with the last hart
        script += [r"wait-for hyp hart 63: never reached|\(hart 63\) enters 60", "at 0.3 hyp h",
                   "wait-for hyp console: 63 = c63, 10", "at 0.3 hyp s",
                   "wait-for hyp stats request cell=c63 hart=63 30"]
        return bhtest.run_headless(self.build, SECONDS, script, stop_when=self._settled)

    def r(self):
        return self.run.get()


def collect(ctx):
    b = BigRun(ctx)

    def t_every_cell_ticks():
        r = b.r()
        # the platform's firmware is the one with the larger heap
        bhtest.assert_line(r.hypervisor, HEAP_LINE, "OpenSBI's heap for 64 harts (fw_dynamic-big-heap.bin)")
        missing = sorted(int(m.group(1)) for m in map(MISSING.match, r.hypervisor) if m)
        silent = [c for c in CELLS if not ticked(r, c)]
        first = {}
        for line, at in zip(r.raw, r.raw_times):
            m = FIRST_TICK.match(line)
            if m:
                first.setdefault(m.group(1), at - r.started)
        print(f"    {CONFIG}: {64 - len(silent)} of 64 cells tick, the last first tick "
              f"{max(first.values()) if first else float('nan'):.1f} s after QEMU started "
              f"(run of {r.elapsed:.0f} s)")
        assert not missing, (f"harts that never reached the hypervisor: {missing}; "
                             + bhtest.excerpt(r.hypervisor, title="hypervisor log"))
        assert not silent, (f"cells that never ticked: {silent}; "
                            + bhtest.excerpt(r.hypervisor, title="hypervisor log"))
        # ... listed as running by the console's help (Ctrl-T h) ...
        listed = {m.group(1): m.group(2) for m in
                  bhtest.matching(r.hypervisor, r"console: \d+ = (c\d+), (\w+)")}
        for c in CELLS:
            assert listed.get(c) == "running", f"help lists {c} as {listed.get(c)}"
        # ... and no statistics line counts a missing hart (docs/stats.md, hart_missing)
        stats = {}
        for st in stats_lines(r.hypervisor, "request"):  # the scripted request: all 64 cells
            stats.setdefault(st.cell, st)
        for c in CELLS:
            assert c in stats, f"no statistics line of {c}"
            flag = stats[c].counters.get("hart_missing", 0)
            assert flag == 0, f"{c}: hart_missing={flag}"

    def t_lines_stay_in_their_cell():
        r = b.r()
        for c in CELLS:
            lines = r.cells[c]
            if lines and not OWN_LINE.match(lines[-1]) and re.fullmatch(r"t(i(ck?)?)?|tick \d*", lines[-1]):
                lines = lines[:-1]  # QEMU is stopped at any moment: the last line may be cut short
            for line in lines:
                m = OWN_LINE.match(line)
                assert m, f"{c}.log: a line that is not rtos-contract's: {line!r}"
                if m.group(2) is not None:
                    # a0 is the virtual hart id: 0 in every one-hart cell
                    assert int(m.group(2)) == 0, f"{c}.log: {line!r} (a one-hart cell boots on virtual hart 0)"
                if m.group(4) is not None:
                    assert m.group(4) == f"hello-{c}", f"{c}.log: another cell's input: {line!r}"
            n = [int(m.group(3)) for m in map(OWN_LINE.match, lines) if m.group(3)]
            assert n == list(range(1, len(n) + 1)), f"{c}: ticks {n[:10]}... do not count up from 1"

    def t_input_reaches_its_cell():
        r = b.r()
        assert r.script_error is None, f"input script: {r.script_error}; see {r.logs_dir}"
        for i in TYPED:
            assert f"echo: hello-c{i}" in r.cells[f"c{i}"], f"c{i} did not get its input"
            assert f"[bulkhead] console: input goes to cell c{i}" in r.hypervisor, \
                f"no focus line for c{i}"

    return [("rtos64/every_cell_ticks", t_every_cell_ticks),
            ("rtos64/lines_stay_in_their_cell", t_lines_stay_in_their_cell),
            ("rtos64/input_reaches_its_cell", t_input_reaches_its_cell)]
