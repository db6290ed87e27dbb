# SPDX-License-Identifier: Apache-2.0
"""MISRA C:2012 through cppcheck's misra addon (+ cppcheck's own checks), and the rule table of docs/safety/misra.md."""

import os
import re
import shlex
import shutil

from .findings import Finding
from .paths import MISRA_DOC, PLATFORM_XML
from .shell import run
from .sources import read_lines, split_flags


MISRA_ADDON_DIRS = ("/usr/lib/x86_64-linux-gnu/cppcheck/addons", "/usr/share/cppcheck/addons",
                    "/usr/lib/cppcheck/addons")


def load_misra_doc(ctx):
    """Rows '| Rule 10.4 | Required | summary | checked by | status |' of docs/safety/misra.md."""
    row = re.compile(r"^\|\s*(Rule|Dir)\s+(\d+\.\d+)\s*\|\s*([^|]*)\|\s*([^|]*)\|\s*([^|]*)\|\s*([^|]*)\|")
    for line in read_lines(MISRA_DOC):
        m = row.match(line)
        if m:
            ctx.misra_rules[("R" if m.group(1) == "Rule" else "D") + m.group(2)] = {
                "kind": m.group(1), "category": m.group(3).strip(), "summary": m.group(4).strip(),
                "tool": m.group(5).strip(), "status": m.group(6).strip()}


def misra_rule_info(ctx, rule_id):
    m = re.match(r"misra-c2012-(\d+\.\d+)$", rule_id)
    if not m:
        return None
    return ctx.misra_rules.get("R" + m.group(1))


def find_misra_addon():
    for d in MISRA_ADDON_DIRS:
        if os.path.isfile(os.path.join(d, "misra.py")):
            return os.path.join(d, "misra.py")
    return "misra"


CPPCHECK_LINE = re.compile(r"^(.+?):(\d+):(\d+): (\w+): ([\w.\-]+): (.*)$")


def step_cppcheck(ctx, scope):
    files = ctx.hyp_srcs if scope == "hyp" else ctx.host_srcs
    flags = ctx.hyp_cflags if scope == "hyp" else ctx.host_cflags
    incs, defs = split_flags(flags)
    bdir = os.path.join(ctx.out, "cppcheck-" + scope)
    shutil.rmtree(bdir, ignore_errors=True)
    os.makedirs(bdir, exist_ok=True)
    platform = PLATFORM_XML if scope == "hyp" else "unix64"
    cmd = ["cppcheck", "--addon=" + find_misra_addon(), "--std=c11", "--platform=" + platform,
           "--enable=warning,style,performance,portability", "--inconclusive", "-q",
           "-j%d" % max(1, ctx.jobs), "--cppcheck-build-dir=" + bdir,
           "--template={file}:{line}:{column}: {severity}: {id}: {message}",
           "--suppress=missingIncludeSystem", "--suppress=unmatchedSuppression",
           "--suppress=checkersReport"] + incs + defs + files
    rc, out, err = run(cmd, timeout=900)
    with open(os.path.join(ctx.out, "cppcheck-%s.log" % scope), "w") as fh:
        fh.write(" ".join(shlex.quote(c) for c in cmd) + "\n\n" + out + err)
    if rc not in (0, 1) and not err.strip():
        ctx.add(Finding("misra", scope, "cppcheck:failed", "", 0, "cppcheck exited %d" % rc))
    for bad in ("Traceback", "Failed to execute addon", "Bailing out", "cppcheckError", "internalError"):
        if bad in out + err:
            ctx.add(Finding("misra", scope, "cppcheck:failed", "", 0, "cppcheck or its misra addon failed (%s); see "
                            "%s/cppcheck-%s.log" % (bad, ctx.out, scope)))
            break
    seen = set()
    for line in err.splitlines():
        m = CPPCHECK_LINE.match(line)
        if not m:
            continue
        path, ln, col, sev, ident, msg = m.groups()
        if ident == "misra-config" or sev == "error" and ident.startswith("syntax"):
            check = "misra"
        else:
            check = "misra" if ident.startswith("misra-") else "cppcheck"
        key = (path, ln, col, ident)
        if key in seen:
            continue
        seen.add(key)
        gating = sev != "information"
        if ident.startswith("misra-c2012-"):
            info = misra_rule_info(ctx, ident)
            if info:
                msg = "[%s] %s" % (info["category"].lower(), info["summary"])
            else:
                msg = "(rule not in %s)" % MISRA_DOC
            if scope == "host" and not (info and info["category"].lower() == "mandatory"):
                gating = False  # host tools: only mandatory MISRA rules gate (docs/safety/misra.md)
        ctx.add(Finding(check, scope, ident, path, ln, msg, col, gating))
