# SPDX-License-Identifier: Apache-2.0
"""System test of DMA isolation with the RISC-V IOMMU (docs/devices.md).

  hostile-dma  on the qemu-virt-iommu platform: cell 'victim'
               (cells/hostile/victim.c, hart 0, its checksummed pattern at
               host 0x8c000000) owning PCI function 00:02.0, and cell 'dma'
               (cells/hostile with bootargs "dmaprobe", hart 1, fault-policy
               restart) owning 00:01.0; both functions are virtio-rng-pci
               behind the IOMMU (configs/hostile-dma.qemu)
  hostile-dma-aia  the same on the AIA platform with the IOMMU
               (qemu-virt-aia-iommu) and the attacker's fault-policy "stop":
               both cells keep a virtual PLIC, the IOMMU's fault interrupt
               reaches the hypervisor through the APLIC; tests named aia/...

Built beforehand with `make CONFIG=<system>` (make test does). One headless
boot per system (about 15 s, ended as soon as everything was seen): the attacker scans
configuration space, tries to move its BAR and enable I/O decoding, lets its
device DMA into its own RAM, then (one attack per boot, the cell restarted by
the hypervisor in between) points the device at the victim's pattern and at
the hypervisor; under the policy "stop" its first attack, into the victim,
is its last, and the cell stays stopped. The tests check the hypervisor's
reports against the addresses the attacker aimed at, not against what the
attacker claims, and the victim's own checksum of its memory.
"""

import os
import re

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching

# system, test name prefix, the attacker's fault policy
SYSTEMS = (("hostile-dma", "", "restart"), ("hostile-dma-aia", "aia/", "stop"))
ATTACKER, VICTIM = "dma", "victim"
CHECKSUM = r"^checksum (0x[0-9a-f]+) changed (\d+) ssi (\d+) lat-max-us (\d+)$"
TARGETS = {0: 0x8c000000, 1: 0x80200000}  # the victim's pattern (host), the hypervisor's code
REPORT = (r"^\[bulkhead\] DMA FAULT cell=dma device=00:01\.0 cause=23 \(write guest-page fault\) "
          r"ttyp=3 iova=0x([0-9a-f]{16}) ")

SCRIPT = {
    "restart": [rf"wait-for {VICTIM} ^tick \d+$ 10", rf"wait-for {ATTACKER} ^dma: done$ 40"],
    "stop": [rf"wait-for {VICTIM} ^tick \d+$ 10", rf"wait-for hyp cell {ATTACKER}: stopped \(DMA fault\)$ 40"],
}
# The attacker's last words: under "restart" its end after every attack, under "stop" the stop.
LAST = {"restart": f"[{ATTACKER}] dma: done", "stop": f"[bulkhead] cell {ATTACKER}: stopped (DMA fault)"}
BOOTS = {"restart": 3, "stop": 1}  # the attacker's boots: one per attack, then the last
CHECKS_AFTER = 2  # victim checksums after the last attack

# The same tests run on both systems (their names on the AIA one start with "aia/").
VERIFIES = {
    "*ecam_shows_only_own_function": ["ISO-DMA-3"],
    "*bar_and_command_writes_limited": ["ISO-DMA-3"],
    "*own_ram_dma_works": ["ISO-DMA-2"],
    "*dma_into_victim_refused_and_reported": ["ISO-DMA-2", "ISO-DMA-4"],
    "*dma_into_hypervisor_refused_and_reported": ["ISO-DMA-2", "ISO-DMA-4"],
    "*stopped_attacker_stays_stopped": ["ISO-DMA-4"],
    "*victim_unharmed": ["ISO-DMA-2", "ISO-CELL-1"],
}


def boot(ctx, system, policy):
    build = os.path.join(ctx.build, system)
    bhtest.require_build(build, system)

    def done(r):
        if not r.script_done:
            return False
        v = r.cells.get(VICTIM, [])
        return len(matching(v, CHECKSUM)) >= 5 and checks_after_done(r, policy) >= CHECKS_AFTER

    return bhtest.run_headless(build, 60, SCRIPT[policy], stop_when=done)


def checks_after_done(r, policy):
    raw = r.raw
    end = [i for i, l in enumerate(raw) if l == LAST[policy]]
    return sum(1 for l in raw[end[0]:] if l.startswith(f"[{VICTIM}] checksum ")) if end else 0


def tagged(raw, cell):
    pre = f"[{cell}] "
    return [(i, l[len(pre):]) for i, l in enumerate(raw) if l.startswith(pre)]


def collect_system(ctx, system, prefix, policy):
    run = bhtest.CachedRun(lambda: boot(ctx, system, policy))
    nboots = BOOTS[policy]

    def attacker():
        r = run.get()
        assert r.script_error is None, f"input script: {r.script_error}; " + \
            excerpt(r.cells.get(ATTACKER, []), title="attacker log")
        return r.cells[ATTACKER]

    def boots():
        # Anchored: a line the attacker was printing when its DMA fault
        # restarted it ends with that run, so each boot's line starts a line.
        return [int(m.group(1)) for m in matching(attacker(), r"^hostile: boot (\d+) ")]

    def t_ecam():
        lines = attacker()
        scans = matching(lines, r"^dma: scan visible (\d+):(.*)$")
        assert len(scans) == nboots, f"one scan per boot ({nboots} boots): {len(scans)}; " + \
            excerpt(lines, title="attacker")
        for m in scans:
            assert m.group(1) == "1" and m.group(2) == " 00:01.0", \
                f"the attacker sees other functions (the host bridge, the victim's): {m.group(0)!r}"
        hidden = matching(lines, r"^dma: hidden 00:02\.0 vendor (\S+)$")
        assert hidden and all(m.group(1) == "0xffff" for m in hidden), \
            "the victim's function must read as absent (vendor 0xffff): " + excerpt(lines, title="attacker")

    def t_header():
        lines = attacker()
        bars = matching(lines, r"^dma: bar4 write kept (\S+) before (0x[0-9a-f]+) after (0x[0-9a-f]+)$")
        assert len(bars) == nboots and all(m.group(1) == "ok" and m.group(2) == m.group(3) for m in bars), \
            "BAR4 moved by a guest write: " + excerpt(lines, title="attacker")
        # the address bhconfig gave the function: inside its bar-window
        assert all(0x40000000 <= int(m.group(2), 16) & ~0xf < 0x40100000 for m in bars), \
            f"BAR4 {bars[0].group(2)} is outside bar-window 0x40000000+0x100000"
        cmds = matching(lines, r"^dma: command io refused (\S+) command (0x[0-9a-f]+)$")
        assert len(cmds) == nboots and all(m.group(1) == "ok" and int(m.group(2), 16) == 0x6 for m in cmds), \
            "command register: I/O decoding must stay off, memory and bus master on: " + \
            excerpt(lines, title="attacker")

    def t_own():
        lines = attacker()
        ok = matching(lines, r"^dma: own-ram ok len 64 nonzero (\d+)$")
        assert len(ok) == nboots, f"own-RAM DMA must work on each of {nboots} boots: {len(ok)}; " + \
            excerpt(lines, title="attacker")
        # 64 random bytes: fewer than 48 non-zero is not what an entropy device wrote
        assert all(int(m.group(1)) >= 48 for m in ok), [m.group(0) for m in ok]
        assert_no_line(lines, r"FAILED|no usable", "the attacker's log")

    def attack_test(n):
        def test():
            r = run.get()
            raw = r.raw
            at = [i for i, t in tagged(raw, ATTACKER) if t == f"dma: attack {n} target 0x{TARGETS[n]:x}"]
            assert len(at) == 1, f"attack {n} started {len(at)} times; " + excerpt(attacker(), title="attacker")
            reports = [(i, int(m.group(1), 16)) for i, m in
                       ((i, re.match(REPORT, l)) for i, l in enumerate(raw)) if m]
            after = [(i, iova) for i, iova in reports if i > at[0]]
            assert after and after[0][1] == TARGETS[n], (
                f"the first DMA fault report after attack {n} names iova "
                f"{hex(after[0][1]) if after else None}, expected 0x{TARGETS[n]:x}; reports {reports}")
            # The cells' lines interleave with the hypervisor's: the policy line is
            # the hypervisor's next one.
            rest = [l for l in raw[after[0][0]:] if l.startswith("[bulkhead]")]
            assert rest[1] == f"[bulkhead] DMA FAULT policy={policy}", rest[:3]
            acted = "restarting" if policy == "restart" else "stopped"
            assert f"[bulkhead] cell dma: {acted} (DMA fault)" in rest, f"the attacker was not {acted}"
            assert_no_line(attacker(), r"NOT RESTARTED", "the attacker's log")
            assert boots() == list(range(1, nboots + 1)), f"attacker boots {boots()}: one per attack, then the last"
            # Each attack leaves a line open for its restart (or stop) to end.
            joined = [l for l in attacker() if re.search(r".hostile: boot \d+ ", l)]
            assert not joined, f"a boot line continues the previous run's unended line: {joined}"
            left_open = matching(attacker(), r"^dma: attack awaits its restart")
            attacks = 2 if policy == "restart" else 1
            assert len(left_open) == attacks, \
                f"the open line of each attack ended by its restart: {len(left_open)} of {attacks}"
        return test

    def t_stays_stopped():
        r = run.get()
        stop = r.raw.index(LAST[policy])
        late = [l for l in r.raw[stop + 1:] if l.startswith(f"[{ATTACKER}]")]
        assert not late, f"the stopped attacker ran on: {late[:3]}"
        assert_no_line(r.hypervisor, r"cell dma: restarting|DMA FAULT cell=dma .* iova=0x0*80200000 ",
                       "the hypervisor log (one attack, no restart)")
        assert len(matching(r.hypervisor, r"^\[bulkhead\] DMA FAULT cell=dma device=")) == 1, \
            "one DMA fault report: " + excerpt(r.hypervisor, title="hypervisor")

    def t_victim():
        r = run.get()
        lines = r.cells[VICTIM]
        sums = matching(lines, CHECKSUM)
        assert len(sums) >= 5 and checks_after_done(r, policy) >= CHECKS_AFTER, \
            "victim checksums (5 or more, 2 after the attacks): " + excerpt(lines, title="victim")
        assert len({m.group(1) for m in sums}) == 1 and all(m.group(2) == "0" for m in sums), \
            "the victim's memory changed: " + str([m.group(0) for m in sums if m.group(2) != "0"][:3])
        ticks = [int(m.group(1)) for m in matching(lines, r"^tick (\d+)$")]
        assert ticks == list(range(ticks[0], ticks[0] + len(ticks))), f"victim ticks skip: {ticks}"
        assert len(matching(lines, r"^victim: boot ")) == 1, "the victim booted more than once"
        assert_no_line(r.hypervisor, r"FAULT cell=victim|cell victim: (stopped|restarting)|PANIC|unowned source", "the hypervisor log")
        assert_line(r.hypervisor, r"^\[bulkhead\] iommu: one-level device directory at 0x[0-9a-f]+, 2 device",
                    "the IOMMU programmed at boot")

    last = ((prefix + "dma_into_hypervisor_refused_and_reported", attack_test(1)) if policy == "restart" else
            (prefix + "stopped_attacker_stays_stopped", t_stays_stopped))
    return [
        (prefix + "ecam_shows_only_own_function", t_ecam),
        (prefix + "bar_and_command_writes_limited", t_header),
        (prefix + "own_ram_dma_works", t_own),
        (prefix + "dma_into_victim_refused_and_reported", attack_test(0)),
        last,
        (prefix + "victim_unharmed", t_victim),
    ]


def collect(ctx):
    return [t for system, prefix, policy in SYSTEMS for t in collect_system(ctx, system, prefix, policy)]
