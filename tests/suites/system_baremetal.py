# SPDX-License-Identifier: Apache-2.0
"""System tests of configs/baremetal-pair.dts under QEMU: cell 'rtos'
(cells/rtos-contract on hart 0) beside cell 'probe' (cells/probe on harts 1,2).
The same tests, named aia/<test>, boot configs/baremetal-pair-aia.dts: the
same cells on the AIA platform (APLIC + IMSIC, no PLIC), where the hypervisor
receives the UART's interrupt as an MSI in its IMSIC supervisor file and both
cells keep their virtual PLIC.

One headless boot serves every test of this module (built beforehand by
`make CONFIG=baremetal-pair`). Input script: after rtos's first tick, type
'hello' to rtos; after probe's summary, type 'xyzzy' to probe (not earlier:
the probe checks that its console has no input pending). The run stops as
soon as everything asserted on has been seen.
"""

import os
import re

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching

CONFIG = "baremetal-pair"
CONFIG_AIA = "baremetal-pair-aia"
SECONDS = 15          # upper bound; stop_when usually ends the run after ~3.5 s
MIN_TICKS = 3
PROBE_SUMMARY = r"^probe: (\d+) passed, (\d+) failed$"
SCRIPT = [
    r"wait-for rtos ^tick \d+$ 10",
    "at 0 rtos hello",
    r"wait-for probe ^probe: \d+ passed, \d+ failed$ 10",
    "at 0 probe xyzzy",
]


def ticks(lines):
    return [int(m.group(1)) for m in matching(lines, r"^tick (\d+)$")]


def done(r):
    """Everything the tests look at has arrived, and 0.5 s have passed since the
    last input, long enough for a misrouted echo to show up."""
    return (len(ticks(r.cells["rtos"])) >= MIN_TICKS
            and "echo: hello" in r.cells["rtos"]
            and bhtest.has_line(r.cells["probe"], PROBE_SUMMARY)
            and r.script_done and r.since_script_done() >= 0.5)


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "boot_and_scripted_input": ["BOOT-1", "TOOL-RUN-2"],
    "rtos_boot_line": ["BOOT-1"],
    "hypervisor_log_clean": ["BOOT-1"],
    "rtos_ticks_count_up": ["SBI-TIME-1"],
    "rtos_echoes_typed_line": ["CON-5"],
    "input_reaches_only_focused_cell": ["CON-5"],
    "probe_*_output": ["CON-1"],
    "rtos_log_has_only_rtos_output": ["CON-1"],
    "probe_all_checks_pass": ["SBI-BASE-1", "SBI-HART-1", "SBI-IPI-1", "SBI-HSM-1", "SBI-TIME-1", "SBI-DBCN-1"],
    "probe_no_fail_lines": ["SBI-BASE-1", "SBI-HART-1", "SBI-IPI-1", "SBI-HSM-1", "SBI-TIME-1", "SBI-DBCN-1"],
    "aia/*": ["IRQ-AIA-1"],
    "aia/rtos_echoes_typed_line": ["IRQ-AIA-1", "CON-5"],
    "aia/input_reaches_only_focused_cell": ["IRQ-AIA-1", "CON-5"],
}


def collect(ctx):
    return tests(ctx, CONFIG, "", SCRIPT, done) + tests(ctx, CONFIG_AIA, "aia/", SCRIPT_AIA, done_aia)


# On AIA, also the statistics once the input is in: the typed bytes must have
# come as external interrupts of hart 0 (rtos, the focus cell at boot).
SCRIPT_AIA = SCRIPT + ["at 0.3 hyp s"]


def rtos_stats(lines):
    found = [l for l in lines if re.search(r"stats request cell=rtos hart=0 ", l)]
    return found[-1] if found else None


def done_aia(r):
    return done(r) and rtos_stats(r.hypervisor) is not None


def tests(ctx, config, prefix, script, stop_when):
    build = os.path.join(ctx.build, config)

    def boot():
        bhtest.require_build(build, config)
        return bhtest.run_headless(build, SECONDS, script, stop_when=stop_when)

    run = bhtest.CachedRun(boot)

    def rtos():
        return run.get().cells["rtos"]

    def probe():
        return run.get().cells["probe"]

    def t_run():
        r = run.get()
        assert r.script_error is None, f"input script: {r.script_error}"
        assert r.stopped == "stop_when", (
            f"the run ended by {r.stopped} before everything expected was seen "
            f"({r.elapsed:.1f} s); see the other tests and {r.logs_dir}")

    def t_rtos_boot():
        assert_line(rtos(), r"^rtos-contract: boot hart 0$", "rtos log")

    def t_rtos_ticks():
        lines = rtos()
        n = ticks(lines)
        assert len(n) >= MIN_TICKS, f"{len(n)} tick lines, want >= {MIN_TICKS}; " + \
            excerpt(lines, title="rtos log")
        steps = [(a, b) for a, b in zip(n, n[1:]) if b != a + 1]
        assert not steps, f"ticks do not count up by 1: {steps[0][0]} then {steps[0][1]} " \
                          f"(all: {n})"

    def t_rtos_echo():
        assert_line(rtos(), r"^echo: hello$", "rtos log (typed 'hello' after the first tick)")

    def t_probe_summary():
        lines = probe()
        found = matching(lines, PROBE_SUMMARY)
        assert found, "probe log has no 'probe: <P> passed, <F> failed'; " + \
            excerpt(lines, title="probe log")
        passed, failed = int(found[-1].group(1)), int(found[-1].group(2))
        assert passed > 0 and failed == 0, f"probe: {passed} passed, {failed} failed; " + \
            excerpt([l for l in lines if l.startswith("FAIL")], 20, "FAIL lines")

    def t_probe_no_fail():
        assert_no_line(probe(), r"^FAIL", "probe log")

    def t_probe_log_own():
        assert_no_line(probe(), r"^tick \d+$|^rtos-contract:|^echo: hello$",
                       "probe log (rtos output leaked into it)")

    def t_rtos_log_own():
        assert_no_line(rtos(), r"^PASS |^FAIL |^probe:",
                       "rtos log (probe output leaked into it)")

    def t_input_focus():
        r = run.get()
        assert_line(r.hypervisor, r"console: input goes to cell probe",
                    "hypervisor log (focus switch to probe)")
        assert_no_line(r.cells["rtos"], r"xyzzy", "rtos log (input typed to probe reached rtos)")
        assert_no_line(r.cells["probe"], r"hello", "probe log (input typed to rtos reached probe)")

    def t_hypervisor_log():
        lines = run.get().hypervisor
        assert lines, "hypervisor log is empty"
        assert any(l.startswith("[bulkhead] ") for l in lines), \
            "no '[bulkhead]' line; " + excerpt(lines, title="hypervisor log")
        bad = [l for l in lines if re.search(r"panic|PANIC", l)]
        assert not bad, f"hypervisor log: {bad[0]}"
        assert_no_line(lines, r"^tick \d+$|^PASS |^FAIL |^probe: |^rtos-contract:",
                       "hypervisor log (untagged cell output)")

    def t_uart_interrupts():
        line = rtos_stats(run.get().hypervisor)
        assert line, "no 'stats request cell=rtos hart=0' line in the hypervisor log"
        m = re.search(r" irq_external=(\d+)", line)
        assert m and int(m.group(1)) >= 1, f"hart 0 took no external interrupt for the typed line: {line}"

    aia = [(prefix + "uart_interrupts_reach_the_hypervisor", t_uart_interrupts)] if prefix else []
    return aia + [
        (prefix + "boot_and_scripted_input", t_run),
        (prefix + "rtos_boot_line", t_rtos_boot),
        (prefix + "rtos_ticks_count_up", t_rtos_ticks),
        (prefix + "rtos_echoes_typed_line", t_rtos_echo),
        (prefix + "probe_all_checks_pass", t_probe_summary),
        (prefix + "probe_no_fail_lines", t_probe_no_fail),
        (prefix + "probe_log_has_only_probe_output", t_probe_log_own),
        (prefix + "rtos_log_has_only_rtos_output", t_rtos_log_own),
        (prefix + "input_reaches_only_focused_cell", t_input_focus),
        (prefix + "hypervisor_log_clean", t_hypervisor_log),
    ]
