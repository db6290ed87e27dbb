# SPDX-License-Identifier: Apache-2.0
"""Parsers for what the benchmark runs print (tools/bench/bench.py).

Every function takes console lines (a cell's lines with the runner's tag
removed, or the hypervisor's lines) and returns plain dicts, so the results
go straight into results.json.
"""

import re
from typing import Dict, List, Optional

from bulkhead_run.stats import parse_stats

_KV = re.compile(r"(\w+)=(-?\d+(?:\.\d+)?)")
_NUMBER = re.compile(r"^-?\d+$")


def _num(text: str):
    return int(text) if _NUMBER.match(text) else float(text)


def kv(text: str) -> Dict[str, float]:
    """'n=3 min=1 mean=2.5' -> {'n': 3, 'min': 1, 'mean': 2.5}"""
    return {k: _num(v) for k, v in _KV.findall(text)}


def bench_guest(lines: List[str]) -> Dict:
    """The 'bench: ...' lines of cells/bench (format in cells/bench/main.c)."""
    out = {"boot": {}, "first_line": {}, "sbi": {}, "verify": {}, "scope": {},
           "path": {}, "exits": {}, "latency": {}, "warnings": [], "errors": [],
           "done": False}
    for line in lines:
        if not line.startswith("bench: "):
            continue
        body = line[len("bench: "):]
        word = body.split(" ", 1)[0]
        rest = body[len(word):]
        if word == "boot":
            out["boot"] = kv(rest)
        elif word == "first-line":
            out["first_line"] = kv(rest)
        elif word == "sbi":
            out["sbi"] = kv(rest)
        elif word in ("verify", "path", "exits"):
            name, _, values = rest.strip().partition(" ")
            out[word][name] = kv(values)
        elif word == "scope":
            m = re.match(r"\s*peer=(\w+)(.*)", rest)
            if m:
                out["scope"][m.group(1)] = kv(m.group(2))
        elif word == "lat":
            parts = rest.split()
            if len(parts) >= 2:
                key = f"{parts[0]}_{parts[1]}"
                out["latency"][key] = kv(" ".join(parts[2:]))
        elif word == "warning":
            out["warnings"].append(rest.strip())
        elif word == "error":
            out["errors"].append(rest.strip())
        elif word == "done":
            out["done"] = True
    return out


def stats_lines(lines: List[str], reason: str = "request") -> List[List[Dict]]:
    """The hypervisor's statistics lines, grouped into snapshots.

    A snapshot is one run of consecutive 'stats <reason>' lines (the console
    command prints every hart of every cell at once).  Each hart is
    {'cell', 'hart', 'vhart', 'exits', 'causes': {cause: n}}."""
    snaps: List[List[Dict]] = []
    current: Optional[List[Dict]] = None
    for line in lines:
        st = parse_stats(line)
        if st is None or st.why != reason:
            if current is not None:
                snaps.append(current)
                current = None
            continue
        hart = {"cell": st.cell, "hart": st.hart, "vhart": st.vhart, "exits": st.exits,
                "causes": dict(st.counters)}
        if current is not None and any(h["hart"] == hart["hart"] for h in current):
            snaps.append(current)
            current = None
        if current is None:
            current = []
        current.append(hart)
    if current is not None:
        snaps.append(current)
    return snaps


def snapshot_delta(a: List[Dict], b: List[Dict]) -> Dict[int, Dict]:
    """Per physical hart: exits and causes of snapshot b minus snapshot a."""
    before = {h["hart"]: h for h in a}
    out = {}
    for h in b:
        p = before.get(h["hart"], {"exits": 0, "causes": {}})
        causes = {}
        for k in set(h["causes"]) | set(p["causes"]):
            d = h["causes"].get(k, 0) - p["causes"].get(k, 0)
            if d:
                causes[k] = d
        out[h["hart"]] = {"cell": h["cell"], "vhart": h["vhart"],
                          "exits": h["exits"] - p["exits"], "causes": causes}
    return out


_IRQTEST = re.compile(r"irqtest: (\d+) interrupts, (\d+) exits, ([\d.]+) exits per interrupt"
                      r"(?: \((.*)\))?")


def irqtest(lines: List[str]) -> Dict:
    """Sums the per-round lines 'irqtest: <N> interrupts, <E> exits, <E/N> exits per
    interrupt (device_irq +d, mmio_vplic +m, irq_external +x)'."""
    total = {"rounds": 0, "interrupts": 0, "exits": 0, "causes": {}, "per_round": []}
    for line in lines:
        m = _IRQTEST.search(line)
        if not m:
            continue
        n, e = int(m.group(1)), int(m.group(2))
        causes = {k: int(v) for k, v in re.findall(r"(\w+) \+(\d+)", m.group(4) or "")}
        total["rounds"] += 1
        total["interrupts"] += n
        total["exits"] += e
        total["per_round"].append(float(m.group(3)))
        for k, v in causes.items():
            total["causes"][k] = total["causes"].get(k, 0) + v
    if total["interrupts"]:
        total["exits_per_interrupt"] = total["exits"] / total["interrupts"]
        total["causes_per_interrupt"] = {k: v / total["interrupts"]
                                         for k, v in total["causes"].items()}
    total["done"] = any("irqtest: done" in l for l in lines)
    return total


_PRINTK = re.compile(r"^\[\s*(\d+\.\d+)\]\s(.*)$")


def printk_time(lines: List[str], pattern: str) -> Optional[float]:
    """Seconds of the first '[ t.tttttt] <text>' line whose text matches pattern."""
    rx = re.compile(pattern)
    for line in lines:
        m = _PRINTK.match(line)
        if m and rx.search(m.group(2)):
            return float(m.group(1))
    return None
