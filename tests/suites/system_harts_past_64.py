# SPDX-License-Identifier: Apache-2.0
"""System test of hart ids past 64: configs/harts-past-64 on the 128-hart
platform dts/qemu-virt-128.dts, booted headless once.

The cells are placed where a 64-bit hart mask would confuse them: the probe
on harts 64-65 (which would wrap onto 0-1), a second probe on harts 63 and 127
(two 64-hart firmware windows), rtos-contract cells on harts 0, 1, 6 and 70.
What must hold: both probes pass every SBI check (IPIs, remote fences and HSM
between their two harts), the cells beside them receive no interrupt they did
not cause, input typed to the cell on hart 70 reaches it (and does not wake
hart 6), and the firmware is given only the harts the system uses.
"""

import re
import subprocess

import bhtest
from bulkhead_run.stats import stats_lines

CONFIG = "harts-past-64"
PROBES = ("probe", "span")
RTOS = {"r0": 0, "r1": 1, "r6": 6, "r70": 70}
SECONDS = 120
PROBE_DONE = re.compile(r"^probe: (\d+) passed, (\d+) failed$")

VERIFIES = {
    "harts-past-64/*": ["SBI-HART-1", "BOOT-4"],
    "harts-past-64/input_reaches_hart_70_only": ["SBI-HART-1", "BOOT-4", "CON-5"],
}


class Run:
    def __init__(self, ctx):
        self.build = f"{ctx.build}/{CONFIG}"
        self.run = bhtest.CachedRun(self._boot)

    def _settled(self, r):
        return r.script_done and all(any(PROBE_DONE.match(l) for l in r.cells[p]) for p in PROBES)

    def _boot(self):
        bhtest.require_build(self.build, CONFIG)
        script = ["wait-for r70 ^tick 1$ 60", "at 0.3 r70 hello-r70", "wait-for r70 ^echo: hello-r70$ 30"]
        return bhtest.run_headless(self.build, SECONDS, script, stop_when=self._settled)

    def r(self):
        return self.run.get()


def enabled_harts(firmware_dtb):
    """Hart ids of the cpu nodes the firmware's tree leaves enabled."""
    src = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", firmware_dtb], capture_output=True,
                         text=True, check=True).stdout
    harts = set()
    for m in re.finditer(r"\n\t\tcpu@[0-9a-f]+ \{(.*?)\n\t\t\};", src, re.S):
        reg = re.search(r"\n\t\t\treg = <(0x[0-9a-f]+)>;", m.group(1))
        if reg and 'status = "disabled"' not in m.group(1):
            harts.add(int(reg.group(1), 16))
    return harts


def collect(ctx):
    b = Run(ctx)

    def t_probes_pass_on_every_hart():
        r = b.r()
        for p in PROBES:
            done = [m for m in map(PROBE_DONE.match, r.cells[p]) if m]
            assert done, f"{p} did not finish; " + bhtest.excerpt(r.cells[p], title=f"{p}.log")
            passed, failed = int(done[-1].group(1)), int(done[-1].group(2))
            fails = [l for l in r.cells[p] if l.startswith("FAIL")]
            assert failed == 0 and passed >= 80, f"{p}: {passed} passed, {failed} failed: {fails[:5]}"
        # every probe hart ran guest code: its statistics count its exits
        ran = {s.hart: s.exits for s in stats_lines(r.hypervisor, "request")}
        for hart in (63, 64, 65, 127):
            assert ran.get(hart, 0) > 0, f"hart {hart} never ran its cell: statistics {ran}"

    def t_neighbours_get_no_stray_interrupts():
        r = b.r()
        stats = {s.cell: s for s in stats_lines(r.hypervisor, "request")}
        for cell, hart in RTOS.items():
            s = stats.get(cell)
            assert s is not None and s.hart == hart, f"no statistics of {cell} on hart {hart}"
            assert any(l.startswith("tick ") for l in r.cells[cell]), f"{cell} never ticked"
            if cell == "r70":
                continue  # its typed input raises its vUART line from the console hart: an IPI it caused
            # rtos-contract sends no IPI and gets no input: any software interrupt was another cell's
            assert s.counters.get("irq_software", 0) == 0, f"{cell} (hart {hart}) got IPIs: {s.flat()}"
        for p in PROBES:
            assert stats[p].counters.get("sbi_ipi", 0) > 0, f"{p} sent no IPI: the test proves nothing"

    def t_input_reaches_hart_70_only():
        r = b.r()
        assert r.script_error is None, f"input script: {r.script_error}; see {r.logs_dir}"
        assert "echo: hello-r70" in r.cells["r70"], "r70 did not get its input"
        stats = {s.cell: s for s in stats_lines(r.hypervisor, "request")}
        # 70 would wrap onto 6: r6 never has the focus, so it gets no console interrupt
        assert stats["r6"].counters.get("irq_external", 0) == 0, f"r6 was woken by input: {stats['r6'].flat()}"
        assert stats["r70"].counters.get("irq_external", 0) > 0, "r70's input came without an interrupt"

    def t_firmware_gets_only_used_harts():
        r = b.r()
        used = {0, 2} | set(RTOS.values()) | {63, 64, 65, 127}  # boot hart 0, console hart 2
        enabled = enabled_harts(f"{b.build}/firmware.dtb")
        assert enabled == used, f"firmware.dtb enables harts {sorted(enabled)}, expected {sorted(used)}"
        bhtest.assert_line(r.hypervisor, rf"^Platform HART Count\s*: {len(used)}$",
                           "OpenSBI counts the enabled harts only")

    return [("harts-past-64/probes_pass_on_every_hart", t_probes_pass_on_every_hart),
            ("harts-past-64/neighbours_get_no_stray_interrupts", t_neighbours_get_no_stray_interrupts),
            ("harts-past-64/input_reaches_hart_70_only", t_input_reaches_hart_70_only),
            ("harts-past-64/firmware_gets_only_used_harts", t_firmware_gets_only_used_harts)]
