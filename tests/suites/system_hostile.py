# SPDX-License-Identifier: Apache-2.0
"""System tests "isolation you can trust": hostile guests attack a victim cell.

Four systems (configs/hostile-*.dts), each built beforehand with
`make CONFIG=<name>` and booted once (headless) for all tests of that system:

  hostile-memprobe  prober  reads, writes, AMOs and jumps to every probe point
                            outside its map (fault-policy restart, one point per boot)
  hostile-sbi       fuzzer  10000 seeded random SBI calls, IPIs/fences to foreign
                            harts and a flood to its own, console spoofing and
                            input theft, then one fault under fault-policy stop
  hostile-priv      priv    privileged instructions and CSRs from VS-mode
  hostile-crash     crasher fetches outside its map, a crash of its second hart,
                            both harts at once, a 100-restart storm, then a hang

Beside each attacker runs `victim` (cells/hostile/victim.c, hart 0): the
rtos-contract guest plus a 4 MiB pattern it checksums every second and a count
of software interrupts it takes. For every system the tests assert that the
victim's ticks count up without a gap before, during and after the attack, that
it echoes a line typed after the attack, that every checksum is the same with 0
bytes changed and 0 software interrupts, that it booted once and that its log
holds only its own lines. The attack-specific tests check each fault report
(cell, cause, guest-physical address, sepc) against what the test expects for
the access, independently of what the attacker claims.

The figures (probes, calls, faults, restarts, victim bytes changed) are written
to <build>/hostile-figures.txt by the last test. docs/faults.md explains them.
"""

import json
import os
import re

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching
from bulkhead_run import stats

SECONDS = 45            # upper bound per boot; stop_when ends each run much earlier
VICTIM = "victim"
TICK = r"^tick (\d+)$"
CHECKSUM = r"^checksum (0x[0-9a-f]+) changed (\d+) ssi (\d+) lat-max-us (\d+)$"
VICTIM_LINE = (r"^(victim: boot hart 0 pattern 0x84000000\.\.0x843fffff|tick \d+|"
               r"checksum 0x[0-9a-f]+ changed \d+ ssi \d+ lat-max-us \d+|echo: .*)$")
FAULT_HEAD = re.compile(r"^\[bulkhead\] FAULT cell=(\S+) hart=(\d+) vhart=(\d+) cause=(\d+) \((.*)\)$")
FAULT_REGS = re.compile(r"^\[bulkhead\] FAULT sepc=(0x[0-9a-f]+) stval=(0x[0-9a-f]+) "
                        r"htval=(0x[0-9a-f]+)(?: \(gpa (0x[0-9a-f]+)\))? htinst=(0x[0-9a-f]+)$")

CAUSE_FETCH, CAUSE_LOAD, CAUSE_VIRT, CAUSE_STORE = 20, 21, 22, 23

# What each system's attacker cell is called, and the line that ends its attack.
SYSTEMS = {
    "hostile-memprobe": ("prober", r"^probe-summary: "),
    "hostile-sbi": ("fuzzer", r"^crash-end: "),
    "hostile-priv": ("priv", r"^priv-summary: "),
    "hostile-crash": ("crasher", r"^crash: vhart 0 hangs$"),
}

FIGURES = {}


# ---------------------------------------------------------------- runs

def script(config):
    cell, done = SYSTEMS[config]
    first = [rf"wait-for {VICTIM} {TICK} 10"]
    tail = [f"at 0 {VICTIM} after-attack",
            rf"wait-for {VICTIM} ^echo: after-attack$ 5",
            "at 0 hyp s",
            rf"wait-for hyp stats request cell={VICTIM} 5"]
    if config == "hostile-sbi":
        return first + [
            rf"wait-for {cell} ^steal-input: start 30",
            f"at 0.2 {VICTIM} secret-input",
            rf"wait-for {VICTIM} ^echo: secret-input$ 5",
            rf"wait-for {cell} ^steal-input: got 10",
            r"wait-for hyp cell fuzzer: stopped \(fault\) 10",
        ] + tail
    if config == "hostile-crash":
        # Two statistics requests 1 s apart while both harts hang: no exits between.
        return first + [
            rf"wait-for {cell} {done} 30",
            "at 0.5 hyp s",
            rf"wait-for hyp stats request cell={cell} hart=2 5",
            "at 1 hyp s",
            rf"wait-for hyp stats request cell={cell} hart=2 5",
        ] + tail
    if config == "hostile-memprobe":
        # The prober's last act is an SBI v0.1 shutdown of its cell.
        return first + [rf"wait-for {cell} {done} 30",
                        rf"wait-for hyp cell {cell}: stopped \(legacy SBI shutdown\) 10"] + tail
    return first + [rf"wait-for {cell} {done} 30"] + tail


def ticks_after_echo(victim_lines):
    idx = [i for i, l in enumerate(victim_lines) if l == "echo: after-attack"]
    if not idx:
        return 0
    rest = victim_lines[idx[-1] + 1:]
    return sum(1 for l in rest if re.match(TICK, l))


def done(r):
    """The script ran and the victim ticked and checked its memory twice after it."""
    v = r.cells[VICTIM]
    return (r.script_done and ticks_after_echo(v) >= 2
            and re.match(CHECKSUM, v[-1] if v else "") is not None)


class System:
    def __init__(self, ctx, config):
        self.config = config
        self.cell, self.done_marker = SYSTEMS[config]
        self.build = os.path.join(ctx.build, config)
        self.run = bhtest.CachedRun(self._boot)

    def _boot(self):
        bhtest.require_build(self.build, self.config)
        return bhtest.run_headless(self.build, SECONDS, script(self.config), stop_when=done)

    def r(self):
        return self.run.get()

    def attacker(self):
        return self.r().cells[self.cell]

    def victim(self):
        return self.r().cells[VICTIM]

    def raw(self):
        return self.r().raw

    def reports(self):
        """Fault reports of the attacker, in order: dicts with hart, vhart, cause, why,
        sepc, stval, gpa, and 'at' (index in raw)."""
        return fault_reports(self.raw(), self.cell)

    def restarts(self):
        return sum(1 for l in self.r().hypervisor
                   if l == f"[bulkhead] cell {self.cell}: restarting (fault)")


def fault_reports(raw, cell):
    out = []
    pending = {}  # hart -> report waiting for its register line
    for i, line in enumerate(raw):
        m = FAULT_HEAD.match(line)
        if m and m.group(1) == cell:
            rep = {"hart": int(m.group(2)), "vhart": int(m.group(3)), "cause": int(m.group(4)),
                   "why": m.group(5), "at": i, "sepc": None, "stval": None, "gpa": None}
            out.append(rep)
            pending[rep["hart"]] = rep
            continue
        m = FAULT_REGS.match(line)
        if m and pending:
            # The register line follows its header; with two harts of one cell
            # faulting at once, the oldest header without one gets it.
            rep = min(pending.values(), key=lambda x: x["at"])
            rep["sepc"] = int(m.group(1), 16)
            rep["stval"] = int(m.group(2), 16)
            rep["gpa"] = int(m.group(4), 16) if m.group(4) else None
            del pending[rep["hart"]]
    return out


def tagged(raw, cell):
    """(index in raw, text) of each line of a cell."""
    pre = f"[{cell}] "
    return [(i, l[len(pre):]) for i, l in enumerate(raw) if l.startswith(pre)]


def first_index(raw, cell, regex):
    for i, text in tagged(raw, cell):
        if re.search(regex, text):
            return i
    return None


def stats_lines(hyp, reason, cell):
    return [{"hart": st.hart, "vhart": st.vhart, "exits": st.exits, **st.counters}
            for st in stats.stats_lines(hyp, reason) if st.cell == cell]


# ---------------------------------------------------------------- common tests

def common_tests(s):
    def t_run():
        r = s.r()
        assert r.script_error is None, f"input script: {r.script_error}; " + \
            excerpt(s.attacker(), title=f"{s.cell} log")
        assert r.stopped == "stop_when", (
            f"the run ended by {r.stopped} before everything expected was seen "
            f"({r.elapsed:.1f} s); see the other tests and {r.logs_dir}")

    def t_ticks():
        raw = s.raw()
        ticks = [(i, int(re.match(TICK, t).group(1))) for i, t in tagged(raw, VICTIM)
                 if re.match(TICK, t)]
        n = [t for _, t in ticks]
        assert n, "the victim never ticked; " + excerpt(s.victim(), title="victim log")
        assert n == list(range(n[0], n[0] + len(n))), f"victim ticks skip or repeat: {n}"
        start = first_index(raw, s.cell, ATTACK_START[s.config])
        end = first_index(raw, s.cell, s.done_marker)
        assert start is not None and end is not None, \
            "attack start or end line missing; " + excerpt(s.attacker(), title=f"{s.cell} log")
        before = sum(1 for i, _ in ticks if i < start)
        during = sum(1 for i, _ in ticks if start <= i <= end)
        after = sum(1 for i, _ in ticks if i > end)
        assert before >= 1, f"no victim tick before the attack started (ticks {n})"
        assert during >= 1, f"no victim tick while the attack ran (ticks {n})"
        assert after >= 2, f"{after} victim ticks after the attack, want >= 2 (ticks {n})"
        FIGURES.setdefault(s.config, {}).update(
            {"victim_ticks": len(n), "ticks_before": before, "ticks_during": during,
             "ticks_after": after})

    def t_echo():
        assert_line(s.victim(), r"^echo: after-attack$", "victim log (typed after the attack)")

    def t_memory():
        sums = matching(s.victim(), CHECKSUM)
        assert len(sums) >= 3, f"{len(sums)} checksum lines, want >= 3; " + \
            excerpt(s.victim(), title="victim log")
        values = {m.group(1) for m in sums}
        changed = [int(m.group(2)) for m in sums]
        ssi = [int(m.group(3)) for m in sums]
        lat = [int(m.group(4)) for m in sums]
        assert len(values) == 1, f"victim checksums differ: {sorted(values)}"
        assert max(changed) == 0, f"victim memory changed: {changed} bytes"
        assert max(ssi) == 0, f"the victim took software interrupts: {ssi}"
        FIGURES.setdefault(s.config, {}).update(
            {"victim_checksums": len(sums), "victim_bytes_changed": max(changed),
             "victim_soft_irqs": max(ssi), "victim_timer_latency_max_us": max(lat)})

    def t_victim_alone():
        v = s.victim()
        bad = [l for l in v if not re.match(VICTIM_LINE, l)]
        assert not bad, f"victim log has lines that are not the victim's: {bad[:3]}"
        boots = [l for l in v if l.startswith("victim: boot")]
        assert len(boots) == 1, f"the victim booted {len(boots)} times"
        hyp = s.r().hypervisor
        assert_no_line(hyp, rf"FAULT cell={VICTIM}|cell {VICTIM}: (stopped|restarting)",
                       "hypervisor log (about the victim)")

    def t_hyp_clean():
        hyp = s.r().hypervisor
        assert_no_line(hyp, r"panic|PANIC|trap in the hypervisor|did not park in time|unexpected",
                       "hypervisor log")
        assert_no_line(s.attacker(), r"^hostile: unexpected exception", f"{s.cell} log")
        # Only the OpenSBI banner is untagged.
        stray = [l for l in hyp if not l.startswith("[bulkhead] ") and
                 re.search(r"tick|echo|probe-|priv-|crash|sbi-fuzz|hostile", l)]
        assert not stray, f"untagged cell output in the hypervisor log: {stray[:3]}"

    return [
        ("run_completed", t_run),
        ("victim_ticks_before_during_after", t_ticks),
        ("victim_echoes_after_attack", t_echo),
        ("victim_memory_unchanged", t_memory),
        ("victim_log_own_and_single_boot", t_victim_alone),
        ("hypervisor_log_clean", t_hyp_clean),
    ]


ATTACK_START = {
    "hostile-memprobe": r"^probe-point 0 ",
    "hostile-sbi": r"^sbi-fuzz: start",
    "hostile-priv": r"^priv-point 0 ",
    "hostile-crash": r"^crash-point 0 ",
}


# ---------------------------------------------------------------- memprobe

RO = (0x104000000, 0x104200000)
NX = (0x104200000, 0x104400000)
VPLIC = (0x0c000000, 0x0c600000)
VUART = (0x10000000, 0x10000008)
LOADS = {"ld": 8, "lw": 4, "lb": 1, "c.lw": 4}
STORES = {"sd": 8, "sw": 4, "sb": 1, "c.sw": 4, "amo": 4}


def probe_expect(addr, kind):
    """('ok', None) if the access must complete, else ('fault', cause)."""
    if kind == "x":
        return ("fault", CAUSE_FETCH)
    load = kind in LOADS
    width = LOADS.get(kind) or STORES[kind]
    fault = ("fault", CAUSE_LOAD if load else CAUSE_STORE)
    if RO[0] <= addr < RO[1]:
        return ("ok", None) if load else fault
    if NX[0] <= addr < NX[1]:
        return ("ok", None)
    if VPLIC[0] <= addr < VPLIC[1]:
        return ("ok", None) if width == 4 and kind != "amo" else fault
    if VUART[0] <= addr < VUART[1]:
        return ("ok", None) if kind != "amo" else fault
    return fault


# Values the emulated devices must give back (read-back after a store, or a load).
PROBE_VALUES = {
    0x0c002080: 0x400,      # own context's enables: only own source 10 sticks
    0x0c002100: 0x0,        # enables of a context of no vhart of this cell
    0x0c000004: 0x0,        # priority of a source the cell does not own
    0x0c203004: 0x0,        # claim of a foreign context
    0x10000007: 0x5a,       # the UART scratch register
}


def memprobe_tests(s):
    def points():
        raw = s.raw()
        out = []
        for i, text in tagged(raw, s.cell):
            m = re.match(r"^probe-point (\d+) (0x[0-9a-f]+) (\S+)$", text)
            if m:
                out.append({"n": int(m.group(1)), "addr": int(m.group(2), 16),
                            "kind": m.group(3), "at": i})
        return out

    def t_points():
        pts = points()
        att = s.attacker()
        summary = matching(att, r"^probe-summary: points (\d+) completed (\d+) boots (\d+)$")
        assert summary, "no probe-summary line; " + excerpt(att, title="prober log")
        total = int(summary[-1].group(1))
        assert [p["n"] for p in pts] == list(range(total)), \
            f"probe points not tried exactly once each in order: {[p['n'] for p in pts]}"
        assert 40 <= total <= 80, f"{total} probe points (bounded to 40..80)"

    def t_outcomes():
        raw = s.raw()
        pts = points()
        reports = s.reports()
        oks = {int(m.group(1)): int(m.group(2), 16) for m in
               matching(s.attacker(), r"^probe-ok (\d+) 0x[0-9a-f]+ \S+ value (0x[0-9a-f]+)$")}
        problems = []
        faults = 0
        for k, p in enumerate(pts):
            nxt = pts[k + 1]["at"] if k + 1 < len(pts) else len(raw)
            mine = [r for r in reports if p["at"] < r["at"] < nxt]
            want, cause = probe_expect(p["addr"], p["kind"])
            what = f"point {p['n']} {p['kind']} {p['addr']:#x}"
            if want == "ok":
                if mine or p["n"] not in oks:
                    problems.append(f"{what}: must complete, got {len(mine)} fault report(s)")
                elif p["addr"] in PROBE_VALUES and oks[p["n"]] != PROBE_VALUES[p["addr"]]:
                    problems.append(f"{what}: value {oks[p['n']]:#x}, "
                                    f"want {PROBE_VALUES[p['addr']]:#x}")
                continue
            faults += 1
            if p["n"] in oks:
                problems.append(f"{what}: completed (value {oks[p['n']]:#x}), must fault")
            elif len(mine) != 1:
                problems.append(f"{what}: {len(mine)} fault reports, want 1")
            elif mine[0]["cause"] != cause or mine[0]["gpa"] != p["addr"]:
                got = mine[0]["gpa"]
                problems.append(f"{what}: report cause {mine[0]['cause']} gpa "
                                f"{got if got is None else hex(got)}, want cause {cause} "
                                f"gpa {p['addr']:#x}")
        assert not problems, f"{len(problems)} of {len(pts)} probe points wrong:\n" + \
            "\n".join("    " + x for x in problems[:20])
        FIGURES.setdefault(s.config, {}).update(
            {"probe_points": len(pts), "probe_faults": faults,
             "probe_completed": len(pts) - faults})

    def t_restarts():
        reports = s.reports()
        restarts = s.restarts()
        boots = matching(s.attacker(), r"^hostile: boot (\d+) ")
        assert restarts == len(reports), f"{len(reports)} fault reports but {restarts} restarts"
        assert [int(m.group(1)) for m in boots] == list(range(1, restarts + 2)), \
            f"prober boots {[m.group(1) for m in boots]} after {restarts} restarts"
        assert_line(s.r().hypervisor, r"FAULT policy=restart", "hypervisor log")
        FIGURES.setdefault(s.config, {}).update(
            {"faults_survived": len(reports), "restarts": restarts})

    def t_denied_counted():
        st = stats_lines(s.r().hypervisor, "request", s.cell)
        assert st, "no statistics of the prober after Ctrl-T s"
        assert st[-1].get("vplic_denied", 0) >= 4, \
            f"foreign vPLIC accesses not counted: {st[-1]}"

    def t_legacy_shutdown():
        # The last act of the prober: a legacy shutdown stops its cell alone
        # (never the machine: the firmware would power everything off).
        raw = s.raw()
        stop = [i for i, l in enumerate(raw)
                if l == f"[bulkhead] cell {s.cell}: stopped (legacy SBI shutdown)"]
        assert len(stop) == 1, (f"{len(stop)} lines 'cell {s.cell}: stopped (legacy SBI "
                                f"shutdown)', want 1; " + excerpt(s.r().hypervisor,
                                                                 title="hypervisor log"))
        start = first_index(raw, s.cell, r"^legacy-shutdown: start$")
        assert start is not None and start < stop[0], \
            "no 'legacy-shutdown: start' before the stop; " + excerpt(s.attacker(), title="prober log")
        after = [l for l in raw[start + 1:] if l.startswith(f"[{s.cell}]")]
        assert not after, f"the prober ran on after its legacy shutdown: {after[:3]}"
        ticks = [i for i, t in tagged(raw, VICTIM) if i > stop[0] and re.match(TICK, t)]
        assert len(ticks) >= 2, (f"{len(ticks)} victim ticks after the prober's legacy shutdown, "
                                 f"want >= 2 (the machine went down?)")

    def t_buffers():
        # DBCN buffers (cells/hostile/memprobe.c, buffer_checks): all of a
        # buffer must lie in one region with the rights the call needs.
        want = {"write-last-8-bytes": (0, 8), "write-8-bytes-past-end": (-3, 0),
                "read-into-rw": (0, 0), "read-into-read-only": (-3, 0)}
        got = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in
               matching(s.attacker(), r"^sbi-buffer (\S+) error (-?\d+) value (\d+)$")}
        bad = [f"{k}: (error, value) {got.get(k)}, want {v}" for k, v in want.items()
               if got.get(k) != v]
        assert not bad, "SBI buffer checks: " + "; ".join(bad)
        assert_line(s.attacker(), r"^edge-ok$", "prober log (DBCN write of its last 8 bytes)")

    return [
        ("memprobe_sbi_buffers_checked_whole", t_buffers),
        ("memprobe_legacy_shutdown_stops_only_its_cell", t_legacy_shutdown),
        ("memprobe_every_point_once", t_points),
        ("memprobe_fault_reports_match_accesses", t_outcomes),
        ("memprobe_one_restart_per_fault", t_restarts),
        ("memprobe_foreign_vplic_access_counted", t_denied_counted),
    ]


# ---------------------------------------------------------------- sbi

def sbi_tests(s):
    def t_fuzz():
        att = s.attacker()
        m = matching(att, r"^sbi-fuzz: (\d+) calls, seed (0x[0-9a-f]+), errors (.*)$")
        assert m, "no sbi-fuzz summary; " + excerpt(att, title="fuzzer log")
        calls = int(m[-1].group(1))
        hist = dict(kv.split("=") for kv in m[-1].group(3).split())
        hist = {k: int(v) for k, v in hist.items()}
        assert calls >= 5000, f"{calls} calls fuzzed, want >= 5000"
        for k in ("SUCCESS", "NOT_SUPPORTED", "INVALID_PARAM"):
            assert hist.get(k, 0) > 0, f"no {k} among the fuzzed calls: {hist}"
        v = matching(att, r"^sbi-fuzz: legacy (\d+), sanitized (\d+), violations (\d+), (\d+) us$")
        assert v, "no sbi-fuzz violations line"
        assert int(v[-1].group(3)) == 0, "SBI spec violations: " + \
            "; ".join(l for l in att if "violation" in l)
        assert_line(att, r"^sbi-fuzz: spec version 0x2000000 afterwards$", "fuzzer log")
        FIGURES.setdefault(s.config, {}).update(
            {"sbi_calls": calls, "sbi_seed": m[-1].group(2), "sbi_errors": hist,
             "sbi_legacy": int(v[-1].group(1)), "sbi_sanitized": int(v[-1].group(2)),
             "sbi_violations": 0, "sbi_fuzz_us": int(v[-1].group(4))})

    def t_ipi_foreign():
        att = s.attacker()
        # The fuzzer counts its harts by HSM hart_status until the first
        # error: one more than configured means hart id N (one past the
        # last virtual hart) named some other cell's hart.
        with open(os.path.join(s.build, "system.json")) as f:
            cell = next(c for c in json.load(f)["cells"] if c["name"] == s.cell)
        counted = matching(att, r"^ipi-flood: start: (\d+) harts$")
        assert counted and int(counted[-1].group(1)) == len(cell["harts"]), (
            f"HSM hart_status answers for {counted[-1].group(1) if counted else '?'} virtual "
            f"harts, the cell has {len(cell['harts'])}")
        m = matching(att, r"^ipi-flood: foreign (\d+) tried, (\d+) refused, violations (\d+)$")
        assert m, "no ipi-flood foreign line; " + excerpt(att, title="fuzzer log")
        tried, refused, bad = (int(x) for x in m[-1].groups())
        assert tried >= 60 and refused == tried and bad == 0, \
            f"foreign hart masks: {tried} tried, {refused} refused; " + \
            "; ".join(l for l in att if "violation" in l)
        FIGURES.setdefault(s.config, {})["ipi_foreign_refused"] = refused

    def t_ipi_flood():
        att = s.attacker()
        m = matching(att, r"^ipi-flood: flood (\d+) IPIs and (\d+) remote fences in (\d+) us, "
                          r"errors (\d+), vhart 1 took (\d+) software interrupts$")
        assert m, "no ipi-flood flood line; " + excerpt(att, title="fuzzer log")
        ipis, fences, us, errors, took = (int(x) for x in m[-1].groups())
        assert errors == 0, f"{errors} errors flooding the cell's own harts"
        assert took > 0, "vhart 1 took no software interrupt"
        FIGURES.setdefault(s.config, {}).update(
            {"ipi_flood": ipis, "rfence_flood": fences, "flood_us": us, "vhart1_took": took})

    def t_spoof():
        raw = s.raw()
        att = s.attacker()
        assert_line(att, r"^spoof: done$", "fuzzer log")
        for needle in ("tick 999999", "tick 888888", "spoofed"):
            lines = [l for l in raw if needle in l]
            assert lines, f"spoofed text {needle!r} never came out"
            untagged = [l for l in lines if not l.startswith(f"[{s.cell}] ")]
            assert not untagged, f"spoofed line not tagged [{s.cell}]: {untagged[0]!r}"
        assert_no_line(s.victim(), r"999999|888888|spoofed|changed 4096", "victim log")
        assert_no_line(s.r().hypervisor, r"spoofed|FAULT cell=victim|cell victim: stopped",
                       "hypervisor log")

    def t_steal():
        att = s.attacker()
        assert_line(att, r"^steal-input: got 0 bytes$", "fuzzer log (input typed to the victim)")
        assert_line(s.victim(), r"^echo: secret-input$", "victim log")

    def t_stop_policy():
        r = s.r()
        reports = s.reports()
        assert len(reports) == 1 and reports[0]["cause"] == CAUSE_FETCH \
            and reports[0]["gpa"] == 0x80000000, f"fault reports of the fuzzer: {reports}"
        assert_line(r.hypervisor, r"^\[bulkhead\] FAULT policy=stop$", "hypervisor log")
        assert_line(r.hypervisor, r"^\[bulkhead\] cell fuzzer: stopped \(fault\)$",
                    "hypervisor log")
        assert s.restarts() == 0, "the fuzzer cell was restarted under fault-policy stop"
        att = s.attacker()
        end = max(i for i, l in enumerate(att) if l.startswith("crash-end:"))
        assert end == len(att) - 1, f"the fuzzer printed after its fault: {att[end + 1:][:3]}"
        enters = [l for l in r.hypervisor if "cell fuzzer: virtual hart 0" in l]
        assert len(enters) == 1, f"the fuzzer cell was entered {len(enters)} times"

    return [
        ("sbi_fuzz_no_spec_violation", t_fuzz),
        ("ipi_foreign_harts_refused", t_ipi_foreign),
        ("ipi_flood_own_harts", t_ipi_flood),
        ("console_spoofing_stays_tagged", t_spoof),
        ("console_input_not_stolen", t_steal),
        ("fault_policy_stop", t_stop_policy),
    ]


# ---------------------------------------------------------------- priv

GUEST_CAUSE = {"ebreak": 3}     # every other "guest" op: illegal instruction, 2


def priv_tests(s):
    def points():
        out = []
        for i, text in tagged(s.raw(), s.cell):
            m = re.match(r"^priv-point (\d+) (\S+) pc (0x[0-9a-f]+) expect (\S+)$", text)
            if m:
                out.append({"k": int(m.group(1)), "name": m.group(2), "pc": int(m.group(3), 16),
                            "expect": m.group(4), "at": i})
        return out

    def results():
        res = {}
        for text in s.attacker():
            m = re.match(r"^priv-result (\d+) \S+ (?:scause (\d+) stval \S+|(completed))$", text)
            if m:
                res[int(m.group(1))] = "completed" if m.group(3) else int(m.group(2))
        return res

    def outcome(kind):
        pts = [p for p in points() if p["expect"] == kind]
        assert pts, f"no priv point expecting {kind}; " + excerpt(s.attacker(), title="priv log")
        return pts, results(), s.reports(), s.raw()

    def next_at(p, pts_all, raw):
        later = [q["at"] for q in pts_all if q["at"] > p["at"]]
        return later[0] if later else len(raw)

    def t_guest():
        pts, res, reports, raw = outcome("guest")
        bad = []
        for p in pts:
            want = GUEST_CAUSE.get(p["name"], 2)
            if res.get(p["k"]) != want:
                bad.append(f"{p['name']}: {res.get(p['k'])}, want scause {want}")
            if [r for r in reports if p["at"] < r["at"] < next_at(p, points(), raw)]:
                bad.append(f"{p['name']}: reached the hypervisor")
        assert not bad, "delegated exceptions: " + "; ".join(bad)
        FIGURES.setdefault(s.config, {})["guest_traps"] = len(pts)

    def t_allowed():
        pts, res, _, _ = outcome("none")
        bad = [p["name"] for p in pts if res.get(p["k"]) != "completed"]
        assert not bad, f"allowed in VS-mode but trapped: {bad}"

    def t_virtual():
        pts, res, reports, raw = outcome("hyp")
        bad = []
        for p in pts:
            mine = [r for r in reports if p["at"] < r["at"] < next_at(p, points(), raw)]
            if p["k"] in res:
                bad.append(f"{p['name']}: {res[p['k']]} in the guest")
            elif len(mine) != 1 or mine[0]["cause"] != CAUSE_VIRT or mine[0]["sepc"] != p["pc"]:
                bad.append(f"{p['name']}: reports {[(r['cause'], r['sepc']) for r in mine]}, "
                           f"want cause 22 at {p['pc']:#x}")
        assert not bad, "virtual-instruction faults: " + "; ".join(bad)
        assert s.restarts() == len(reports), \
            f"{len(reports)} fault reports but {s.restarts()} restarts"
        FIGURES.setdefault(s.config, {}).update(
            {"virtual_insn_faults": len(pts), "faults_survived": len(reports),
             "restarts": s.restarts()})

    def t_walk():
        pts, res, reports, raw = outcome("hyp-or-guest")
        for p in pts:
            mine = [r for r in reports if p["at"] < r["at"] < next_at(p, points(), raw)]
            ok_fault = len(mine) == 1 and mine[0]["cause"] == CAUSE_LOAD and \
                mine[0]["gpa"] == 0x0c000000
            ok_guest = res.get(p["k"]) == 13
            assert ok_fault or ok_guest, (
                f"{p['name']}: the guest's page-table walk read a PTE at gpa 0xc000000 (the "
                f"virtual PLIC); want a fault report (cause 21, gpa 0xc000000) or the guest's own "
                f"load page fault (13), got {res.get(p['k'])} and reports "
                f"{[(r['cause'], r['gpa']) for r in mine]} (the hypervisor emulated the "
                f"instruction's load at the PTE's address)")

    return [
        ("priv_illegal_delegated_to_guest", t_guest),
        ("priv_allowed_instructions_complete", t_allowed),
        ("priv_virtual_instruction_faults", t_virtual),
        ("priv_page_table_walk_into_vplic", t_walk),
    ]


# ---------------------------------------------------------------- crash

CRASH_EXPECT = {  # name: (cause, gpa, vhart of the (first) report)
    "jump-victim-entry": (CAUSE_FETCH, 0x80200000, 0),
    "jump-vuart": (CAUSE_FETCH, 0x10000000, 0),
    "stack-below-ram": (CAUSE_STORE, 0xfffffff8, 0),
    "second-hart-crash": (CAUSE_FETCH, 0x88200000, 1),
    "storm": (CAUSE_FETCH, 0x0, 0),
}


def crash_tests(s):
    def points():
        out = []
        for i, text in tagged(s.raw(), s.cell):
            m = re.match(r"^crash-point (\d+) (\S+) target (0x[0-9a-f]+)$", text)
            if m:
                out.append({"k": int(m.group(1)), "name": m.group(2), "at": i})
        return out

    def per_point():
        raw = s.raw()
        pts = points()
        restart_at = [i for i, l in enumerate(raw)
                      if l == f"[bulkhead] cell {s.cell}: restarting (fault)"]
        reports = s.reports()
        out = []
        for k, p in enumerate(pts):
            nxt = pts[k + 1]["at"] if k + 1 < len(pts) else len(raw)
            out.append((p, [r for r in reports if p["at"] < r["at"] < nxt],
                        [i for i in restart_at if p["at"] < i < nxt]))
        return out

    def t_points():
        bad = []
        for p, reps, rs in per_point():
            if p["name"] == "hang":
                if reps or rs:
                    bad.append(f"hang: {len(reps)} faults, {len(rs)} restarts")
                continue
            if len(rs) != 1:
                bad.append(f"{p['k']} {p['name']}: {len(rs)} restarts, want 1")
            if p["name"] == "both-harts-crash":
                if not 1 <= len(reps) <= 2 or any(r["cause"] != CAUSE_FETCH for r in reps):
                    bad.append(f"both-harts-crash: reports {reps}")
                continue
            cause, gpa, vhart = CRASH_EXPECT[p["name"]]
            if len(reps) != 1 or (reps[0]["cause"], reps[0]["gpa"], reps[0]["vhart"]) != \
                    (cause, gpa, vhart):
                got = [(r["cause"], r["gpa"], r["vhart"]) for r in reps]
                bad.append(f"{p['k']} {p['name']}: reports (cause, gpa, vhart) {got}, want "
                           f"{[(cause, gpa, vhart)]}")
        assert not bad, f"{len(bad)} crash points wrong:\n" + "\n".join("    " + b for b in bad[:20])

    def t_storm():
        pts = points()
        storm = [p for p in pts if p["name"] == "storm"]
        assert len(storm) >= 50, f"{len(storm)} storm boots, want >= 50"
        assert pts[-1]["name"] == "hang", f"the crasher did not reach its hang: {pts[-1:]}"
        FIGURES.setdefault(s.config, {}).update(
            {"crash_points": len(pts) - 1, "storm_restarts": len(storm),
             "faults_survived": len(s.reports()), "restarts": s.restarts()})

    def t_sequence():
        pts = points()
        ks = [p["k"] for p in pts]
        assert ks == list(range(len(ks))), f"crash points not one per boot in order: {ks}"
        assert pts and pts[-1]["name"] == "hang", \
            "the crasher never reached its last point (a restart was lost?); " + \
            excerpt(s.r().hypervisor, title="hypervisor log")

    def t_second_hart():
        both = [reps for p, reps, _ in per_point() if p["name"] == "both-harts-crash"]
        second = [reps for p, reps, _ in per_point() if p["name"] == "second-hart-crash"]
        assert second and second[0] and second[0][0]["vhart"] == 1, \
            f"second-hart-crash reports: {second}"
        assert len(both) >= 8 and all(both), f"both-harts-crash rounds: {both}"
        FIGURES.setdefault(s.config, {}).update(
            {"both_harts_rounds": len(both),
             "both_harts_concurrent": sum(1 for b in both if len(b) == 2)})

    def t_hang_costs_nothing():
        st = [x for x in stats_lines(s.r().hypervisor, "request", s.cell)]
        by_hart = {}
        for x in st:
            by_hart.setdefault(x["hart"], []).append(x["exits"])
        assert set(by_hart) == {1, 2} and all(len(v) >= 2 for v in by_hart.values()), \
            f"want two statistics requests for harts 1 and 2: {by_hart}"
        moved = {h: v for h, v in by_hart.items() if v[-1] != v[-2]}
        assert not moved, f"hung harts still exit: {moved}"

    def t_pristine():
        # Every boot after the first checks the marker its previous run wrote
        # into its image and DTB (cells/hostile/pristine.c): a restart that
        # leaves the crashed run's memory in place shows as "stale".
        att = s.attacker()
        stale = [l for l in att if re.match(r"^pristine: boot \d+ (image|dtb) stale", l)]
        assert not stale, (f"{len(stale)} restarts left the crashed run's memory in place "
                           f"instead of the pristine image and DTB, first: {stale[0]!r}")
        summary = matching(att, r"^pristine: boots (\d+) checked (\d+) stale (\d+)$")
        assert summary, "no pristine summary line; " + excerpt(att, title="crasher log")
        boots, checked, bad = (int(x) for x in summary[-1].groups())
        assert bad == 0, f"{bad} boots found stale image or DTB memory"
        assert checked == boots - 1 == s.restarts() and checked >= 50, (
            f"pristine checks on {checked} boots of {boots}, restarts {s.restarts()}: want one "
            f"check per restart, at least 50")
        FIGURES.setdefault(s.config, {})["pristine_restarts_checked"] = checked

    return [
        ("crash_points_in_order_until_hang", t_sequence),
        ("crash_restart_restores_pristine_image_and_dtb", t_pristine),
        ("crash_each_point_one_report_one_restart", t_points),
        ("crash_restart_storm", t_storm),
        ("crash_second_and_both_harts", t_second_hart),
        ("crash_hang_takes_no_exits", t_hang_costs_nothing),
    ]


# ---------------------------------------------------------------- collect

# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*/victim_ticks_before_during_after": ["ISO-CELL-1"],
    "*/victim_echoes_after_attack": ["ISO-CELL-1"],
    "*/victim_log_own_and_single_boot": ["ISO-CELL-1"],
    "*/victim_memory_unchanged": ["ISO-MEM-2"],
    "*/hypervisor_log_clean": ["BOOT-1"],
    "memprobe/run_completed": ["ISO-MEM-1", "ISO-DEV-1"],
    "memprobe/memprobe_every_point_once": ["ISO-MEM-1", "ISO-DEV-1"],
    "memprobe/memprobe_fault_reports_match_accesses": ["ISO-MEM-1", "ISO-DEV-1", "ISO-DEV-3", "FLT-1"],
    "memprobe/memprobe_one_restart_per_fault": ["FLT-3"],
    "memprobe/memprobe_foreign_vplic_access_counted": ["ISO-DEV-2"],
    "memprobe/memprobe_legacy_shutdown_stops_only_its_cell": ["SBI-SRST-1", "SBI-SRST-2"],
    "memprobe/memprobe_sbi_buffers_checked_whole": ["SBI-DBCN-1"],
    "sbi/run_completed": ["SBI-SPEC-1"],
    "sbi/sbi_fuzz_no_spec_violation": ["SBI-SPEC-1"],
    "sbi/ipi_foreign_harts_refused": ["SBI-HART-1"],
    "sbi/ipi_flood_own_harts": ["SBI-IPI-1"],
    "sbi/console_spoofing_stays_tagged": ["CON-1"],
    "sbi/console_input_not_stolen": ["CON-5"],
    "sbi/fault_policy_stop": ["FLT-2"],
    "priv/run_completed": ["ISO-PRIV-1"],
    "priv/priv_*": ["ISO-PRIV-1"],
    "priv/priv_virtual_instruction_faults": ["FLT-1"],
    "priv/priv_page_table_walk_into_vplic": ["FLT-1"],
    "crash/run_completed": ["FLT-3"],
    "crash/crash_points_in_order_until_hang": ["FLT-1", "FLT-3"],
    "crash/crash_each_point_one_report_one_restart": ["FLT-1", "FLT-3"],
    "crash/crash_restart_storm": ["FLT-3"],
    "crash/crash_restart_restores_pristine_image_and_dtb": ["FLT-3", "FLT-8"],
    "crash/crash_second_and_both_harts": ["FLT-3"],
    "crash/crash_hang_takes_no_exits": ["FLT-6"],
    "figures": ["EVD-5"],
}


def collect(ctx):
    tests = []
    extra = {"hostile-memprobe": memprobe_tests, "hostile-sbi": sbi_tests,
             "hostile-priv": priv_tests, "hostile-crash": crash_tests}
    systems = []
    for config in SYSTEMS:
        s = System(ctx, config)
        systems.append(s)
        short = config[len("hostile-"):]
        for name, fn in common_tests(s) + extra[config](s):
            tests.append((f"{short}/{name}", fn))

    def t_figures():
        path = os.path.join(ctx.build, "hostile-figures.txt")
        for s in systems:
            s.r()  # every run done
        with open(path, "w") as f:
            json.dump(FIGURES, f, indent=1, sort_keys=True)
            f.write("\n")
        assert FIGURES, "no figures collected"

    tests.append(("figures", t_figures))
    return tests
