# SPDX-License-Identifier: Apache-2.0
"""The parser of the hypervisor's statistics line (tools/bulkhead_run/stats.py), which the
system tests and the benchmark share, on lines in the format src/core/stats.c prints."""

import importlib.util
import os

from bhtest import ROOT
from bulkhead_run.stats import Stats, parse_stats, stats_lines

# As the runner keeps them in RunResult.hypervisor: tagged, one hart per line, zero counters left out.
REQUEST_LINUX_0 = "[bulkhead] stats request cell=linux hart=1 vhart=0 exits=5120 sbi_time=812 irq_timer=811 mmio_vuart=3"
REQUEST_LINUX_1 = "[bulkhead] stats request cell=linux hart=2 vhart=1 exits=77"
REQUEST_RTOS = "[bulkhead] stats request cell=rtos hart=3 vhart=0 exits=9 sbi_dbcn=4 fault=1"
RESTART_RTOS = "[bulkhead] stats restart cell=rtos hart=3 vhart=0 exits=12 restart=1"


VERIFIES = {
    "*": ["IRQ-3", "TOOL-RUN-2"],
}

def _bench_parse():
    """tools/bench/parse.py, loaded by path (the bench puts tools/bench itself on sys.path)."""
    spec = importlib.util.spec_from_file_location("bench_parse", os.path.join(ROOT, "tools", "bench", "parse.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def t_fields():
    s = parse_stats(REQUEST_LINUX_0)
    assert s == Stats("request", "linux", 1, 0, 5120, {"sbi_time": 812, "irq_timer": 811, "mmio_vuart": 3}), s


def t_no_counters():
    s = parse_stats(REQUEST_LINUX_1)
    assert s is not None and s.exits == 77 and s.vhart == 1 and s.counters == {}, s


def t_untagged():
    s = parse_stats(REQUEST_RTOS[len("[bulkhead] "):])
    assert s is not None and (s.cell, s.hart, s.counters) == ("rtos", 3, {"sbi_dbcn": 4, "fault": 1}), s


def t_flat():
    d = parse_stats(RESTART_RTOS).flat()
    assert d == {"why": "restart", "cell": "rtos", "hart": 3, "vhart": 0, "exits": 12, "restart": 1}, d


def t_not_stats():
    # A cell that prints a look-alike line is not the hypervisor; the runner's fake QEMU prints
    # "stats:" lines; a counter without a number or a missing field is not the format.
    for line in ("[rtos] stats request cell=linux hart=1 vhart=0 exits=5",
                 "[bulkhead] stats: alpha: sbi 0 mmio 0 faults 0",
                 "[bulkhead] stats request cell=linux hart=1 vhart=0 exits=5 sbi_time=",
                 "[bulkhead] stats request cell=linux hart=1 exits=5",
                 "[bulkhead] cell linux: restart"):
        assert parse_stats(line) is None, f"parsed a line that is not a statistics line: {line!r}"


def t_select_by_why():
    lines = [REQUEST_LINUX_0, "[bulkhead] cell rtos: fault", RESTART_RTOS, REQUEST_RTOS]
    assert [s.cell for s in stats_lines(lines)] == ["linux", "rtos", "rtos"]
    assert [(s.why, s.cell) for s in stats_lines(lines, "request")] == [("request", "linux"), ("request", "rtos")]
    assert [s.exits for s in stats_lines(lines, "restart")] == [12]


def t_bench_snapshots():
    # The benchmark groups consecutive 'stats request' lines into snapshots; a hart seen twice
    # starts the next one, any other line ends the current one.
    parse = _bench_parse()
    lines = [REQUEST_LINUX_0, REQUEST_LINUX_1, REQUEST_LINUX_0.replace("exits=5120", "exits=6000"),
             "[bulkhead] console: linux", REQUEST_RTOS, RESTART_RTOS]
    snaps = parse.stats_lines(lines)
    assert [[(h["cell"], h["hart"], h["exits"]) for h in s] for s in snaps] == [
        [("linux", 1, 5120), ("linux", 2, 77)], [("linux", 1, 6000)], [("rtos", 3, 9)]], snaps
    assert snaps[2][0]["causes"] == {"sbi_dbcn": 4, "fault": 1}, snaps[2]


def collect(ctx):
    return [(name[2:], fn) for name, fn in sorted(globals().items()) if name.startswith("t_") and callable(fn)]
