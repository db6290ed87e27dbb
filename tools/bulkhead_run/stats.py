# SPDX-License-Identifier: Apache-2.0
"""The hypervisor's statistics line, read the same way by the system tests and the benchmark.

src/core/stats.c prints one line per hart of a cell, with only the non-zero counters:

    [bulkhead] stats <why> cell=<c> hart=<p> vhart=<v> exits=<n> <counter>=<n> ...

<why> is 'request' (the console command, or the runner before it stops QEMU),
'restart', ... ; <p> is the physical hart, <v> the hart's index inside its cell.
"""

import re
from typing import Dict, Iterable, List, NamedTuple, Optional

STATS_LINE = re.compile(r"^(?:\[bulkhead\] )?stats (\S+) cell=(\S+) hart=(\d+) vhart=(\d+) exits=(\d+)((?: \w+=\d+)*)\s*$")
_COUNTER = re.compile(r"(\w+)=(\d+)")


class Stats(NamedTuple):
    """One statistics line: the hart it is about and its counters (absent = 0)."""
    why: str
    cell: str
    hart: int
    vhart: int
    exits: int
    counters: Dict[str, int]

    def flat(self) -> Dict:
        """{'why', 'cell', 'hart', 'vhart', 'exits', <counter>: n, ...} in one dict."""
        return {"why": self.why, "cell": self.cell, "hart": self.hart, "vhart": self.vhart,
                "exits": self.exits, **self.counters}


def parse_stats(line: str) -> Optional[Stats]:
    """A statistics line (with or without the runner's '[bulkhead] ' tag) -> Stats; any other line,
    a cell's output that looks like one included, -> None."""
    m = STATS_LINE.search(line)
    if not m:
        return None
    return Stats(why=m.group(1), cell=m.group(2), hart=int(m.group(3)), vhart=int(m.group(4)),
                 exits=int(m.group(5)), counters={k: int(v) for k, v in _COUNTER.findall(m.group(6))})


def stats_lines(lines: Iterable[str], why: Optional[str] = None) -> List[Stats]:
    """Every statistics line of lines, in order; only those printed for `why` when given."""
    out = []
    for line in lines:
        s = parse_stats(line)
        if s is not None and (why is None or s.why == why):
            out.append(s)
    return out
