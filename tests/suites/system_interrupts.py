# SPDX-License-Identifier: Apache-2.0
"""System tests of device interrupts (docs/interrupts.md) on QEMU virt.

Two systems with the same three cells, built beforehand by `make CONFIG=<name>`:
  irq-direct  cell irqtest (console "sbi", virtio-mmio 0x10008000 passed through)
              in direct mode: its PLIC context page is mapped onto the hardware,
              a device interrupt costs 2 exits (physical interrupt, complete)
  irq-trap    the same cell with console "ns16550": trap mode, 3 exits (physical
              interrupt, emulated claim, emulated complete)
  irq-trap-aia  irq-trap on the AIA platform (no PLIC): the physical interrupt
              is an MSI from the APLIC to the hypervisor's IMSIC supervisor
              file, the cells keep their virtual PLIC; 3 exits as well
Both also run rtos-contract (cell rtos, trap mode, typed input on IRQ 10 through
its vUART and vPLIC) and an intruder (cells/irqtest in intruder mode) that
hammers IRQ 8 through every register of its own virtual PLIC.

Each system boots once (headless, <= 30 s, stopped as soon as everything was
seen): type a line to rtos after its first tick, wait for irqtest's and the
intruder's final lines, then ask the hypervisor for its statistics.

A third run boots build/images/irqtest.elf natively (OpenSBI, no hypervisor)
as the reference: same interrupts, the Bulkhead SBI call NOT_SUPPORTED.

The measured figures are printed (exits per interrupt per mode, microseconds
per interrupt, stats) so the test output documents them.
"""

import json
import os
import re
import select
import subprocess
import time

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching
from bulkhead_run import read_platform_options
from bulkhead_run.stats import stats_lines

SECONDS = 30
ROUNDS = 5            # bootargs of cell irqtest in configs/irq-*.dts
COUNT = 200
TOTAL = ROUNDS * COUNT
# vPLIC accesses of cell irqtest outside the measured rounds (setup, the two
# isolation self-checks): an upper bound, so that the hypervisor's own counters
# give exits per device interrupt without trusting the guest's figures.
SETUP_EXITS = 40

SCRIPT = [
    r"wait-for rtos ^tick 1$ 10",
    "at 0 rtos hello irq",
    r"wait-for irqtest ^irqtest: done: 20",
    r"wait-for intruder ^intruder: done$ 20",
    "at 0 hyp s",
    # The help lines after the statistics show that their last line has ended.
    "at 0.5 hyp h",
]

EXITS_LINE = (r"^irqtest: (\d+) interrupts, (\d+) exits, (\d+\.\d\d) exits per interrupt "
              r"\(device_irq \+(\d+), mmio_vplic \+(\d+), irq_external \+(\d+)\)$")
ROUND_LINE = r"^irqtest: round (\d+): spurious (\d+), (\d+\.\d\d) us per interrupt$"
DONE_LINE = r"^irqtest: done: (\d+) rounds, (\d+) interrupts, (\d+) missing"
INTRUDER_LINE = (r"^intruder: (\d+) rounds, (\d+) accesses, (\d+) non-zero read-backs, "
                 r"vplic_denied \+(\d+)$")

SYSTEMS = {
    # name: (mode, exits per device interrupt the design promises)
    "irq-direct": ("direct", 2),
    "irq-trap": ("trap", 3),
    # the same on the AIA platform: the hypervisor receives from the APLIC in its IMSIC file
    "irq-trap-aia": ("aia-trap", 3),
}

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"


def note(text):
    """A figure for the test output (shown above the PASS line)."""
    print("    " + text, flush=True)


def stats(lines):
    """cell name -> counters of its (one) hart from the last 'stats request' lines.
    The log's last line is left out: the run may have stopped while the
    hypervisor was still printing it (its lines are whole only once ended)."""
    return {st.cell: {"hart": st.hart, "exits": st.exits, **st.counters}
            for st in stats_lines(lines[:-1], "request")}


def done(r):
    s = stats(r.hypervisor)
    return (r.script_done and "echo: hello irq" in r.cells["rtos"]
            and all(n in s for n in ("rtos", "irqtest", "intruder")))


def raw_index(r, tag, regex):
    pat = re.compile(regex)
    for i, line in enumerate(r.raw):
        if line.startswith(f"[{tag}] ") and pat.search(line[len(tag) + 3:]):
            return i
    return None


def system_tests(ctx, name, mode, promised):
    build = os.path.join(ctx.build, name)

    def boot():
        bhtest.require_build(build, name)
        if not os.path.isfile(os.path.join(build, "extra.qemu")):
            raise AssertionError(f"{build}/extra.qemu missing: run make CONFIG={name} "
                                 f"(it copies configs/{name}.qemu with the virtio-rng device)")
        return bhtest.run_headless(build, SECONDS, SCRIPT, stop_when=done)

    run = bhtest.CachedRun(boot)

    def irqtest():
        return run.get().cells["irqtest"]

    def t_run():
        r = run.get()
        assert r.script_error is None, f"input script: {r.script_error}; " + \
            excerpt(r.cells["irqtest"], title="irqtest log")
        assert r.stopped == "stop_when", (
            f"the run ended by {r.stopped} before everything expected was seen "
            f"({r.elapsed:.1f} s); see the other tests and {r.logs_dir}")

    def t_device():
        lines = irqtest()
        assert_line(lines, r"^irqtest: Bulkhead SBI get_exits: SUCCESS \(in a cell\)$", "irqtest log")
        assert_line(lines, r"^irqtest: device 0x10008000 irq 8: virtio-mmio version [12] ",
                    "irqtest log (entropy device at the passed-through slot)")

    def t_all_interrupts():
        lines = irqtest()
        assert_no_line(lines, r"no interrupt within|exception|claimed \d+ interrupt",
                       "irqtest log")
        d = matching(lines, DONE_LINE)
        assert d, "no 'irqtest: done:' line; " + excerpt(lines, title="irqtest log")
        rounds, total, missing = (int(x) for x in d[-1].groups())
        assert (rounds, total, missing) == (ROUNDS, TOTAL, 0), \
            f"irqtest: {rounds} rounds, {total} interrupts, {missing} missing; want " \
            f"{ROUNDS}, {TOTAL}, 0"
        per = [int(m.group(1)) for m in matching(lines, EXITS_LINE)]
        assert per == [COUNT] * ROUNDS, f"interrupts per round {per}, want {[COUNT] * ROUNDS}"
        spurious = [int(m.group(2)) for m in matching(lines, ROUND_LINE)]
        assert spurious == [0] * ROUNDS, f"spurious claims per round: {spurious}"

    def t_exits_guest():
        lines = irqtest()
        found = matching(lines, EXITS_LINE)
        assert len(found) == ROUNDS, f"{len(found)} exit-count lines, want {ROUNDS}; " + \
            excerpt(lines, title="irqtest log")
        worst = 0.0
        for m in found:
            n, exits, ratio, dev, vplic, ext = m.groups()
            n, exits, dev, vplic, ext = int(n), int(exits), int(dev), int(vplic), int(ext)
            worst = max(worst, exits / n)
            assert dev == n and ext == n, \
                f"round of {n} interrupts: device_irq +{dev}, irq_external +{ext}; every " \
                f"interrupt should be one physical device interrupt: {m.group(0)}"
            assert ext + vplic <= promised * n, \
                f"{mode} mode: {ext + vplic} interrupt-path exits for {n} interrupts, " \
                f"want <= {promised} per interrupt: {m.group(0)}"
            # Besides the interrupt path, only the cell's own console: a wakeup
            # when its output was held behind another cell's line (irq_timer).
            assert exits - ext - vplic <= 2, \
                f"{mode} mode: {exits} exits for {n} interrupts ({ratio} per interrupt), " \
                f"want <= {promised} per interrupt: {m.group(0)}"
            want_vplic = (promised - 1) * n
            assert vplic == want_vplic, \
                f"{mode} mode: mmio_vplic +{vplic} for {n} interrupts, want {want_vplic}"
        us = [m.group(3) for m in matching(lines, ROUND_LINE)]
        note(f"{name} ({mode} mode): {worst:.2f} exits per device interrupt "
             f"(guest's own counters, {len(found)} rounds of {COUNT}); us per interrupt "
             f"by round: {', '.join(us)}")

    def t_exits_stats():
        r = run.get()
        s = stats(r.hypervisor)
        assert "irqtest" in s, "no 'stats request cell=irqtest' line; " + \
            excerpt(r.hypervisor, title="hypervisor log")
        c = s["irqtest"]
        dev, ext, vplic = c.get("device_irq", 0), c.get("irq_external", 0), c.get("mmio_vplic", 0)
        sbi = sum(v for k, v in c.items() if k.startswith("sbi_"))
        # irq_timer: the cell's own console output waited behind another cell's line.
        other = c["exits"] - sbi - ext - vplic - c.get("irq_timer", 0)
        assert dev >= TOTAL, f"hypervisor counted device_irq={dev}, want >= {TOTAL}: {c}"
        assert ext == dev, f"irq_external={ext} but device_irq={dev}: exits for physical " \
                           f"interrupts that were not the cell's device: {c}"
        assert other == 0, f"{other} exits neither SBI, vPLIC nor external interrupt: {c}"
        assert vplic <= (promised - 1) * dev + SETUP_EXITS, \
            f"mmio_vplic={vplic} for device_irq={dev}: more than {promised - 1} vPLIC exit(s) " \
            f"per interrupt (+{SETUP_EXITS} for setup): {c}"
        per = (c["exits"] - sbi) / dev
        note(f"{name} ({mode} mode): hypervisor stats hart {c['hart']}: exits={c['exits']} "
             f"sbi={sbi} irq_external={ext} mmio_vplic={vplic} device_irq={dev} -> "
             f"{per:.3f} non-SBI exits per device interrupt (setup included)")

    def t_rtos_echo():
        r = run.get()
        assert_line(r.cells["rtos"], r"^echo: hello irq$",
                    "rtos log (typed 'hello irq' after the first tick)")
        c = stats(r.hypervisor).get("rtos")
        assert c, "no 'stats request cell=rtos' line"
        # The UART interrupt reaches the console hart (rtos's) as a physical interrupt
        # and rtos as IRQ 10 of its vPLIC: claims and completes are vPLIC exits.
        assert c.get("irq_external", 0) >= 1 and c.get("mmio_vuart", 0) >= 1 \
            and c.get("mmio_vplic", 0) >= 5, f"rtos stats show no interrupt-driven input: {c}"
        assert "device_irq" not in c, f"rtos owns no device but device_irq counted: {c}"

    def t_intruder():
        r = run.get()
        lines = r.cells["intruder"]
        m = matching(lines, INTRUDER_LINE)
        assert m, "no intruder summary; " + excerpt(lines, title="intruder log")
        rounds, accesses, nonzero, denied = (int(x) for x in m[-1].groups())
        assert rounds > 0 and accesses > 0, m[-1].group(0)
        assert nonzero == 0, f"the intruder read back non-zero values: {m[-1].group(0)}; " + \
            excerpt(lines, title="intruder log")
        assert denied > 0, f"the intruder's refused accesses were not counted: {m[-1].group(0)}"
        # It attacked while the victim's interrupts flowed, and they all arrived.
        start = raw_index(r, "intruder", r"^intruder: attacking source 8 ")
        end = raw_index(r, "intruder", r"^intruder: done$")
        first = raw_index(r, "irqtest", EXITS_LINE)
        assert None not in (start, end, first), "attack or rounds not found in the console"
        assert start < first < end, \
            "the intruder's attack did not overlap the victim's first round"
        t_all_interrupts()
        note(f"{name}: intruder {rounds} rounds, {accesses} vPLIC accesses, {nonzero} non-zero "
             f"read-backs, vplic_denied +{denied}")

    def t_intruder_stats():
        c = stats(run.get().hypervisor).get("intruder")
        assert c, "no 'stats request cell=intruder' line"
        assert c.get("vplic_denied", 0) > 0, f"intruder: no vplic_denied in {c}"
        assert "device_irq" not in c and "irq_external" not in c, \
            f"the intruder's hart took interrupts: {c}"

    def t_foreign_enable():
        assert_line(irqtest(), r"^irqtest: foreign enable: .*: ok$",
                    "irqtest log (only own sources can be enabled)")

    def t_disable_with_foreign_bit():
        assert_line(irqtest(), r"^irqtest: disable with a foreign bit: .*: ok$",
                    "irqtest log (an enable write naming a foreign source must still "
                    "disable the cell's own source)")

    def t_dma_banner():
        """The boot banner names exactly the cells whose config says dma = "unconfined"."""
        with open(os.path.join(build, "system.json")) as f:
            cells = json.load(f)["cells"]
        lines = run.get().hypervisor
        unconfined = [c["name"] for c in cells if c.get("dma") == "unconfined"]
        assert "irqtest" in unconfined, f"cells with dma = \"unconfined\" in system.json: {unconfined}"
        for c in cells:
            regex = rf'cell {re.escape(c["name"])}: device\(s\) can DMA anywhere \(dma = "unconfined"\)$'
            if c["name"] in unconfined:
                assert_line(lines, regex, f"hypervisor log (boot banner, cell {c['name']})")
            else:
                assert_no_line(lines, regex, f"hypervisor log (cell {c['name']} has no unconfined DMA)")

    def t_hypervisor_log():
        lines = run.get().hypervisor
        assert_no_line(lines, r"PANIC|FAULT|unowned source|warning", "hypervisor log")
        assert_no_line(lines, r"^irqtest: |^intruder: |^tick \d+$", "hypervisor log (untagged cell output)")

    return [
        (f"{mode}_boot_and_scripted_input", t_run),
        (f"{mode}_irqtest_finds_its_device", t_device),
        (f"{mode}_irqtest_gets_every_interrupt", t_all_interrupts),
        (f"{mode}_exits_per_interrupt_guest_counters", t_exits_guest),
        (f"{mode}_exits_per_interrupt_hypervisor_stats", t_exits_stats),
        (f"{mode}_rtos_echoes_input_by_interrupt", t_rtos_echo),
        (f"{mode}_intruder_changes_nothing", t_intruder),
        (f"{mode}_intruder_denied_in_stats", t_intruder_stats),
        (f"{mode}_foreign_sources_cannot_be_enabled", t_foreign_enable),
        (f"{mode}_disable_with_foreign_bit", t_disable_with_foreign_bit),
        (f"{mode}_boot_banner_warns_of_unconfined_dma", t_dma_banner),
        (f"{mode}_hypervisor_log_clean", t_hypervisor_log),
    ]


def native_tests(ctx):
    """irqtest.elf straight on OpenSBI: the reference without a hypervisor."""
    elf = os.path.join(ctx.build, "images", "irqtest.elf")

    def boot():
        if not os.path.isfile(elf):
            raise AssertionError(f"{elf} missing: run make CONFIG=irq-direct first")
        opts = read_platform_options(os.path.join(bhtest.ROOT, "dts", "qemu-virt.qemu"))
        opts += read_platform_options(os.path.join(bhtest.ROOT, "configs", "irq-direct.qemu"))
        cmd = ["qemu-system-riscv64"] + opts + ["-display", "none", "-serial", "stdio",
                                                "-monitor", "none", "-kernel", elf]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        data = b""
        end = time.monotonic() + SECONDS
        try:
            while time.monotonic() < end and b"irqtest: done:" not in data:
                ready, _, _ = select.select([p.stdout], [], [], 0.25)
                if ready:
                    chunk = os.read(p.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    data += chunk
            time.sleep(0.2)  # the rest of the last line
            ready, _, _ = select.select([p.stdout], [], [], 0)
            if ready:
                data += os.read(p.stdout.fileno(), 65536)
        finally:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        text = data.decode("utf-8", errors="replace").replace("\r", "")
        log = os.path.join(ctx.build, "images", "irqtest-native.log")
        with open(log, "w", encoding="utf-8") as f:
            f.write(text)
        return [l for l in text.split("\n") if l.startswith("irqtest: ")]

    run = bhtest.CachedRun(boot)

    def t_native():
        lines = run.get()
        assert_line(lines, r"^irqtest: Bulkhead SBI get_exits: NOT_SUPPORTED ", "native irqtest")
        assert_line(lines, r"^irqtest: virtio-mmio 0x10008000 irq 8: magic 0x74726976 version "
                           r"\d device 4 \(entropy\)$",
                    "native irqtest (QEMU puts virtio-rng-device in the highest slot)")
        assert_line(lines, r"^irqtest: 8 virtio-mmio slot\(s\) in the DTB, 7 empty$", "native irqtest")
        d = matching(lines, DONE_LINE)
        assert d and tuple(int(x) for x in d[-1].groups()) == (ROUNDS, TOTAL, 0), \
            excerpt(lines, title="native irqtest")
        n = matching(lines, r"^irqtest: (\d+) interrupts, exits NOT_SUPPORTED \(native: no hypervisor\)$")
        assert [int(m.group(1)) for m in n] == [COUNT] * ROUNDS, excerpt(lines, title="native irqtest")
        assert_line(lines, r"^irqtest: disable with a foreign bit: .*: ok$", "native irqtest")
        us = [m.group(3) for m in matching(lines, ROUND_LINE)]
        note(f"native (OpenSBI, no hypervisor): 0 exits; us per interrupt by round: {', '.join(us)}")

    return [("native_reference_run", t_native)]


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*_boot_and_scripted_input": ["BOOT-1"],
    "*_hypervisor_log_clean": ["BOOT-1"],
    "*_irqtest_finds_its_device": ["BOOT-2", "ISO-DEV-1"],
    "*_irqtest_gets_every_interrupt": ["IRQ-1"],
    "*_exits_per_interrupt_guest_counters": ["IRQ-2", "SBI-STAT-1"],
    "*_exits_per_interrupt_hypervisor_stats": ["IRQ-2", "IRQ-3"],
    "*_rtos_echoes_input_by_interrupt": ["CON-5", "IRQ-1"],
    "*_intruder_changes_nothing": ["ISO-DEV-2"],
    "*_intruder_denied_in_stats": ["ISO-DEV-2", "IRQ-3"],
    "*_foreign_sources_cannot_be_enabled": ["ISO-DEV-2"],
    "*_disable_with_foreign_bit": ["ISO-DEV-2"],
    "*_boot_banner_warns_of_unconfined_dma": ["ISO-DMA-1"],
    "native_reference_run": ["IRQ-2"],
    "aia-trap_*": ["IRQ-AIA-1"],
}


def collect(ctx):
    tests = []
    for name, (mode, promised) in SYSTEMS.items():
        tests += system_tests(ctx, name, mode, promised)
    tests += native_tests(ctx)
    return tests
