"""<out>/stack-and-coverage.md, the source of docs/safety/stack-and-coverage.md, and the
stack-path and coverage lines it shares with report.md."""

import datetime


def fmt_path(parts, indent="    "):
    return ("\n" + indent + "-> ").join(parts)


def stack_path_lines(s):
    """The deepest stack path (and the nested hypervisor trap on top), as report lines."""
    L = ["Deepest path (function, frame bytes, definition):", "", "```", fmt_path(s["path"], "  ")]
    if s["nested_path"]:
        L += ["[trap in the hypervisor, nested]", fmt_path(s["nested_path"], "  ")]
    return L + ["```", ""]


def coverage_lines(ctx):
    cov = getattr(ctx, "coverage", None)
    if not cov:
        return ["(no coverage: %s)" % getattr(ctx, "coverage_note", "not run")]
    L = ["Host unit tests with gcov (%s):" % ctx.coverage_note, "",
         "| files | lines | line % | branches | branch % |", "|---|---:|---:|---:|---:|"]
    groups = {}
    for f in cov["files"]:
        g = "hypervisor (src/, host-built unit tests)" if f["filename"].startswith("src/") else "host: tools/bhconfig"
        a = groups.setdefault(g, [0, 0, 0, 0])
        a[0] += f["line_covered"]
        a[1] += f["line_total"]
        a[2] += f["branch_covered"]
        a[3] += f["branch_total"]
    for g, a in sorted(groups.items()):
        L.append("| %s | %d/%d | %.1f | %d/%d | %.1f |" % (g, a[0], a[1], 100.0 * a[0] / max(1, a[1]), a[2], a[3],
                                                          100.0 * a[2] / max(1, a[3])))
    L.append("| **total** | %d/%d | %.1f | %d/%d | %.1f |" % (cov["line_covered"], cov["line_total"],
                                                              cov["line_percent"], cov["branch_covered"],
                                                              cov["branch_total"], cov["branch_percent"] or 0))
    L.append("")
    L.append("| file | line % | branch % |")
    L.append("|---|---:|---:|")
    for f in sorted(cov["files"], key=lambda f: f["filename"]):
        L.append("| %s | %s | %s |" % (f["filename"], f["line_percent"],
                                       "-" if f["branch_percent"] is None else f["branch_percent"]))
    return L


def stack_and_coverage_doc(ctx):
    s = getattr(ctx, "stack", None)
    L = ["# Worst-case stack and test coverage", "",
         "Copied from `build/analysis/stack-and-coverage.md` of the last `make analyze` "
         "(CONFIG=%s, %s). `make analyze` recomputes both on every run; the method is in "
         "docs/safety/misra.md (\"Worst-case stack\")." % (ctx.config, datetime.date.today().isoformat()), "",
         "## Worst-case stack", ""]
    if s:
        L.append("Per hart: **%d bytes of CONFIG_HART_STACK_SIZE = %d** (%d%%, margin %d bytes): %d on the "
                 "deepest path from `%s` plus %d for a trap taken in the hypervisor on top of it (`%s`)."
                 % (s["total"], s["limit"] or 0, (100 * s["total"] // s["limit"]) if s["limit"] else 0,
                    (s["limit"] or 0) - s["total"], s["root_bytes"], s["root"], s["nested_bytes"], s["nested"]))
        L.append("")
        L.extend(stack_path_lines(s))
        L.append("Per entry point: " + ", ".join("`%s` %d bytes" % (r, b) for r, b in sorted(s["per_root"].items()))
                 + ".")
    else:
        L.append("(not computed)")
    L += ["", "## Coverage", ""] + coverage_lines(ctx) + [""]
    return "\n".join(L) + "\n"
