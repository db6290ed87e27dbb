# SPDX-License-Identifier: Apache-2.0
"""System test of an interrupt-controller = "aia" cell (docs/interrupts.md, "AIA cells").

  linux-rtthread-aia  cell 'rtthread' (the rtos-contract guest standing in for
                      RT-Thread, hart 0, PLIC-only: virtual PLIC and emulated
                      NS16550) + cell 'linux' (harts 1, 2) with an IMSIC guest
                      interrupt file per virtual hart, an emulated APLIC domain,
                      an emulated NS16550 (ttyS0, an emulated source of that
                      domain) and a virtio-blk disk (configs/linux-rtthread-aia.qemu)

Built beforehand with `make CONFIG=linux-rtthread-aia
RTTHREAD_IMAGE=<build>/images/rtos-contract.bin` (make test does). One headless
boot (about 20 s, ended as soon as everything was seen):

  1. wait for the end of Linux's first boot (/proc/interrupts' last line);
  2. type one line to Linux: /proc/interrupts' virtio, IPI and ttyS0 lines,
     'sleep 3', read the whole disk (16 MiB: a hundred-odd virtio interrupts
     on one hart, and IPIs between the two as the reader and the shell's pipe
     partner wake each other), 'read@', 'sleep 2', the same lines again;
  3. while Linux sleeps, move the console focus to rtthread (so no typed
     character interrupts a Linux hart) and take a statistics snapshot; a
     second one once the read has ended ('read@'); two more 3 s apart while
     Linux idles at its prompt.

Between the two snapshots the hypervisor's counters of the Linux harts may
only move by the guest's console output (mmio_vuart: its UART's registers;
mmio_vaplic: the UART's interrupts, an emulated source) and by one trapped
APLIC write per level-triggered device interrupt (the setipnum_le
write with which Linux 6.12's APLIC-MSI driver ends each one, AIA spec 4.9.2);
every IPI and every device MSI itself reaches the guest's interrupt files with
no exit.

  irq-aia             cell 'irqtest' (cells/irqtest, hart 1) as an "aia" cell:
                      its virtio-rng's wired source 8 in MSI mode to its own
                      interrupt file, claimed through stopei and ended by the
                      device's ACK; 5 rounds of 200 interrupts, each round's
                      exits read by the guest through the Bulkhead SBI
                      extension (one boot, about 5 s)

  hostile-aia         cell 'attacker' (cells/hostile "aiaprobe", hart 2) with
                      interrupt-controller = "aia" next to the cells of
                      irq-trap-aia: 'irqtest' (the victim, PLIC-only, virtio-rng
                      on source 8) and 'rtos'

The attacker uses its own interrupt file (an identity sent through its mapped
page, read back through its CSRs) and its own APLIC source 7, then tries to
activate, enable, pend (1000 forged setipnum_le writes each) and aim the
victim's source 8 and the UART's source 10, aims its own source at a virtual
hart it lacks, and finally stores one page past its only interrupt file. One
boot (about 10 s, ended once the victim is done and statistics are printed).
"""

import os
import re

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching
from bulkhead_run.stats import parse_stats

CONFIG = "linux-rtthread-aia"
LINUX = "linux"
RTOS = "rtthread"
CONTRACT_IMAGE = "rtos-contract"
SECONDS = 90
BOOT_TIMEOUT = 40
INIT_DONE = r"KGDB"
DISK_BYTES = 16 * 1024 * 1024      # configs/linux-rtthread-aia.qemu
MIN_DEVICE_IRQS = 20               # a 16 MiB read takes far more; fewer would measure nothing
MIN_IPIS = 10
VIRTIO_LINE = re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+APLIC-MSI-\S+\s+8 Level\s+.*virtio0$")
IPI_LINE = re.compile(r"^IPI(\d+):\s+(\d+)\s+(\d+)\s+(.*)$")
UART_LINE = re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+APLIC-MSI-\S+\s+\d+ \S+\s+.*ttyS0$")
IDLE_SECONDS = 3
# Counters that may move on a Linux hart while it reads the disk and sends IPIs.
ALLOWED = {"mmio_vuart", "mmio_vaplic"}
HYP_BAD = r"PANIC|FAULT|did not park|cannot run cells|firmware refused|unowned source"

# Typed lines stay under the hypervisor's 64-byte input queue, which a cell drains only
# as fast as it reads its UART: a longer line typed at once could lose bytes.
SCRIPT = [
    f"wait-for {LINUX} {INIT_DONE} {BOOT_TIMEOUT}",
    f"at 0.5 {LINUX} g(){{ grep -E 'virtio0|IPI|ttyS0' /proc/interrupts;}}",
    # the read ends with a short line and a pause, in which the window closes: the
    # console output of the lines after it would only blur the count of its exits
    f"at 1.5 {LINUX} r(){{ sleep 3;cat /dev/vda|wc -c;echo read@;sleep 2;}}",
    f"at 2.5 {LINUX} echo @before;g;echo before@;r;echo @after;g;echo after@",
    f"wait-for {LINUX} ^before@$ 15",
    "at 0.2 hyp 0",
    "at 0.6 hyp s",
    rf"wait-for hyp stats request cell={LINUX} hart=\d+ vhart=1\b 10",
    f"wait-for {LINUX} ^read@$ 30",
    "at 0.3 hyp s",
    rf"wait-for hyp stats request cell={LINUX} hart=\d+ vhart=1\b 10",
    f"wait-for {LINUX} ^after@$ 15",
    # Linux idle at its prompt between these two
    "at 0.3 hyp s",
    rf"wait-for hyp stats request cell={LINUX} hart=\d+ vhart=1\b 10",
    f"at {IDLE_SECONDS} hyp s",
    rf"wait-for hyp stats request cell={LINUX} hart=\d+ vhart=1\b 10",
]


def build_hint(ctx):
    b = os.path.relpath(ctx.build, ctx.root)
    b = ctx.build if b.startswith("..") else b
    extra = "" if b == "build" else f" BUILD={b}"
    return f"make CONFIG={CONFIG}{extra} RTTHREAD_IMAGE={b}/images/{CONTRACT_IMAGE}.bin"


def boot(ctx):
    build = os.path.join(ctx.build, CONFIG)
    for p in ("bulkhead.elf", "system.json"):
        if not os.path.isfile(os.path.join(build, p)):
            raise AssertionError(f"{build}/{p} missing: run `{build_hint(ctx)}` first")
    names = bhtest.load_system(build).cell_names()
    assert names == [RTOS, LINUX], f"{build}/system.json: cells {names}, expected {[RTOS, LINUX]}"

    return bhtest.run_headless(build, SECONDS, SCRIPT, stop_when=bhtest.script_done_and_line_ended)


def between(lines, name):
    try:
        a = lines.index(f"@{name}")
        b = lines.index(f"{name}@", a + 1)
    except ValueError:
        raise AssertionError(f"{LINUX}.log lacks the lines between @{name} and {name}@; "
                             + excerpt(lines, title=f"{LINUX}.log")) from None
    return lines[a + 1:b]


def interrupt_counts(lines, name):
    """(virtio interrupts, IPIs, UART interrupts) summed over both CPUs, from /proc/interrupts lines."""
    block = between(lines, name)
    virtio = [m for m in (VIRTIO_LINE.match(l) for l in block) if m]
    assert len(virtio) == 1, (f"no single virtio0 line on the cell's APLIC-MSI domain (source 8, level) "
                              f"in /proc/interrupts ({name}): " + excerpt(block, title=name))
    ipis = [m for m in (IPI_LINE.match(l) for l in block) if m]
    assert ipis, f"no IPI lines in /proc/interrupts ({name}): " + excerpt(block, title=name)
    uart = [m for m in (UART_LINE.match(l) for l in block) if m]
    assert len(uart) == 1, f"no single ttyS0 line in /proc/interrupts ({name}): " + excerpt(block, title=name)
    return (int(virtio[0].group(1)) + int(virtio[0].group(2)),
            sum(int(m.group(2)) + int(m.group(3)) for m in ipis),
            int(uart[0].group(1)) + int(uart[0].group(2)))


def snapshots(r):
    """[{vhart: flat stats}] of the linux cell, one dict per complete request."""
    snaps, cur = [], {}
    for line in r.raw:
        st = parse_stats(line)
        if st is None or st.cell != LINUX or st.why != "request":
            continue
        cur[st.vhart] = st.flat()
        if len(cur) == 2:
            snaps.append(cur)
            cur = {}
    return snaps


def window(r, first):
    """{vhart: {counter: change}} of the Linux harts from the script's snapshot first to the next."""
    snaps = snapshots(r)
    # the script's four; the runner asks once more at the end of the run
    assert len(snaps) >= 4, (f"expected 4 statistics snapshots of cell {LINUX}, got {len(snaps)}; "
                             + excerpt(r.hypervisor, title="hypervisor"))
    a, b = snaps[first], snaps[first + 1]
    out = {}
    for v in (0, 1):
        keys = (set(a[v]) | set(b[v])) - {"why", "cell", "hart", "vhart"}
        out[v] = {k: b[v].get(k, 0) - a[v].get(k, 0) for k in keys}
    return out


IRQ_AIA = "irq-aia"
IRQ_ROUND = re.compile(r"^irqtest: (\d+) interrupts, (\d+) exits, \S+ exits per interrupt "
                       r"\(device_irq \+(\d+), mmio_vplic \+(\d+), irq_external \+(\d+)\)$")
# Exits a round of 200 may see that are not its interrupts' (a timer, a console line of the rtos
# that the console hart is slow to take): a handful; one per interrupt would be 200.
IRQ_ROUND_SLACK = 2


def irq_aia_tests(ctx):
    def boot_irq():
        build = os.path.join(ctx.build, IRQ_AIA)
        bhtest.require_build(build, IRQ_AIA)
        return bhtest.run_headless(build, 40, [r"wait-for irqtest ^irqtest: done: 20"],
                                   stop_when=bhtest.script_done_and_line_ended)

    run = bhtest.CachedRun(boot_irq)

    def t_exitless():
        lines = run.get().cells["irqtest"]
        assert_line(lines, r"APLIC 0x[0-9a-f]+ MSIs to its interrupt file$", "irqtest on its APLIC domain")
        assert_line(lines, r"^irqtest: done: 5 rounds, 1000 interrupts, 0 missing, ", "the guest's interrupts")
        rounds = [tuple(int(x) for x in m.groups()) for m in matching(lines, IRQ_ROUND)]
        assert len(rounds) == 5, "5 rounds reported: " + excerpt(lines, title="irqtest")
        for n, exits, dev, vplic, ext in rounds:
            assert n == 200 and exits <= IRQ_ROUND_SLACK and dev == vplic == ext == 0, (
                f"a round of {n} device interrupts cost {exits} exits (device_irq {dev}, mmio_vplic {vplic}, "
                f"irq_external {ext}): each must reach the guest's interrupt file and end without one")
        spurious = [int(m.group(1)) for m in matching(lines, r"^irqtest: round \d+: spurious (\d+),")]
        assert spurious == [0] * 5, f"spurious claims per round: {spurious}"

    return [("irq_aia/device_interrupts_without_exits", t_exitless)]


HOSTILE = "hostile-aia"
HOSTILE_SCRIPT = [
    r"wait-for irqtest ^irqtest: done: 25",
    r"wait-for attacker ^aiaprobe: store to 20",
    r"wait-for rtos ^tick 3$ 10",
    "at 0.5 hyp s",
    r"wait-for hyp stats request cell=attacker 10",
]


def boot_hostile(ctx):
    build = os.path.join(ctx.build, HOSTILE)
    if not os.path.isfile(os.path.join(build, "bulkhead.elf")):
        raise AssertionError(f"{build}/bulkhead.elf missing: run `make CONFIG={HOSTILE}` first")

    return bhtest.run_headless(build, 60, HOSTILE_SCRIPT, stop_when=bhtest.script_done_and_line_ended)


def hostile_tests(ctx):
    run = bhtest.CachedRun(lambda: boot_hostile(ctx))

    def t_own():
        lines = run.get().cells["attacker"]
        # identity 5 sent through its page, pending in its file: the page is its file (VGEIN)
        assert_line(lines, r"^aiaprobe: own file: topei 5$", "its own interrupt file")
        assert_line(lines, r"^aiaprobe: own source 7: sourcecfg 6 target 0x9 setie 0x80$", "its own source")

    def t_foreign():
        r = run.get()
        lines = r.cells["attacker"]
        for s in (8, 10):
            assert_line(lines, rf"^aiaprobe: foreign source {s}: sourcecfg 0 target 0x0 setie 0x0 pending 0x0$",
                        f"source {s} inactive in the attacker's domain")
        assert_line(lines, r"^aiaprobe: past own harts: target 0x9$", "a target past its harts refused")
        m = matching(lines, r"^aiaprobe: refused writes (\d+)$")
        assert m, "the attacker's count of refused writes: " + excerpt(lines, title="attacker")
        want = int(m[0].group(1))
        got = [st.counters.get("vaplic_denied", 0) for st in (parse_stats(l) for l in r.raw)
               if st is not None and st.cell == "attacker"]
        assert got and got[-1] == want, f"vaplic_denied {got}, the attacker made {want} refused writes"

    def t_fault():
        r = run.get()
        assert_line(r.hypervisor, r"FAULT cell=attacker hart=2 vhart=0 cause=23 ", "a store guest-page fault")
        assert_line(r.hypervisor, r"FAULT .*\(gpa 0x28001000\)", "at the page past its interrupt file")
        assert_line(r.hypervisor, r"cell attacker: stopped \(fault\)", "the attacker stopped")
        assert_no_line(r.cells["attacker"], r"^aiaprobe: store completed$", "the attacker's log")

    def t_victim():
        r = run.get()
        lines = r.cells["irqtest"]
        assert_line(lines, r"^irqtest: done: 5 rounds, 1000 interrupts, 0 missing, ", "the victim's interrupts")
        spurious = [int(m.group(1)) for m in matching(lines, r"^irqtest: round \d+: spurious (\d+),")]
        assert len(spurious) == 5 and sum(spurious) == 0, f"victim's spurious claims per round: {spurious}"
        ticks = matching(r.cells["rtos"], r"^tick \d+$")
        assert len(ticks) >= 3, "rtos ticks: " + excerpt(r.cells["rtos"], title="rtos")
        assert_no_line(r.hypervisor, r"PANIC|unowned source", "the hypervisor log")

    return [
        ("hostile/own_file_and_source_work", t_own),
        ("hostile/foreign_sources_refused_and_counted", t_foreign),
        ("hostile/store_past_own_file_faults", t_fault),
        ("hostile/victim_unharmed", t_victim),
    ]


# Requirements the tests below verify (docs/safety/requirements.md).
VERIFIES = {
    "irq_aia/device_interrupts_without_exits": ["IRQ-AIA-3", "IRQ-AIA-4"],
    "hostile/own_file_and_source_work": ["IRQ-AIA-2", "IRQ-AIA-3"],
    "hostile/foreign_sources_refused_and_counted": ["IRQ-AIA-3", "IRQ-AIA-5"],
    "hostile/store_past_own_file_faults": ["IRQ-AIA-2", "IRQ-AIA-5"],
    "hostile/victim_unharmed": ["IRQ-AIA-5"],
    "linux_smp_on_imsic_and_aplic": ["IRQ-AIA-2", "IRQ-AIA-4"],
    "rtos_keeps_its_plic": ["IRQ-AIA-1", "IRQ-AIA-4"],
    "disk_interrupts_arrive": ["IRQ-AIA-3", "IRQ-AIA-4"],
    "device_interrupts_and_ipis_exitless": ["IRQ-AIA-4"],
    "idle_linux_no_exits": ["IRQ-AIA-4", "IRQ-AIA-6"],
    "no_refused_aplic_writes": ["IRQ-AIA-3"],
}


def collect(ctx):
    run = bhtest.CachedRun(lambda: boot(ctx))

    def t_linux_smp():
        r = run.get()
        lines = r.cells[LINUX]
        assert_line(lines, r"^cpus: 2$", "Linux sees both virtual harts")
        assert_line(lines, r"^linux# ", "Linux's shell prompt")
        # Linux found the IMSIC and drives its IPIs through it (no SBI IPI, no riscv-intc software interrupt line)
        assert_line(lines, r"^IPI\d+:", "IPI lines in /proc/interrupts")
        assert_no_line(r.hypervisor, HYP_BAD, "the hypervisor log")

    def t_rtos_plic():
        r = run.get()
        ticks = [int(m.group(1)) for m in matching(r.cells[RTOS], r"^tick (\d+)$")]
        assert len(ticks) >= 5 and ticks == list(range(ticks[0], ticks[0] + len(ticks))), (
            f"rtos ticks {ticks[:20]}: expected 5 or more in order; " + excerpt(r.cells[RTOS], title=RTOS))

    def t_disk():
        r = run.get()
        lines = r.cells[LINUX]
        assert_line(lines, rf"^{DISK_BYTES}$", "the whole disk read (wc -c)")
        v0, _, _ = interrupt_counts(lines, "before")
        v1, _, _ = interrupt_counts(lines, "after")
        assert v1 - v0 >= MIN_DEVICE_IRQS, f"virtio interrupts {v0} -> {v1}: expected {MIN_DEVICE_IRQS} or more"

    def t_exitless():
        r = run.get()
        lines = r.cells[LINUX]
        v0, i0, u0 = interrupt_counts(lines, "before")
        v1, i1, u1 = interrupt_counts(lines, "after")
        irqs, ipis, uart = v1 - v0, i1 - i0, u1 - u0
        d = window(r, 0)
        print(f"window: {irqs} virtio interrupts, {ipis} IPIs, {uart} UART interrupts; "
              f"exits vhart 0: {d[0]}, vhart 1: {d[1]}")
        assert irqs >= MIN_DEVICE_IRQS and ipis >= MIN_IPIS, (irqs, ipis)
        for v in (0, 1):
            moved = {k: n for k, n in d[v].items() if k != "exits" and n != 0}
            assert set(moved) <= ALLOWED, (
                f"vhart {v}: counters other than {sorted(ALLOWED)} moved while Linux took {irqs} device "
                f"interrupts and {ipis} IPIs: {moved}")
            assert d[v]["exits"] == sum(moved.values()), f"vhart {v}: exits not all accounted for: {d[v]}"
        # one trapped setipnum_le per level interrupt (the disk's and the UART's), none for the MSI or the claim
        eoi = d[0].get("mmio_vaplic", 0) + d[1].get("mmio_vaplic", 0)
        assert eoi <= irqs + uart, (f"{eoi} APLIC exits for {irqs} disk and {uart} UART interrupts: more than "
                                    f"the one EOI write each")

    def t_idle():
        d = window(run.get(), 2)
        moved = {f"vhart {v} {k}": n for v in (0, 1) for k, n in d[v].items() if n != 0}
        assert not moved, f"Linux idle for {IDLE_SECONDS} s at its prompt made exits: {moved}"

    def t_no_denied():
        r = run.get()
        for st in (parse_stats(l) for l in r.raw):
            if st is not None:
                assert st.counters.get("vaplic_denied", 0) == 0, f"refused APLIC writes: {st.flat()}"
                assert st.counters.get("vplic_denied", 0) == 0, f"refused vPLIC writes: {st.flat()}"

    return irq_aia_tests(ctx) + hostile_tests(ctx) + [
        ("linux_smp_on_imsic_and_aplic", t_linux_smp),
        ("rtos_keeps_its_plic", t_rtos_plic),
        ("disk_interrupts_arrive", t_disk),
        ("device_interrupts_and_ipis_exitless", t_exitless),
        ("idle_linux_no_exits", t_idle),
        ("no_refused_aplic_writes", t_no_denied),
    ]
