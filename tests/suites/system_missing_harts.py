# SPDX-License-Identifier: Apache-2.0
"""System test of harts the firmware starts but that never reach the
hypervisor: configs/baremetal-pair (rtos on hart 0, probe on harts 1 and 2,
hart 3 the console's) booted headless once on a QEMU virt with one hart
(`-smp 1` after the platform's `-smp 4`), while the firmware's device tree
still lists four. OpenSBI accepts SBI HSM hart_start for harts 1..3 and none
of them ever runs: the same as Debian's OpenSBI running out of heap past
about 59 harts (docs/limits.md, "Booting 64 cells").

What must hold: the hypervisor names each such hart with what it costs (a
cell that cannot run, a cell that runs without one of its harts, the
console's receive interrupt), its console's help lists that cell as failed,
its statistics count the missing harts (hart_missing=1), and the cell whose
hart arrived boots and ticks undisturbed.
"""

import bhtest
from bulkhead_run.stats import stats_lines

CONFIG = "baremetal-pair"
SECONDS = 60
NEVER = r"^\[bulkhead\] hart {}: never reached the hypervisor within \d+ ms of its start by the firmware; "

VERIFIES = {
    "missing-harts/*": ["BOOT-3"],
}


class Run:
    def __init__(self, ctx):
        self.build = f"{ctx.build}/{CONFIG}"
        self.run = bhtest.CachedRun(self._boot)

    def _boot(self):
        bhtest.require_build(self.build, CONFIG)
        # the boot hart waits for harts 1, 2 and 3 in turn, then rtos runs
        script = ["wait-for rtos ^tick 1$ 30", "at 0.3 hyp h", "wait-for hyp console: 1 = probe 10",
                  "at 0.3 hyp s", "wait-for hyp stats request cell=probe hart=2 10"]
        return bhtest.run_headless(self.build, SECONDS, script, extra_qemu=["-smp", "1"],
                                   stop_when=bhtest.script_done_and_line_ended)

    def r(self):
        r = self.run.get()
        assert r.script_error is None, f"input script: {r.script_error}; see {r.logs_dir}"
        return r


def collect(ctx):
    b = Run(ctx)

    def t_each_missing_hart_is_named():
        r = b.r()
        bhtest.assert_line(r.hypervisor, r"^Platform HART Count\s*: 4$",
                           "the firmware is told of four harts")
        bhtest.assert_line(r.hypervisor, NEVER.format(1) + r"cell probe cannot run on it and has failed",
                           "probe's first hart")
        bhtest.assert_line(r.hypervisor, NEVER.format(2) + r"cell probe runs without it, and SBI "
                           r"hart_start of its virtual hart 1 fails", "probe's second hart")
        bhtest.assert_line(r.hypervisor, NEVER.format(3) + r"the console's receive interrupt has no hart",
                           "the console's hart")
        bhtest.assert_no_line(r.hypervisor, NEVER.format(0), "the boot hart")

    def t_failed_cell_is_listed_and_counted():
        r = b.r()
        listed = {m.group(1): m.group(2) for m in
                  bhtest.matching(r.hypervisor, r"console: \d+ = (\w+), (\w+)")}
        assert listed == {"rtos": "running", "probe": "failed"}, f"help lists {listed}"
        missing = {}
        for st in stats_lines(r.hypervisor, "request"):
            missing.setdefault((st.cell, st.hart), st.counters.get("hart_missing", 0))
        assert missing == {("rtos", 0): 0, ("probe", 1): 1, ("probe", 2): 1}, \
            f"hart_missing per (cell, hart): {missing}"

    def t_arrived_cell_runs():
        r = b.r()
        ticks = [l for l in r.cells["rtos"] if l.startswith("tick ")]
        assert ticks, "rtos never ticked; " + bhtest.excerpt(r.cells["rtos"], title="rtos.log")
        assert not r.cells["probe"], f"probe printed although it never ran: {r.cells['probe'][:3]}"

    return [("missing-harts/each_missing_hart_is_named", t_each_missing_hart_is_named),
            ("missing-harts/failed_cell_is_listed_and_counted", t_failed_cell_is_listed_and_counted),
            ("missing-harts/arrived_cell_runs", t_arrived_cell_runs)]
