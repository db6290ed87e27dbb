#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`make prove` for one system: runs Frama-C's EVA over the hypervisor with the
harness and hardware models of ci/prove/, then judges the result against the
reviewed alarm records (docs/safety/proof-alarms.md, format in proof.md).
With --wp it instead proves the ACSL contracts of WP_TARGETS with WP.

The gate fails when
  - an alarm has no record for this system,
  - a record names this system but its alarm no longer appears (stale),
  - a property is proved false (status Invalid) in the hypervisor or the harness,
  - a harness assertion is not proved,
  - fewer hypervisor statements are reached than the records' minimum for it,
  - Frama-C itself fails.
It writes <out>/alarms.csv (Frama-C's report), <out>/eva.log and
<out>/result.txt, and prints one verdict line per system.
"""

import argparse
import csv
import os
import re
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

# EVA's settings, kept here so that every run (make prove, the tests) is the same.
# The formatter's loop over the format string is unrolled so that each
# conversion is followed one by one (otherwise va_arg reads of different types
# merge), and so is put_string's over a string's bytes; the loops of
# put_number (the digits) and parse_spec (a conversion's width) are not: with
# them unrolled too every system gave the same alarms and statements in 40%
# more time, most of it in the digits of the statistics' counters.
# bh_boot_setup's loop over the harts is unrolled: bh_hart_init stores each
# hart's pointers to its cell's configuration, state and console output
# (hart.h), and merged iterations would leave every hart's pointers any
# cell's, or NULL.
# EVA keeps a set of up to -eva-ilevel integers as a set (default 8), and
# makes a larger one an interval: 66 keeps every cell number of the largest
# system (64 cells) with BH_NO_CELL apart, so that a test against BH_NO_CELL
# removes it (console_in.c: a byte for the focus cell, any of 64, or none).
# Systems of a few cells give the same alarms and time either way.
FRAMA_C_OPTS = [
    "-c11",
    "-machdep", "gcc_x86_64",
    "-eva",
    "-eva-ilevel", "66",
    "-eva-slevel-function", "bh_vformat:400,put_string:100,bh_boot_setup:200",
    "-eva-no-show-progress",
    "-eva-no-print-callstacks",
    "-eva-msg-key=-initial-state,-final-states",
]

# Properties EVA leaves Unknown are its alarms; these statuses are proofs.
# "Dead" (and "... but dead"): the property sits where EVA showed that no
# entry point reaches - a branch no input takes, or a function no path calls,
# such as a callee's precondition at a call site in irq_direct.c for a system
# without a direct-mode cell. EVA emits no run-time-error alarm there either;
# what is unreached is listed in proof.md ("What is not covered") and the
# reached-statement minimum keeps it from growing unnoticed.
PROVED = {"Valid", "Considered valid", "Valid but dead", "Unknown but dead", "Valid under hyp.",
          "Invalid but dead", "Dead"}

# Contract and loop clauses of the WP targets' ACSL: WP proves them (wp_main);
# EVA's verdict on them is not the gate's. Preconditions stay: WP assumes them,
# so EVA must show that every caller meets them. The same kinds in any other
# function are EVA's to prove, like any alarm.
WP_KINDS = {"postcondition", "assigns clause", "from clause", "complete behaviors", "disjoint behaviors",
            "loop invariant", "loop assigns", "loop variant"}

# The functions whose contracts WP proves (docs/safety/proof.md, "Proved
# contracts"): file, function. Each contract names the requirement it proves.
WP_TARGETS = [
    ("src/core/vplic.c", "context_vhart"),
    ("src/core/vplic.c", "bit_test"),
    ("src/core/vplic.c", "clamp_priority"),
    ("src/core/vplic.c", "write_priority"),
    ("src/core/vplic.c", "write_enable"),
    ("src/core/cell.c", "bh_cell_phys_hart"),
    ("src/core/cell.c", "bh_cell_guest_ptr"),
    ("src/core/hart_set.c", "bh_hart_set_from_sbi"),
    ("src/core/hart.c", "hsm_move"),
    ("src/core/console_in.c", "console_route_byte"),
]
WP_FUNCTIONS = {(path, function) for path, function in WP_TARGETS}

# Extra Frama-C options of one target. hsm_move's compare-and-swap is the
# model of ci/prove/model/atomics.h (a plain read and write, as for EVA),
# inlined so that WP sees it; its volatile-qualified pointer is then a plain
# access (-wp-no-volatile), which is what the model assumes: one hart at a
# time (proof.md, "The hardware model and the assumptions").
WP_OPTIONS = {
    "hsm_move": ["-inline-calls", "bh_model_atomic_cas", "-wp-no-volatile"],
}

# Properties WP's provers cannot reach (shifts by a variable amount), proved
# by EVA instead: a harness of ci/prove/eva/ drives the function with every
# input it can get and states the property as assertions, each of which EVA
# must prove valid, with no alarm anywhere (proof.md, "Proved contracts").
# Harness, the sources it drives, the function whose property it proves.
EVA_PROOFS = [
    ("ci/prove/eva/hart_set.c", ["src/core/hart_set.c"], "bh_hart_set_from_sbi"),
]

RECORD_HEAD = re.compile(r"^###\s+(PA-\d+)\b")
FIELD = re.compile(r"^-\s+(where|alarm|configs|reached):\s*(.*)$")
CODE = re.compile(r"`([^`]*)`")


@dataclass
class Record:
    ident: str
    line: int
    where: tuple = ()
    alarm: tuple = ()
    configs: list = field(default_factory=list)
    # The property as Frama-C prints it; several when it names a bound that
    # differs only by the system's table sizes (`h->cell < 2`, `h->cell < 6`).
    props: list = field(default_factory=list)

    def keys(self):
        return [(self.where[0], self.where[1], self.alarm[0], p) for p in self.props]


@dataclass
class Alarm:
    path: str
    line: int
    function: str
    kind: str
    prop: str
    status: str

    def key(self):
        return (self.path, self.function, self.kind, self.prop)

    def describe(self):
        return f"{self.path}:{self.line} in {self.function}: {self.kind} `{self.prop}`"


def fail(msg):
    print(f"prove: {msg}", file=sys.stderr)
    sys.exit(2)


def read_inputs(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                values[k] = v
    for k in ("config", "srcs", "cpp", "config_h", "cells_c", "records", "out"):
        if k not in values:
            fail(f"{path}: no '{k}=' line")
    return values


def read_records(path):
    """Alarm records and per-system reached-statement minima from the records file."""
    records, minima = [], {}
    current = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = RECORD_HEAD.match(line)
            if m:
                current = Record(m.group(1), n)
                records.append(current)
                continue
            m = re.match(r"^\|\s*`([a-z0-9-]+)`\s*\|\s*(\d+)\s*\|", line)
            if m and current is None:
                minima[m.group(1)] = int(m.group(2))
                continue
            m = FIELD.match(line)
            if not m or current is None:
                continue
            name, text = m.group(1), m.group(2)
            codes = CODE.findall(text)
            if name == "where":
                if len(codes) != 2:
                    fail(f"{path}:{n}: record {current.ident}: 'where' needs `file` `function`, got: {text}")
                current.where = tuple(codes)
            elif name == "alarm":
                kind = text.split("`", 1)[0].strip()
                if not codes or not kind:
                    fail(f"{path}:{n}: record {current.ident}: 'alarm' needs kind `property`, got: {text}")
                current.alarm = (kind, codes[0])
                current.props = codes
            elif name == "configs":
                current.configs = codes
    for r in records:
        if not r.where or not r.alarm or not r.configs:
            fail(f"{path}:{r.line}: record {r.ident} lacks a where, alarm or configs line")
    idents = [r.ident for r in records]
    for ident in set(idents):
        if idents.count(ident) > 1:
            fail(f"{path}: record {ident} appears {idents.count(ident)} times")
    return records, minima


def valid_range(config_h, cells_c):
    """Addresses made from integers that the hypervisor may access: the
    platform's devices (lowest *_BASE, the harts' SSWI registers) up to the
    end of RAM (cell memory, images). See proof.md, "Assumptions"."""
    defs = {}
    with open(config_h, encoding="utf-8") as f:
        for m in re.finditer(r"^#define\s+(BH_\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", f.read(), re.M):
            defs[m.group(1)] = int(m.group(2), 0)
    with open(cells_c, encoding="utf-8") as f:
        sswi = [int(v, 16) for v in re.findall(r"\.sswi\s*=\s*(0x[0-9a-fA-F]+)", f.read())]
    devices = [v for k, v in defs.items()
               if k.endswith("_BASE") and k not in ("BH_RAM_BASE", "BH_HYP_BASE", "BH_GSTAGE_BASE",
                                                    "BH_FIRMWARE_BASE")]
    devices += [a for a in sswi if a != 0]
    if "BH_RAM_BASE" not in defs or "BH_RAM_SIZE" not in defs or not devices:
        fail(f"{config_h}: no BH_RAM_BASE/BH_RAM_SIZE or no device base to bound the valid addresses")
    return min(devices), defs["BH_RAM_BASE"] + defs["BH_RAM_SIZE"] - 1


def in_scope(path):
    return path.startswith("src/") or "/gen/" in path or path.startswith("ci/prove/")


def read_report(path):
    alarms = []
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t"), 2):
            if None in row.values():
                # Frama-C prints a property over several lines without quoting
                # it: the gate cannot tell what such a line belongs to.
                fail(f"{path}:{n}: a property split over lines (an ACSL \\let, or a line break in "
                     f"a property Frama-C prints unquoted): {' '.join(str(v) for v in row.values())[:200]}")
            directory, name = row["directory"], row["file"]
            rel = os.path.normpath(os.path.join(directory, name)) if directory not in ("", ".") else name
            if not in_scope(rel) or row["status"] in PROVED:
                continue
            if (rel, row["function"]) in WP_FUNCTIONS and row["property kind"] in WP_KINDS:
                continue
            alarms.append(Alarm(rel, int(row["line"] or 0), row["function"], row["property kind"],
                                " ".join(row["property"].split()), row["status"]))
    return alarms


def statements_reached(log):
    m = re.search(r"(\d+) statements reached \(out of (\d+)\)", log)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def frama_c_env():
    """The environment for Frama-C: it resolves relative file names against
    $PWD, which `make -C dir` leaves at the caller's directory; a scratch copy
    of the tree run that way would otherwise analyze the caller's files."""
    return dict(os.environ, PWD=os.getcwd())


def eva_proof(inp, frama_c, out, env, harness, srcs, function, problems):
    """EVA over one harness of EVA_PROOFS: every assertion of the harness
    proved valid and no property of the sources or the harness left unknown
    or invalid. Answers 'function proved/total' and appends to problems."""
    report = os.path.join(out, f"{function}.eva.csv")
    if os.path.exists(report):
        os.remove(report)
    cmd = [frama_c, "-c11", "-machdep", "gcc_x86_64", f"-cpp-extra-args={inp['cpp']}", *srcs, harness,
           "-eva", "-eva-no-show-progress", "-then", "-report-csv", report]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    with open(os.path.join(out, f"{function}.eva.log"), "w", encoding="utf-8") as f:
        f.write(" ".join(shlex.quote(c) for c in cmd) + "\n" + proc.stdout + proc.stderr)
    if proc.returncode != 0 or not os.path.exists(report):
        problems.append(f"{harness} {function}: EVA did not run (exit {proc.returncode}; log: {out}/{function}.eva.log)")
        return ""
    with open(harness, encoding="utf-8") as f:
        names = {n: m.group(1) for n, line in enumerate(f, 1) for m in [re.search(r"assert (\w+):", line)] if m}
    asserted, proved, open_props = 0, 0, []
    with open(report, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            directory, name = row["directory"], row["file"]
            rel = os.path.normpath(os.path.join(directory, name)) if directory not in ("", ".") else name
            if rel not in srcs and rel != harness:
                continue
            if rel == harness and row["property kind"] == "user assertion":
                asserted += 1
                proved += row["status"] == "Valid"
            if row["status"] not in PROVED or (rel == harness and row["status"] != "Valid"):
                name = names.get(int(row["line"] or 0), "") if rel == harness else ""
                open_props.append(f"{rel}:{row['line']} {row['property kind']} {name + ' ' if name else ''}"
                                  f"`{' '.join(row['property'].split())}` ({row['status']})")
    if asserted == 0 or open_props:
        problems.append(f"{harness} {function}: {proved} of {asserted} assertions proved; not proved: "
                        + "; ".join(open_props))
    return f"{function} {proved}/{asserted}"


def forget_verdict(path):
    """No verdict of an earlier run stands for this one (summary)."""
    if os.path.exists(path):
        os.remove(path)


def wp_main(inp, frama_c, only=None):
    """WP over the contracts of WP_TARGETS with the Debian provers; every goal
    (the contract and WP's own run-time-error assertions, -wp-rte) must be proved."""
    out = os.path.join(os.path.dirname(inp["out"]), "wp")
    os.makedirs(out, exist_ok=True)
    forget_verdict(os.path.join(out, "result.txt"))
    env = dict(frama_c_env(), WHY3CONFIG=os.path.join(out, "why3.conf"))
    if not os.path.exists(env["WHY3CONFIG"]):
        subprocess.run(["why3", "config", "detect"], env=env, capture_output=True, check=True)
    problems, lines = [], []
    start = time.monotonic()
    for path, function in WP_TARGETS:
        if only and function not in only:
            continue
        cmd = [frama_c, "-c11", "-machdep", "gcc_x86_64", f"-cpp-extra-args={inp['cpp']}", path,
               "-wp", "-wp-rte", "-wp-prover", "cvc4,z3", "-wp-fct", function, "-wp-out", os.path.join(out, function),
               *WP_OPTIONS.get(function, [])]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        with open(os.path.join(out, f"{function}.log"), "w", encoding="utf-8") as f:
            f.write(" ".join(shlex.quote(c) for c in cmd) + "\n" + proc.stdout + proc.stderr)
        m = re.search(r"Proved goals:\s+(\d+) / (\d+)", proc.stdout)
        if proc.returncode != 0 or not m:
            problems.append(f"{path} {function}: WP did not run (exit {proc.returncode}; log: {out}/{function}.log)")
            continue
        proved, goals = int(m.group(1)), int(m.group(2))
        lines.append(f"{function} {proved}/{goals}")
        if goals == 0 or proved != goals:
            failed = re.findall(r"\[wp\] \[(?:Failed|Unknown|Timeout)\] Goal (\S+)", proc.stdout)
            problems.append(f"{path} {function}: {proved} of {goals} goals proved; not proved: {', '.join(failed)}")
    eva_lines = [eva_proof(inp, frama_c, out, env, harness, srcs, function, problems)
                 for harness, srcs, function in EVA_PROOFS if not only or function in only]
    seconds = time.monotonic() - start
    eva_part = ", ".join(x for x in eva_lines if x)
    line = (f"prove wp: {'FAIL' if problems else 'ok'}: {', '.join(lines)} goals proved; "
            + (f"EVA: {eva_part} assertions proved; " if eva_part else "") + f"{seconds:.0f} s")
    with open(os.path.join(out, "result.txt"), "w", encoding="utf-8") as f:
        f.write(line + "\n" + "".join(f"  {p}\n" for p in problems))
    print(line)
    for p in problems:
        print(f"  {p}")
    return 1 if problems else 0


def summary(prove_dir, systems, wp):
    """One line for the whole `make prove`: how many systems passed (each
    verdict line printed above), the statements reached in all, and WP's
    verdict. A system without a verdict (its run did not end) counts as failed."""
    passed, failed, reached = 0, [], 0
    for system in systems:
        path = os.path.join(prove_dir, system, "result.txt")
        line = open(path, encoding="utf-8").readline() if os.path.exists(path) else ""
        m = re.match(rf"prove {re.escape(system)}: ok: .*?; (\d+) of \d+ statements reached", line)
        if m:
            passed += 1
            reached += int(m.group(1))
        else:
            failed.append(system)
    text = (f"make prove: {passed} of {len(systems)} systems pass (every alarm recorded), "
            f"{reached} statements reached in all")
    if failed:
        text += f"; failed: {' '.join(failed)}"
    if wp:
        path = os.path.join(prove_dir, "wp", "result.txt")
        line = open(path, encoding="utf-8").readline() if os.path.exists(path) else ""
        wp_ok = line.startswith("prove wp: ok:")
        text += "; WP: " + ("every contract proved" if wp_ok else "FAIL")
        if not wp_ok:
            failed.append("wp")
    print(text)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", help="inputs.txt written by ci/prove/prove.mk")
    ap.add_argument("--summary", nargs="+", metavar=("PROVE_DIR", "SYSTEM"),
                    help="print the one-line verdict of a whole make prove from each system's result.txt")
    ap.add_argument("--summary-wp", action="store_true", help="with --summary: WP ran too")
    ap.add_argument("--frama-c", default="frama-c")
    ap.add_argument("--wp", action="store_true", help="prove the contracts of WP_TARGETS instead of running EVA")
    ap.add_argument("--only", default="", help="with --wp: only these functions (comma-separated), "
                    "for a test that plants a bug in one")
    args = ap.parse_args()
    if args.summary:
        return summary(args.summary[0], args.summary[1:], args.summary_wp)
    if not args.inputs:
        ap.error("--inputs is required")

    inp = read_inputs(args.inputs)
    if args.wp:
        only = set(filter(None, args.only.split(",")))
        unknown = only - {f for _, f in WP_TARGETS} - {f for _, _, f in EVA_PROOFS}
        if unknown:
            fail(f"--only: no proved function named {', '.join(sorted(unknown))}")
        return wp_main(inp, args.frama_c, only)
    config, out = inp["config"], inp["out"]
    os.makedirs(out, exist_ok=True)
    result = os.path.join(out, "result.txt")
    forget_verdict(result)
    records, minima = read_records(inp["records"])
    lo, hi = valid_range(inp["config_h"], inp["cells_c"])
    report = os.path.join(out, "alarms.csv")
    if os.path.exists(report):
        os.remove(report)
    cmd = [args.frama_c, *FRAMA_C_OPTS, f"-cpp-extra-args={inp['cpp']}",
           "-absolute-valid-range", f"{lo:#x}-{hi:#x}", *inp["srcs"].split(), "-then", "-report-csv", report]
    start = time.monotonic()
    with open(os.path.join(out, "eva.log"), "w", encoding="utf-8") as logf:
        logf.write(" ".join(shlex.quote(c) for c in cmd) + "\n")
        logf.flush()
        proc = subprocess.run(cmd, stdout=logf, stderr=subprocess.STDOUT, env=frama_c_env(), check=False)
    seconds = time.monotonic() - start
    # The CPU time of Frama-C (this process's only child): unlike the wall
    # time, it does not grow with what else the machine runs.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime
    with open(os.path.join(out, "eva.log"), encoding="utf-8") as f:
        log = f.read()
    if proc.returncode != 0 or not os.path.exists(report):
        line = f"prove {config}: FAIL: frama-c exited {proc.returncode} (log: {out}/eva.log)"
        tail = [ln for ln in log.splitlines() if "rror" in ln][-5:]
        with open(result, "w", encoding="utf-8") as f:
            f.write(line + "\n" + "".join(f"  {ln}\n" for ln in tail))
        print(line)
        for ln in tail:
            print(f"  {ln}")
        return 1

    problems = []
    alarms = read_report(report)
    mine = [r for r in records if config in r.configs]
    by_key = {key: r for r in mine for key in r.keys()}
    seen = set()
    for a in alarms:
        if a.status.startswith("Invalid"):
            problems.append(f"proved false ({a.status}): {a.describe()}")
            continue
        if a.path.startswith("ci/prove/"):
            problems.append(f"harness property not proved ({a.status}): {a.describe()}")
            continue
        r = by_key.get(a.key())
        if r is None:
            problems.append(f"unrecorded alarm: {a.describe()}")
        else:
            seen.add(r.ident)
    for r in mine:
        if r.ident not in seen:
            problems.append(f"stale record {r.ident} ({inp['records']}:{r.line}): its alarm "
                            f"{r.alarm[0]} {', '.join(f'`{p}`' for p in r.props)} in {r.where[0]} {r.where[1]} "
                            f"no longer appears")
    reached, total = statements_reached(log)
    minimum = minima.get(config)
    if minimum is None:
        problems.append(f"no reached-statement minimum for {config} in {inp['records']} (this run: {reached})")
    elif reached < minimum:
        problems.append(f"{reached} statements reached, fewer than the recorded {minimum}: the harness "
                        f"or a model no longer drives part of the hypervisor")

    unrecorded = [a for a in alarms if a.key() not in by_key and not a.status.startswith("Invalid")
                  and not a.path.startswith("ci/prove/")]
    draft = os.path.join(out, "unrecorded.md")
    if os.path.exists(draft):
        os.remove(draft)
    if unrecorded:
        # The where/alarm/configs lines a record needs, for the reviewer who
        # fixes the code or argues the alarm (proof.md, "The alarm records").
        with open(draft, "w", encoding="utf-8") as f:
            for a in unrecorded:
                f.write(f"- where: `{a.path}` `{a.function}` (line {a.line} when recorded)\n"
                        f"- alarm: {a.kind} `{a.prop}`\n- configs: `{config}`\n\n")
        problems.append(f"the unrecorded alarms' where/alarm/configs lines: {draft}")

    recorded = sum(1 for a in alarms if a.key() in by_key)
    verdict = "FAIL" if problems else "ok"
    line = (f"prove {config}: {verdict}: {len(alarms)} alarms, {recorded} recorded; {reached} of {total} "
            f"statements reached (minimum {minimum}); EVA {seconds:.0f} s, {cpu:.0f} s of CPU")
    with open(result, "w", encoding="utf-8") as f:
        f.write(line + "\n")
        for p in problems:
            f.write(f"  {p}\n")
    print(line)
    for p in problems:
        print(f"  {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
