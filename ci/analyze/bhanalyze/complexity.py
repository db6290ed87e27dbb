# SPDX-License-Identifier: Apache-2.0
"""Complexity limits per function: cyclomatic (pmccabe) here; cognitive is clang-tidy's (bhanalyze.tidy)."""

import re

from .findings import Finding
from .paths import rel
from .shell import run


PMCCABE_LINE = re.compile(r"^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+?)\((\d+)\):\s+(.+)$")


def step_complexity(ctx):
    limit = int(ctx.inp.get("ccn_limit", "15"))
    ctx.complexity = {}
    for scope, files in (("hyp", ctx.hyp_srcs), ("host", ctx.host_srcs)):
        files = [f for f in files if not f.startswith(ctx.obj + "/gen/")]
        rc, out, err = run(["pmccabe", "-v"] + files)
        if rc == 127:
            ctx.add(Finding("complexity", scope, "complexity:no-pmccabe", "", 0,
                            "pmccabe not installed (make deps)"))
            continue
        rows = []
        for line in out.splitlines():
            m = PMCCABE_LINE.match(line)
            if m:
                mod, trad, stmts, first, nlines, path, ln, fn = m.groups()
                rows.append((int(trad), int(mod), int(stmts), int(nlines), rel(path), int(ln), fn))
                if int(trad) > limit:
                    ctx.add(Finding("complexity", scope, "complexity:cyclomatic", path, ln,
                                    "%s has cyclomatic complexity %s (limit %d)" % (fn, trad, limit)))
        rows.sort(reverse=True)
        ctx.complexity[scope] = rows
