# SPDX-License-Identifier: Apache-2.0
"""System tests: the shared console and restart storms under attack.

Two systems, each built beforehand with `make CONFIG=<name>` and booted once:

  hostile-console  attacker (cells/hostile/conattack.c, harts 0 and 2: the
                   machine's lowest hart, where the UART's receive interrupt
                   used to be pinned) next to the victim (hart 1) and a spare
                   rtos-contract cell (hart 3). The attacker runs one attack per
                   letter typed to it, so the test types to the victim while
                   each attack runs: forged control sequences and invalid
                   UTF-8, a 2000-character line, a DBCN flood from both harts,
                   spinning with interrupts off, hammering its vPLIC and vUART,
                   hart_suspend calls, hart_stop, SRST shutdown.
  hostile-storm    a cell that faults on its first store on every boot, under
                   configs/hostile-storm.defconfig (back-off from 200 ms,
                   stopped after 5 restarts within 60 s, one full report per s).

What must hold (README "Isolation guarantees", docs/faults.md): no byte of
the physical console can move the cursor or forge another cell's line, a
backspace never reaches back over a tag, long lines stay one line, a flood
delays nobody else's lines or input, the flooder's own output is dropped and
counted, input typed to one cell costs the other cells no interrupt, the
victim gets its input whatever the attacker does on its hart, and a restart
storm backs off, is reported at a bounded rate and ends in a stopped cell.
"""

import os
import re
import subprocess

import bhtest
from bhtest import excerpt
from bulkhead_run.stats import stats_lines

VICTIM = "victim"
TICK = r"^tick (\d+)$"
CHECKSUM = re.compile(r"^checksum (0x[0-9a-f]+) changed (\d+) ssi (\d+) lat-max-us (\d+)$")
TYPED = "abcdefghijklmnopqrstuvwxyz0123456789"
LONG = "".join(chr(ord("a") + i % 26) for i in range(2000))
FLOOD_LATENCY_US = 250_000   # a victim tick may be late by this much during the flood
CONSOLE_SECONDS = 120
STORM_SECONDS = 60
FIGURES = {}

CONSOLE_SCRIPT = [
    rf"wait-for {VICTIM} ^tick 2$ 40",
    r"wait-for attacker ^conattack: ready$ 40",
    f"at 0.2 {VICTIM} before",
    rf"wait-for {VICTIM} ^echo: before$ 8",
    # Input typed to the victim: the attacker's and the spare's harts take no interrupt.
    "at 0.2 hyp s",
    r"wait-for hyp stats request cell=spare 8",
    f"at 0.2 {VICTIM} {TYPED}",
    rf"wait-for {VICTIM} ^echo: {TYPED}$ 8",
    "at 0.2 hyp s",
    r"wait-for hyp stats request cell=spare 8",
    "at 0.2 attacker f",
    r"wait-for attacker ^forge: done$ 15",
    "at 0.2 attacker F",
    r"wait-for attacker ^flood: start$ 8",
    f"at 1 {VICTIM} during-flood",
    rf"wait-for {VICTIM} ^echo: during-flood$ 10",
    r"wait-for attacker ^flood: done 25",
    "at 0.5 hyp s",
    r"wait-for hyp stats request cell=spare 8",
] + [line for attack, name in (("i", "irqoff"), ("h", "hammer"), ("s", "suspend"))
     for line in (f"at 0.2 attacker {attack}",
                  rf"wait-for attacker ^{name}: start$ 8",
                  f"at 0.5 {VICTIM} during-{name}",
                  rf"wait-for {VICTIM} ^echo: during-{name}$ 10",
                  rf"wait-for attacker ^{name}: done 10")] + [
    "at 0.2 attacker x",
    r"wait-for attacker ^stop: start$ 8",
    f"at 0.5 {VICTIM} after-stop",
    rf"wait-for {VICTIM} ^echo: after-stop$ 10",
    r"wait-for attacker ^reset: start$ 10",
    r"wait-for hyp cell attacker: stopped \(SBI system reset: shutdown\) 10",
    f"at 0.5 {VICTIM} after-reset",
    rf"wait-for {VICTIM} ^echo: after-reset$ 10",
    # The focus visits the spare and comes back: input typed to the spare
    # must cost the victim's hart nothing, and input typed to the victim
    # afterwards the spare's hart nothing (each UART enable went away).
    "at 0.2 spare ping",
    r"wait-for spare ^echo: ping$ 8",
    "at 0.2 hyp s",
    r"wait-for hyp stats request cell=spare 8",
    "at 0.2 spare pong",
    r"wait-for spare ^echo: pong$ 8",
    "at 0.2 hyp s",
    r"wait-for hyp stats request cell=spare 8",
    f"at 0.2 {VICTIM} back",
    rf"wait-for {VICTIM} ^echo: back$ 8",
    "at 0.2 hyp s",
    r"wait-for hyp stats request cell=spare 8",
    f"at 0.2 {VICTIM} after-focus-back",
    rf"wait-for {VICTIM} ^echo: after-focus-back$ 8",
    "at 0.2 hyp s",
    r"wait-for hyp stats request cell=spare 8",
    # Two victim ticks after the reset: the other cells run on (and the spare ticks).
    rf"wait-for {VICTIM} {TICK} 5",
    rf"wait-for {VICTIM} {TICK} 5",
]

STORM_SCRIPT = [
    rf"wait-for {VICTIM} ^tick 1$ 40",
    "at 0 storm x",
    f"at 0.5 {VICTIM} during-storm",
    rf"wait-for {VICTIM} ^echo: during-storm$ 10",
    r"wait-for hyp cell storm: stopped for good 40",
    f"at 0.5 {VICTIM} after-storm",
    rf"wait-for {VICTIM} ^echo: after-storm$ 10",
]


def ticks_after_script(r):
    v = r.cells[VICTIM]
    return r.script_done and sum(1 for l in v[-6:] if re.match(TICK, l)) >= 2


def stats(hyp, reason="request"):
    """Every statistics round: a list of {(cell, hart): counters} in order."""
    rounds, current, seen = [], {}, set()
    for st in stats_lines(hyp, reason):
        key = (st.cell, st.hart)
        if key in seen:
            rounds.append(current)
            current, seen = {}, set()
        seen.add(key)
        current[key] = {"exits": st.exits, **st.counters}
    if current:
        rounds.append(current)
    return rounds


def raw_index(raw, cell, regex):
    pre = f"[{cell}] "
    for i, line in enumerate(raw):
        if line.startswith(pre) and re.search(regex, line[len(pre):]):
            return i
    raise AssertionError(f"no {cell} line matches /{regex}/")


def physical_lines(path):
    with open(path, "rb") as f:
        return f.read().split(b"\r\n")


class Run:
    def __init__(self, ctx, config, seconds, script):
        self.config, self.seconds, self.script = config, seconds, script
        self.build = os.path.join(ctx.build, config)
        self.run = bhtest.CachedRun(self._boot)

    def _boot(self):
        bhtest.require_build(self.build, self.config)
        return bhtest.run_headless(self.build, self.seconds, self.script, stop_when=ticks_after_script)

    def r(self):
        r = self.run.get()
        assert r.script_error is None, f"input script: {r.script_error}; see {r.logs_dir}"
        return r


def console_tests(s):
    def t_typing_costs_others_nothing():
        rounds = stats(s.r().hypervisor)
        assert len(rounds) >= 2, f"expected statistics rounds, got {len(rounds)}"
        before, after = rounds[0], rounds[1]
        for key in before:
            if key[0] == VICTIM:
                continue
            d = after[key].get("irq_external", 0) - before[key].get("irq_external", 0)
            assert d == 0, (f"typing {len(TYPED) + 1} characters to the victim cost {key[0]} "
                            f"(hart {key[1]}) {d} external interrupt exit(s)")
        vkey = next(k for k in before if k[0] == VICTIM)
        d = after[vkey].get("irq_external", 0) - before[vkey].get("irq_external", 0)
        assert d >= 1, f"the victim's hart took {d} UART interrupts for its own input"
        FIGURES["input_exits_on_other_cells"] = 0

    def t_previous_focus_keeps_no_input_interrupt():
        rounds = stats(s.r().hypervisor)
        # The statistics rounds the script asks for before the focus visits the spare.
        k = sum(1 for line in CONSOLE_SCRIPT[:CONSOLE_SCRIPT.index("at 0.2 spare ping")]
                if re.match(r"^at \S+ hyp s$", line))
        assert len(rounds) >= k + 4, f"expected {k + 4} statistics rounds, got {len(rounds)}"

        def cost(before, after, cell):
            key = next(k for k in before if k[0] == cell)
            return after[key].get("irq_external", 0) - before[key].get("irq_external", 0)

        # rounds k -> k+1: "pong" typed to the spare after the focus left the victim;
        # rounds k+2 -> k+3: "after-focus-back" typed to the victim after it left the spare.
        for (b, a), typed_to, other in (((k, k + 1), "spare", VICTIM),
                                        ((k + 2, k + 3), VICTIM, "spare")):
            d = cost(rounds[b], rounds[a], other)
            assert d == 0, (f"input typed to {typed_to} after the focus left {other} cost "
                            f"{other}'s hart {d} external interrupt exit(s): its UART enable stayed")
            d = cost(rounds[b], rounds[a], typed_to)
            assert d >= 1, f"{typed_to}'s hart took {d} UART interrupts for its own input"

    def t_no_control_reaches_the_terminal():
        raw = b"\r\n".join(physical_lines(os.path.join(s.r().logs_dir, "console.raw.log")))
        start = raw.find(b"[bulkhead] ")  # OpenSBI's banner before it is not a cell's
        body = raw[start:]
        for bad, what in ((b"\x1b", "ESC"), (b"\x9b", "raw CSI"), (b"\xc2\x9b", "UTF-8 CSI"),
                          (b"\x07", "BEL"), (b"\x7f", "DEL"), (b"\x00", "NUL")):
            assert bad not in body, f"{what} reached the physical console"
        assert body.replace(b"\r\n", b"").find(b"\r") < 0, "a bare CR reached the physical console"
        body.decode("utf-8")  # raises on invalid UTF-8

    def t_backspace_never_reaches_a_tag():
        worst = None
        for line in physical_lines(os.path.join(s.r().logs_dir, "console.raw.log")):
            m = re.match(rb"^\[[^\]\s]+\]\+? ", line)
            if not m:
                continue
            col, tag = 0, len(m.group(0))
            for b in line[tag:].decode("utf-8", "replace"):
                col = col - 1 if b == "\b" else col + 1
                assert col >= 0, f"backspaces reach into the tag of {line[:60]!r}"
            worst = line if b"bs:" in line else worst
        assert worst is not None and b"\b\b\b" in worst and b"\b\b\b\b" not in worst, \
            f"the 'bs:' line should keep exactly its 3 own backspaces: {worst!r}"

    def t_forgeries_stay_in_the_attackers_lines():
        r = s.r()
        for forged in ("777777", "666666", "555555", "444444"):
            assert not any(forged in l for l in r.cells[VICTIM]), f"tick {forged} reached the victim's log"
            assert any(forged in l for l in r.cells["attacker"]), f"the attacker's line with {forged} is lost"
        st = stats(r.hypervisor)[-1]
        replaced = sum(c.get("console_replaced", 0) for (cell, _), c in st.items() if cell == "attacker")
        assert replaced >= 10, f"console_replaced={replaced} for the attacker"
        FIGURES["console_replaced"] = replaced

    def t_long_line_stays_one_line():
        r = s.r()
        assert f"long:{LONG}:end" in r.cells["attacker"], "the 2000-character line did not arrive whole"
        for line in physical_lines(os.path.join(r.logs_dir, "console.raw.log")):
            if line.startswith(b"[attacker] ") and b"long:" not in line:
                assert not re.match(rb"^\[attacker\] [a-z]{20}", line), \
                    f"a piece of the long line got a new-line tag: {line[:50]!r}"

    def t_flood_delays_no_one():
        r = s.r()
        a = raw_index(r.raw, "attacker", r"^flood: start$")
        b = raw_index(r.raw, "attacker", r"^flood: done")
        lat = [int(CHECKSUM.match(l[len("[victim] "):]).group(4)) for l in r.raw[a:b + 3]
               if l.startswith("[victim] ") and CHECKSUM.match(l[len("[victim] "):])]
        ticks = [l for l in r.raw[a:b] if l.startswith("[victim] tick ")]
        assert len(ticks) >= 6, f"only {len(ticks)} victim ticks during the 8 s flood"
        assert lat and max(lat) <= FLOOD_LATENCY_US, f"victim tick latency during the flood: {lat} us"
        quiet = [int(CHECKSUM.match(l).group(4)) for l in r.cells[VICTIM][:8] if CHECKSUM.match(l)]
        FIGURES["victim_ticks_during_flood"] = len(ticks)
        FIGURES["victim_lat_max_us_flood"] = max(lat)
        FIGURES["victim_lat_max_us_before"] = max(quiet) if quiet else None

    def t_flood_is_dropped_and_counted():
        r = s.r()
        st = stats(r.hypervisor)[2]
        dropped = sum(c.get("console_dropped", 0) for (cell, _), c in st.items() if cell == "attacker")
        assert dropped > 0, "the flood dropped nothing: no output budget"
        assert any(re.search(r"console: cell attacker over its output budget, \d+ bytes dropped", l)
                   for l in r.hypervisor), "no note of the dropped bytes"
        got = sum(len(l) + 1 for l in r.cells["attacker"] if re.fullmatch(r"[01]+", l))
        # CONFIG_CONSOLE_CELL_BURST 65536 + 8 s at CONFIG_CONSOLE_CELL_RATE 16384 B/s, and slack
        assert got <= 65536 + 9 * 16384, f"the flooder printed {got} bytes, over its budget"
        FIGURES["flood_bytes_printed"] = got
        FIGURES["flood_bytes_dropped"] = dropped

    def t_victim_ticks_throughout():
        v = s.r().cells[VICTIM]
        n = [int(re.match(TICK, l).group(1)) for l in v if re.match(TICK, l)]
        assert n and n == list(range(n[0], n[0] + len(n))), "victim ticks have a gap: " + str(n)
        changed = [int(CHECKSUM.match(l).group(2)) for l in v if CHECKSUM.match(l)]
        assert changed and not any(changed), f"victim memory changed: {changed}"

    def t_srst_shutdown_stops_only_its_cell():
        # The attacker's last act is an SRST shutdown: it must stop that cell
        # alone (never reach the firmware, which would power the machine
        # off), and the victim and the spare must keep running after it.
        r = s.r()
        raw = r.raw
        stop = [i for i, l in enumerate(raw)
                if l == "[bulkhead] cell attacker: stopped (SBI system reset: shutdown)"]
        assert len(stop) == 1, (f"{len(stop)} lines 'cell attacker: stopped (SBI system reset: "
                                f"shutdown)', want 1; " + excerpt(r.hypervisor, title="hypervisor log"))
        start = raw_index(raw, "attacker", r"^reset: start$")
        assert start < stop[0], "the attacker stopped before its SRST call"
        after = [l for l in raw[start + 1:] if l.startswith("[attacker]")]
        assert not after, f"the attacker ran on after its SRST shutdown: {after[:3]}"
        for cell, want in ((VICTIM, 1), ("spare", 1)):
            ticks = [l for l in raw[stop[0] + 1:]
                     if l.startswith(f"[{cell}] ") and re.match(TICK, l[len(cell) + 3:])]
            assert len(ticks) >= want, (f"{cell} printed {len(ticks)} ticks after the attacker's "
                                        f"SRST shutdown, want >= {want} (the machine went down?)")
        assert raw_index(raw, VICTIM, r"^echo: after-reset$") > stop[0]

    return [("console/input_costs_other_cells_nothing", t_typing_costs_others_nothing),
            ("console/srst_shutdown_stops_only_its_cell", t_srst_shutdown_stops_only_its_cell),
            ("console/previous_focus_keeps_no_input_interrupt",
             t_previous_focus_keeps_no_input_interrupt),
            ("console/no_control_reaches_the_terminal", t_no_control_reaches_the_terminal),
            ("console/backspace_never_reaches_a_tag", t_backspace_never_reaches_a_tag),
            ("console/forgeries_stay_in_the_attackers_lines", t_forgeries_stay_in_the_attackers_lines),
            ("console/long_line_stays_one_line", t_long_line_stays_one_line),
            ("console/flood_delays_no_one", t_flood_delays_no_one),
            ("console/flood_is_dropped_and_counted", t_flood_is_dropped_and_counted),
            ("console/victim_ticks_throughout", t_victim_ticks_throughout)]


def storm_tests(s):
    def boots():
        out = []
        for l in s.r().cells["storm"]:
            m = re.match(r"^storm: boot (\d+) at (\d+)$", l)
            if m:
                out.append((int(m.group(1)), int(m.group(2))))
        return out

    def t_backs_off():
        b = boots()
        assert [n for n, _ in b] == list(range(1, 7)), f"boots seen: {[n for n, _ in b]}"
        gaps_ms = [(b[i + 1][1] - b[i][1]) / 10_000 for i in range(len(b) - 1)]
        for i, (gap, want) in enumerate(zip(gaps_ms[1:], (200, 400, 800, 1600))):
            assert gap >= want, f"restart {i + 2} came {gap:.0f} ms after the boot before, back-off is {want} ms"
        FIGURES["storm_gaps_ms"] = [round(g) for g in gaps_ms]

    def t_stopped_after_limit():
        hyp = s.r().hypervisor
        stops = [l for l in hyp if "cell storm: stopped for good" in l]
        assert stops == ["[bulkhead] cell storm: stopped for good: 5 restarts within 60 s "
                         "(CONFIG_RESTART_LIMIT 5)"], f"stop lines: {stops}"
        assert not any(re.match(r"^storm: boot 7 ", l) for l in s.r().cells["storm"]), "booted after the stop"

    def t_reports_rate_limited():
        hyp = s.r().hypervisor
        full = [l for l in hyp if re.match(r"^\[bulkhead\] FAULT cell=storm hart=", l)]
        suppressed = [int(m.group(1)) for l in hyp
                      for m in [re.match(r"^\[bulkhead\] FAULT cell=storm: (\d+) reports suppressed", l)] if m]
        assert suppressed, "no report was suppressed in a storm of 6 faults within ~3 s"
        assert len(full) + sum(suppressed) <= 6 and len(full) < 6, \
            f"{len(full)} full reports and {sum(suppressed)} suppressed for 6 faults"
        FIGURES["storm_reports_printed"] = len(full)
        FIGURES["storm_reports_suppressed"] = sum(suppressed)

    def t_victim_unaffected():
        v = s.r().cells[VICTIM]
        n = [int(re.match(TICK, l).group(1)) for l in v if re.match(TICK, l)]
        assert n and n == list(range(n[0], n[0] + len(n))), "victim ticks have a gap: " + str(n)
        assert "echo: after-storm" in v, excerpt(v, title="victim log")

    return [("storm/backs_off", t_backs_off), ("storm/stopped_after_limit", t_stopped_after_limit),
            ("storm/reports_rate_limited", t_reports_rate_limited),
            ("storm/victim_unaffected", t_victim_unaffected)]


def icache_test(ctx):
    def t_vcpu_reset_syncs_icache():
        elf = os.path.join(ctx.build, "hostile-storm", "bulkhead.elf")
        bhtest.require_build(os.path.dirname(elf), "hostile-storm")
        out = subprocess.run(["riscv64-unknown-elf-objdump", "-d", "--no-show-raw-insn", elf],
                             capture_output=True, text=True, check=True).stdout
        body = re.search(r"<arch_vcpu_reset>:\n(.*?)\n\n", out, re.S)
        assert body, "arch_vcpu_reset not found in bulkhead.elf"
        assert re.search(r"\bfence\.i\b", body.group(1)), \
            "arch_vcpu_reset does not synchronise the entering hart's instruction fetches (fence.i)"
    return [("icache/vcpu_reset_syncs_icache", t_vcpu_reset_syncs_icache)]


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "console/input_costs_other_cells_nothing": ["CON-6"],
    "console/previous_focus_keeps_no_input_interrupt": ["CON-6"],
    "console/no_control_reaches_the_terminal": ["CON-2"],
    "console/backspace_never_reaches_a_tag": ["CON-3"],
    "console/forgeries_stay_in_the_attackers_lines": ["CON-1"],
    "console/long_line_stays_one_line": ["CON-1"],
    "console/flood_*": ["CON-4"],
    "console/victim_ticks_throughout": ["ISO-CELL-1"],
    "console/srst_shutdown_stops_only_its_cell": ["SBI-SRST-1", "SBI-SRST-2"],
    "storm/backs_off": ["FLT-4"],
    "storm/stopped_after_limit": ["FLT-4"],
    "storm/reports_rate_limited": ["FLT-5"],
    "storm/victim_unaffected": ["ISO-CELL-1"],
    "icache/vcpu_reset_syncs_icache": ["FLT-7"],
    "figures": ["EVD-5"],
}


def collect(ctx):
    console = Run(ctx, "hostile-console", CONSOLE_SECONDS, CONSOLE_SCRIPT)
    storm = Run(ctx, "hostile-storm", STORM_SECONDS, STORM_SCRIPT)

    def t_figures():
        path = os.path.join(ctx.build, "hostile-console-figures.txt")
        with open(path, "w", encoding="utf-8") as f:
            for k, v in sorted(FIGURES.items()):
                f.write(f"{k} {v}\n")

    return console_tests(console) + storm_tests(storm) + icache_test(ctx) + [("figures", t_figures)]
