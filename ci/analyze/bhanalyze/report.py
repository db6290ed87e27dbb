# SPDX-License-Identifier: Apache-2.0
"""The readable outputs of a run: <out>/report.md, findings.txt and findings.json."""

import datetime
import json
import os

from .findings import CHECKS
from .misra import misra_rule_info
from .paths import SUPPRESSIONS
from .stack_doc import coverage_lines, stack_and_coverage_doc, stack_path_lines


def summarize(ctx):
    rows = []
    for cid, title in CHECKS:
        for scope in ("hyp", "host"):
            fs = [f for f in ctx.findings if f.check == cid and f.scope == scope]
            if not fs and scope == "host" and cid in ("stack", "heap", "fp"):
                continue
            if not fs and scope == "host" and cid == "recursion":
                continue
            opened = sum(1 for f in fs if f.status == "open")
            dev = sum(1 for f in fs if f.status == "deviated")
            info = sum(1 for f in fs if f.status == "info")
            rows.append((title, "hypervisor" if scope == "hyp" else "host tools", len(fs), dev, info, opened))
    return rows


def write_report(ctx, elapsed):
    opened = [f for f in ctx.findings if f.status == "open"]
    deviated = [f for f in ctx.findings if f.status == "deviated"]
    info = [f for f in ctx.findings if f.status == "info"]
    rows = summarize(ctx)
    L = []
    L.append("# Static analysis report: CONFIG=%s" % ctx.config)
    L.append("")
    L.append("Generated %s by `make analyze` (ci/analyze/analyze.py) in %.0f s. Rule set: docs/safety/misra.md; "
             "deviations: docs/safety/deviations.md." % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
                                                          elapsed))
    L.append("")
    L.append("Tools: " + "; ".join("%s" % v for v in ctx.versions.values()))
    L.append("")
    L.append("Inputs: %d hypervisor C files (HYP_SRCS + gen/*.c of %s), %d assembly files, %s; "
             "%d host C files (tools/bhconfig)." % (len(ctx.hyp_srcs), ctx.config, len(ctx.hyp_asm), ctx.elf,
                                                   len(ctx.host_srcs)))
    L.append("")
    L.append("## Summary")
    L.append("")
    L.append("| check | scope | findings | deviated | info only | open | result |")
    L.append("|---|---|---:|---:|---:|---:|---|")
    for title, scope, n, dev, inf, op in rows:
        L.append("| %s | %s | %d | %d | %d | %d | %s |" % (title, scope, n, dev, inf, op, "FAIL" if op else "ok"))
    L.append("")
    verdict = "PASS: no open findings" if not opened else \
        "FAIL: %d open finding(s); fix each or record it (docs/safety/deviations.md + %s)" % (len(opened),
                                                                                             SUPPRESSIONS)
    L.append("**Result: %s.**" % verdict)
    L.append("")
    L += stack_section(ctx)
    L.append("## Open findings")
    L.append("")
    L.append("```")
    L += [f.text() for f in sorted(opened, key=lambda f: (f.file, f.line, f.col))] or ["(none)"]
    L.append("```")
    L.append("")
    L.append("## Deviated findings (recorded)")
    L.append("")
    by_rec = {}
    for f in deviated:
        by_rec.setdefault(f.record, []).append(f)
    L.append("| record | title | findings |")
    L.append("|---|---|---:|")
    for r in sorted(by_rec):
        L.append("| %s | %s | %d |" % (r, ctx.records.get(r, {}).get("title", "?"), len(by_rec[r])))
    L.append("")
    L.append("```")
    L += [f.text() for f in sorted(deviated, key=lambda f: (f.file, f.line, f.col))] or ["(none)"]
    L.append("```")
    L.append("")
    if ctx.unused_suppressions:
        L.append("Suppressions that matched nothing in this build (kept: they may apply to other CONFIGs):")
        L.append("")
        for s in ctx.unused_suppressions:
            L.append("- %s:%d: `%s %s %s`" % (SUPPRESSIONS, s["line"], s["id"], s["glob"], s["record"]))
        L.append("")
    L.append("## Information only (not gating)")
    L.append("")
    host_misra = {}
    other = []
    for f in info:
        if f.scope == "host" and f.rule.startswith("misra-"):
            host_misra.setdefault(f.rule, []).append(f)
        else:
            other.append(f)
    if host_misra:
        L.append("Host tools, MISRA C:2012 required/advisory rules (docs/safety/misra.md, \"Scope\"): "
                 "%d findings. Per rule:" % sum(len(v) for v in host_misra.values()))
        L.append("")
        L.append("| rule | category | findings | summary |")
        L.append("|---|---|---:|---|")
        for r in sorted(host_misra, key=lambda r: [int(x) for x in r.split("-")[-1].split(".")]):
            inf = misra_rule_info(ctx, r) or {}
            L.append("| %s | %s | %d | %s |" % (r, inf.get("category", "?"), len(host_misra[r]),
                                                inf.get("summary", "")))
        L.append("")
        L.append("Each one is in %s/cppcheck-host.log." % ctx.out)
        L.append("")
    if other:
        L.append("```")
        L += [f.text() for f in other]
        L.append("```")
        L.append("")
    L += size_section(ctx)
    L += complexity_section(ctx)
    L += coverage_section(ctx)
    L.append("## Timing")
    L.append("")
    L += ["- %s: %.1f s" % (n, t) for n, t in ctx.timing]
    L.append("")
    with open(os.path.join(ctx.out, "report.md"), "w") as fh:
        fh.write("\n".join(L) + "\n")
    with open(os.path.join(ctx.out, "findings.txt"), "w") as fh:
        for f in sorted(ctx.findings, key=lambda f: (f.status, f.file, f.line, f.col)):
            fh.write("%s %s %s\n" % (f.status.upper(), f.scope, f.text()))
    with open(os.path.join(ctx.out, "findings.json"), "w") as fh:
        json.dump({"config": ctx.config, "checks": dict(CHECKS),
                   "findings": [{"check": f.check, "scope": f.scope, "status": f.status, "rule": f.rule,
                                 "file": f.file, "line": f.line, "record": f.record, "text": f.text()}
                                for f in ctx.findings],
                   "stack": getattr(ctx, "stack", None)}, fh, indent=1)
    with open(os.path.join(ctx.out, "stack-and-coverage.md"), "w") as fh:
        fh.write(stack_and_coverage_doc(ctx))
    return opened, rows


def stack_section(ctx):
    s = getattr(ctx, "stack", None)
    L = ["## Worst-case stack", ""]
    if not s:
        L += ["(not computed: see the stack findings)", ""]
        return L
    lim = s["limit"] or 0
    if s["cycles"]:
        L.append("**Unbounded: the call graph has %d cycle(s)** (see the recursion findings). The figures below "
                 "ignore the cycles." % s["cycles"])
        L.append("")
    L.append("Worst case per hart: **%d of %d bytes (%d%%)** = %d on the deepest path from `%s` + %d for a trap "
             "taken in the hypervisor on top of it (`%s`)."
             % (s["total"], lim, (100 * s["total"] // lim) if lim else 0, s["root_bytes"], s["root"],
                s["nested_bytes"], s["nested"]))
    L.append("")
    L.extend(stack_path_lines(s))
    L.append("Per entry: " + ", ".join("`%s` %d" % (r, b) for r, b in sorted(s["per_root"].items())) + ". "
             "Call graph: %d functions, %d edges; indirect calls resolved by ci/analyze/indirect-calls.txt in %s; "
             "switch jump tables (not calls) in %s." % (s["functions"], s["edges"], ", ".join(s["indirect"]) or "-",
                                                         ", ".join(s["jump_tables"]) or "-"))
    if s["unreachable"]:
        L.append("")
        L.append("Functions no entry reaches (dead code in this build, or reached only by a CONFIG not analyzed): "
                 + ", ".join(s["unreachable"]) + ".")
    L.append("")
    return L


def size_section(ctx):
    L = ["## Size", ""]
    sz = getattr(ctx, "size", {})
    if sz:
        tr = sz.get(".text", 0) + sz.get(".rodata", 0)
        L.append("`%s`: text %d, rodata %d, data %d, bss %d bytes (text+rodata %d; target <= 24 KB); "
                 "hart stacks %d, G-stage tables %d, cell images %d bytes."
                 % (ctx.elf, sz.get(".text", 0), sz.get(".rodata", 0), sz.get(".data", 0), sz.get(".bss", 0), tr,
                    sz.get(".stacks", 0), sz.get(".gstage", 0), sz.get(".cellimages", 0)))
        L.append("")
    mods = getattr(ctx, "size_modules", {})
    if mods:
        L.append("Per object directory (Berkeley `size`: text includes read-only data; gen/ holds the G-stage "
                 "tables and the cell images):")
        L.append("")
        L.append("| objects under | text | data | bss |")
        L.append("|---|---:|---:|---:|")
        for m in sorted(mods):
            L.append("| %s | %d | %d | %d |" % (m, mods[m][0], mods[m][1], mods[m][2]))
        L.append("")
    cl = getattr(ctx, "cloc", [])
    if cl:
        L.append("Lines of code (cloc):")
        L.append("")
        L.append("| module | files | code | comment | blank |")
        L.append("|---|---:|---:|---:|---:|")
        hyp_total = 0
        for name, s in cl:
            if s is None:
                continue
            L.append("| %s | %d | %d | %d | %d |" % (name, s["nFiles"], s["code"], s["comment"], s["blank"]))
            if not name.startswith("host") and not name.startswith("generated"):
                hyp_total += s["code"]
        L.append("")
        L.append("Hypervisor code of this build, hand-written (sources + headers): %d lines (target <= 4 K)."
                 % hyp_total)
        L.append("")
    return L


def complexity_section(ctx):
    L = ["## Complexity", ""]
    comp = getattr(ctx, "complexity", {})
    limit = int(ctx.inp.get("ccn_limit", "15"))
    for scope, title in (("hyp", "hypervisor"), ("host", "host tools")):
        rows = comp.get(scope, [])
        if not rows:
            continue
        L.append("%s: %d functions, cyclomatic complexity (pmccabe) max %d, mean %.1f, limit %d. Highest:"
                 % (title, len(rows), rows[0][0], sum(r[0] for r in rows) / len(rows), limit))
        L.append("")
        L.append("| cyclomatic | modified | statements | lines | function |")
        L.append("|---:|---:|---:|---:|---|")
        for trad, mod, stmts, nlines, path, ln, fn in rows[:10]:
            L.append("| %d | %d | %d | %d | `%s` %s:%d |" % (trad, mod, stmts, nlines, fn, path, ln))
        L.append("")
    L.append("Cognitive complexity limit (clang-tidy readability-function-cognitive-complexity): 25.")
    L.append("")
    return L


def coverage_section(ctx):
    return ["## Coverage", ""] + coverage_lines(ctx) + [""]
