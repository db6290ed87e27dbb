# SPDX-License-Identifier: Apache-2.0
"""Shared-memory channels with doorbells under QEMU (docs/shmem.md).

shmem-pair (the shipped demo): cells 'left' and 'right', both
cells/rtos-contract, share the read-write channel 'samples'; each publishes
"sample <seconds>" every second and prints what it receives. The script lets
a few samples cross, restarts 'right' (typed "reboot": SBI system reset),
waits for samples again in both directions, then sends one text each way
and a "ping 42", which right answers with "pong 42" without printing it.

hostile-shmem: 'left' and 'right' as above; 'prober' (cells/hostile,
"shmprobe") is a read-only member of channel 'feed' (written by left) and no
member of 'samples': it loads and stores at both channels' addresses, rings
through its doorbell page in every refused way, then storms left with 1000
legitimate rings.

Both runs end with a statistics request ("hyp s").
"""

import os
import re

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching
from bulkhead_run import stats

SAMPLE = r"^shm samples: from (left|right): sample (\d+)$"
PAIR_SCRIPT = [
    r"wait-for left ^shm samples: from right: sample 3$ 15",
    r"wait-for right ^shm samples: from left: sample 3$ 5",
    "at 0 right reboot",
    r"wait-for left ^shm samples: generation 1$ 10",
    r"wait-for left ^shm samples: from right: sample 2$ 10",
    "at 0 left send hello from left",
    r"wait-for right ^shm samples: from left: hello from left$ 5",
    "at 0 right send reply from right",
    r"wait-for left ^shm samples: from right: reply from right$ 5",
    "at 0 left send ping 42",
    r"wait-for left ^shm samples: from right: pong 42$ 5",
    "at 0 hyp s",
    r"wait-for hyp stats request cell=right 5",
]
PROBE_SCRIPT = [
    r"wait-for prober ^shm-summary: 40",
    "at 0 hyp s",
    r"wait-for hyp stats request cell=prober 5",
]
STORM_RINGS = 1000

VERIFIES = {
    "pair/*": ["GST-SHM-1"],
    "pair/restart_*": ["ISO-SHM-3"],
    "pair/no_refused_rings": ["ISO-SHM-2"],
    "probe/boot_and_script": ["ISO-SHM-1"],
    "probe/readonly_*": ["ISO-SHM-1", "FLT-1"],
    "probe/non_member_*": ["ISO-SHM-1", "FLT-1"],
    "probe/refused_rings_counted": ["ISO-SHM-2"],
    "probe/doorbell_*": ["ISO-SHM-2"],
    "probe/ring_storm_merged": ["ISO-SHM-2"],
    "probe/generation_counts_restarts": ["ISO-SHM-3"],
    "probe/members_unaffected": ["ISO-CELL-1", "ISO-SHM-2"],
}


def last_stats(hyp, cell):
    found = [s for s in stats.stats_lines(hyp, "request") if s.cell == cell]
    assert found, f"no 'stats request' line of cell {cell}; " + excerpt(hyp, title="hypervisor log")
    return found[-1].counters


def samples_from(lines, sender):
    return [int(m.group(2)) for m in matching(lines, SAMPLE) if m.group(1) == sender]


def split_at(lines, regex):
    """Lines before and after the first line matching regex."""
    for i, l in enumerate(lines):
        if re.search(regex, l):
            return lines[:i], lines[i + 1:]
    raise AssertionError(f"no line matches /{regex}/; " + excerpt(lines))


def consecutive(values, what, at_least=2):
    """At least `at_least` samples, each one more than the one before. How many
    arrive in a window depends on the host's speed, so a window the script does
    not wait for asks for at least one."""
    assert len(values) >= at_least, f"{what}: fewer than {at_least} samples: {values}"
    gaps = [(a, b) for a, b in zip(values, values[1:]) if b != a + 1]
    assert not gaps, f"{what}: samples not consecutive, e.g. {gaps[0]}: {values}"


def pair_tests(ctx):
    build = os.path.join(ctx.build, "shmem-pair")

    def boot():
        bhtest.require_build(build, "shmem-pair")
        return bhtest.run_headless(build, 60, PAIR_SCRIPT,
                                   stop_when=bhtest.script_done_and_line_ended)

    run = bhtest.CachedRun(boot)

    def t_run():
        r = run.get()
        assert r.script_error is None, f"input script: {r.script_error}; logs in {r.logs_dir}"

    def t_endpoints_open():
        r = run.get()
        assert_line(r.cells["left"], r"^shm samples: member 0 of 2 \(rw\), doorbell irq 32$", "left")
        assert_line(r.cells["right"], r"^shm samples: member 1 of 2 \(rw\), doorbell irq 32$", "right")

    def t_both_directions():
        r = run.get()
        before, _ = split_at(r.cells["right"], r"^shm: reboot$")
        consecutive(samples_from(before, "left"), "right's samples from left before its restart")
        before, _ = split_at(r.cells["left"], r"^shm samples: generation 1$")
        consecutive(samples_from(before, "right"), "left's samples from right before right restarted")

    def t_texts_cross():
        r = run.get()
        assert_line(r.cells["right"], r"^shm samples: from left: hello from left$", "right")
        assert_line(r.cells["left"], r"^shm samples: from right: reply from right$", "left")

    def t_ping_answered_silently():
        r = run.get()
        assert_line(r.cells["left"], r"^shm samples: from right: pong 42$", "left")
        assert_no_line(r.cells["right"], r"ping 42", "right")

    def t_restart_generation_and_fresh_lane():
        r = run.get()
        _, after = split_at(r.cells["left"], r"^shm samples: generation 1$")
        got = samples_from(after, "right")
        assert got[:2] == [1, 2], f"after right's restart left got {got}: its samples should start at 1 again"
        consecutive(got, "left's samples from right after the restart")

    def t_restart_peer_keeps_sending():
        r = run.get()
        before, after = split_at(r.cells["right"], r"^shm: reboot$")
        assert len(matching(r.cells["right"], r"^rtos-contract: boot hart 0$")) == 2, "right did not boot twice"
        old = samples_from(before, "left")
        new = samples_from(after, "left")
        assert new, "right received nothing from left after its restart; " + excerpt(after)
        assert new[0] > old[-1], f"after the restart right got {new[:3]}, before it {old[-3:]}: not newer"
        consecutive(new, "right's samples from left after its restart", at_least=1)

    def t_hypervisor_clean():
        r = run.get()
        assert_no_line(r.hypervisor, r"FAULT|error|warning", "hypervisor log")
        assert_line(r.hypervisor, r"cell right: restarting \(SBI system reset: reboot\)", "hypervisor log")

    def t_no_refused_rings():
        r = run.get()
        for cell in ("left", "right"):
            c = last_stats(r.hypervisor, cell)
            assert c.get("doorbell_denied", 0) == 0, f"{cell}: {c}"
            assert c.get("mmio_doorbell", 0) > 0, f"{cell} never rang: {c}"

    return [("pair/boot_and_script", t_run), ("pair/endpoints_open", t_endpoints_open),
            ("pair/both_directions_in_order", t_both_directions), ("pair/texts_cross", t_texts_cross),
            ("pair/ping_answered_silently", t_ping_answered_silently),
            ("pair/restart_generation_and_fresh_lane", t_restart_generation_and_fresh_lane),
            ("pair/restart_peer_keeps_sending", t_restart_peer_keeps_sending),
            ("pair/hypervisor_clean", t_hypervisor_clean), ("pair/no_refused_rings", t_no_refused_rings)]


def probe_tests(ctx):
    build = os.path.join(ctx.build, "hostile-shmem")

    def boot():
        bhtest.require_build(build, "hostile-shmem")
        return bhtest.run_headless(build, 80, PROBE_SCRIPT, stop_when=bhtest.script_done_and_line_ended)

    run = bhtest.CachedRun(boot)

    def prober():
        return run.get().cells["prober"]

    def faults_at(gpa):
        """FAULT reports of the prober whose guest-physical address is gpa."""
        hyp = run.get().hypervisor
        return [l for l in hyp if re.search(rf"FAULT sepc=.* \(gpa {gpa:#x}\)", l)]

    def point_ok(n):
        return matching(prober(), rf"^shm-ok {n} \S+ \S+ value (0x[0-9a-f]+)$")

    def t_run():
        r = run.get()
        assert r.script_error is None, f"input script: {r.script_error}; logs in {r.logs_dir}"
        assert_line(prober(), r"^shm-summary: points 12 completed 7 boots 6$", "prober")

    def t_readonly_load_sees_writer():
        ok = point_ok(0)
        assert ok and int(ok[0].group(1), 16) == 0x4c4d4842, \
            "the read-only member did not read left's lane magic: " + excerpt(prober())

    def t_readonly_store_faults():
        assert not point_ok(1), "a store by the read-only member completed"
        f = faults_at(0x110000040)
        assert len(f) == 1, "no (or more than one) fault report at the read-only channel: " + \
            excerpt(run.get().hypervisor)
        assert_line(run.get().hypervisor, r"FAULT cell=prober hart=2 vhart=0 cause=23 ", "hypervisor log")

    def t_non_member_faults():
        for n, gpa, what in ((2, 0x31000000, "load at samples' guest address"),
                             (3, 0x31000000, "store at samples' guest address"),
                             (4, 0xa0000000, "load at samples' host address")):
            assert not point_ok(n), f"prober's {what} completed"
        assert len(faults_at(0x31000000)) == 2, excerpt(run.get().hypervisor)
        assert len(faults_at(0xa0000000)) == 1, excerpt(run.get().hypervisor)

    def t_refused_rings_counted():
        for n in (5, 6, 7, 8):
            assert point_ok(n), f"refused doorbell write {n} did not complete as an ignored write"
        c = last_stats(run.get().hypervisor, "prober")
        assert c.get("doorbell_denied", 0) == 4, f"prober: doorbell_denied should be 4: {c}"

    def t_doorbell_registers():
        assert int(point_ok(10)[0].group(1), 16) == 1, "RING read is not the own member index 1"
        assert not point_ok(11), "a byte access to the doorbell page completed"
        assert len(faults_at(0x130000000)) == 1, excerpt(run.get().hypervisor)

    def t_generation():
        # Every stop or restart of a member bumps it: 4 faults of the prober before point 9.
        assert int(point_ok(9)[0].group(1), 16) == 4, "generation of 'feed' is not 4 at point 9"

    def t_storm():
        r = run.get()
        assert_line(prober(), rf"^shm-storm rings {STORM_RINGS}$", "prober")
        p = last_stats(r.hypervisor, "prober")
        left = last_stats(r.hypervisor, "left")
        merged = p.get("doorbell_merged", 0)
        assert merged > 0, f"no ring of the storm was merged: {p}"
        # Posts to left's hart come only from rings that were not merged: the
        # storm's, right's samples (one a second) and the prober's restarts.
        bound = (STORM_RINGS - merged) + 2 * 40 + 10
        assert left.get("irq_software", 0) <= bound, \
            f"left took {left.get('irq_software')} software interrupts for {STORM_RINGS - merged} delivered rings"

    def t_members_unaffected():
        r = run.get()
        for cell in ("left", "right"):
            assert_no_line(r.cells[cell], r"exception|^shm .*: full$", cell)
        consecutive(samples_from(r.cells["left"], "right"), "left's samples from right", at_least=1)
        assert_no_line(r.hypervisor, r"FAULT cell=(left|right)", "hypervisor log")

    return [("probe/boot_and_script", t_run), ("probe/readonly_load_sees_writer", t_readonly_load_sees_writer),
            ("probe/readonly_store_faults", t_readonly_store_faults),
            ("probe/non_member_faults", t_non_member_faults),
            ("probe/refused_rings_counted", t_refused_rings_counted),
            ("probe/doorbell_registers", t_doorbell_registers),
            ("probe/generation_counts_restarts", t_generation), ("probe/ring_storm_merged", t_storm),
            ("probe/members_unaffected", t_members_unaffected)]


def collect(ctx):
    return pair_tests(ctx) + probe_tests(ctx)
