# SPDX-License-Identifier: Apache-2.0
"""Bulkhead's certification-style static analysis: the one command behind `make analyze`.

Inputs come from the build (ci/analyze/analyze.mk writes them to
<out>/inputs.txt): the hypervisor sources of one CONFIG with their exact
compiler flags, the linked ELF and its -fstack-usage files, and the host
config compiler's sources. Checks, each producing findings "file:line":

  misra      MISRA C:2012 through cppcheck's misra addon (+ cppcheck's own checks)
  tidy       clang-tidy (ci/analyze/clang-tidy.yaml)
  analyzer   gcc -fanalyzer (the cross compiler for the hypervisor)
  stack      worst-case stack: -fstack-usage frames over the call graph of the
             linked ELF (+ ci/analyze/indirect-calls.txt), against the hart stack
  structure  no recursion, no heap, no VLA, no floating point
  complexity cyclomatic (pmccabe) and cognitive (clang-tidy) limits per function;
             lines of code (cloc) and section sizes for the report
  coverage   host unit-test line/branch coverage (gcovr), reported only
  format     every C file laid out as clang-format lays it out (.clang-format)
  records    every suppression names a documented deviation; docs agree

A finding matched by ci/analyze/suppressions.txt is "deviated" (it must name
a record in docs/safety/deviations.md that lists its id); anything else is
"open" and makes the run fail. Host tools: see docs/safety/misra.md "Scope".
Results: <out>/report.md (readable), <out>/findings.txt (one line each),
<out>/stack-and-coverage.md (source of docs/safety/stack-and-coverage.md).
"""

import argparse
import os
import re
import shutil
import sys
import time

from .complexity import step_complexity
from .context import Ctx
from .coverage import step_coverage
from .format import step_format
from .gcc_analyzer import step_analyzer
from .misra import load_misra_doc, step_cppcheck
from .paths import DEVIATIONS_DOC, ROOT, SUPPRESSIONS, rel
from .records import apply_suppressions, check_docs, step_inline_suppressions
from .report import write_report
from .shell import run, tool_version
from .size import step_size
from .sources import read_lines
from .stack import step_stack
from .structure import step_structure
from .tidy import step_tidy


STEPS = ["misra", "tidy", "analyzer", "stack", "structure", "complexity", "size", "coverage", "format"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", required=True, help="key=value file written by ci/analyze/analyze.mk")
    ap.add_argument("--out", required=True, help="output directory (build/analysis)")
    ap.add_argument("--only", default="", help="comma-separated subset of: " + ",".join(STEPS))
    args = ap.parse_args()
    os.chdir(ROOT)
    inputs = {}
    for line in read_lines(args.inputs):
        if "=" in line:
            k, v = line.split("=", 1)
            inputs[k.strip()] = v.strip()
    os.makedirs(args.out, exist_ok=True)
    ctx = Ctx(inputs, rel(args.out), int(inputs.get("jobs", "2") or 2))
    only = set(filter(None, args.only.split(",")))
    t0 = time.time()
    for missing in [t for t in ("cppcheck", "clang-tidy", "clang-format", "pmccabe", "cloc", "gcovr", ctx.cross + "gcc")
                    if shutil.which(t) is None]:
        print("analyze: %s is not installed (make deps)" % missing, file=sys.stderr)
        return 2
    ctx.versions = {
        "cppcheck": tool_version(["cppcheck", "--version"]) + " + misra addon",
        "clang-tidy": "clang-tidy " + re.sub(r".*version ", "", tool_version(["clang-tidy", "--version"])
                                           if "version" in tool_version(["clang-tidy", "--version"]) else "?"),
        "gcc": tool_version([ctx.cross + "gcc", "--version"]),
        "hostcc": tool_version([inputs.get("hostcc", "gcc"), "--version"]),
        "pmccabe": "pmccabe", "cloc": "cloc " + tool_version(["cloc", "--version"]),
        "gcovr": tool_version(["gcovr", "--version"]),
    }
    rc, out, _ = run(["clang-tidy", "--version"])
    m = re.search(r"LLVM version (\S+)", out)
    ctx.versions["clang-tidy"] = "clang-tidy " + (m.group(1) if m else "?")
    load_misra_doc(ctx)

    def timed(name, fn, *a):
        if only and name.split(" ")[0] not in only:
            return
        t = time.time()
        fn(ctx, *a)
        ctx.timing.append((name, time.time() - t))
        print("analyze: %-22s %5.1f s" % (name, time.time() - t), flush=True)

    timed("misra hypervisor", step_cppcheck, "hyp")
    timed("misra host", step_cppcheck, "host")
    timed("tidy hypervisor", step_tidy, "hyp")
    timed("tidy host", step_tidy, "host")
    timed("analyzer hypervisor", step_analyzer, "hyp")
    timed("analyzer host", step_analyzer, "host")
    timed("stack", step_stack)
    timed("structure", step_structure)
    timed("structure (inline suppressions)", step_inline_suppressions)
    timed("complexity", step_complexity)
    timed("size", step_size)
    timed("coverage", step_coverage)
    timed("format", step_format)
    apply_suppressions(ctx)
    check_docs(ctx)
    opened, rows = write_report(ctx, time.time() - t0)

    # Console: the summary table, the stack figure, then every open finding as file:line.
    print()
    print("%-46s %-11s %8s %8s %6s %6s" % ("check", "scope", "findings", "deviated", "info", "open"))
    for title, scope, n, dev, inf, op in rows:
        print("%-46s %-11s %8d %8d %6d %6d%s" % (title[:46], scope, n, dev, inf, op, "  FAIL" if op else ""))
    s = getattr(ctx, "stack", None)
    if s and s["cycles"]:
        print("\nstack: UNBOUNDED, the call graph has %d cycle(s) (recursion findings below)" % s["cycles"])
    elif s:
        print("\nstack: worst case %d of %d bytes per hart (%s %d + nested trap %d)" %
              (s["total"], s["limit"] or 0, s["root"], s["root_bytes"], s["nested_bytes"]))
        print("  deepest path: " + " -> ".join(p.split(" (")[0] for p in s["path"]))
    cov = getattr(ctx, "coverage", None)
    if cov:
        print("coverage (host unit tests): lines %.1f%%, branches %.1f%%" % (cov["line_percent"],
                                                                            cov["branch_percent"] or 0))
    print("report: %s/report.md" % ctx.out)
    if opened:
        print("\nanalyze: FAIL, %d open finding(s) (fix, or record in %s + %s):" % (len(opened), DEVIATIONS_DOC,
                                                                                  SUPPRESSIONS))
        for f in sorted(opened, key=lambda f: (f.file, f.line, f.col)):
            print("  " + f.text())
        return 1
    print("\nanalyze: PASS (no open findings)")
    return 0
