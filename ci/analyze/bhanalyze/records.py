# SPDX-License-Identifier: Apache-2.0
"""Records: every suppression (ci/analyze/suppressions.txt) names a deviation record of
docs/safety/deviations.md that lists its id, no suppression lives in the sources, and
docs/safety/misra.md agrees with what the run found."""

import fnmatch
import os
import re
import shlex

from .findings import Finding
from .misra import misra_rule_info
from .paths import DEVIATIONS_DOC, MISRA_DOC, ROOT, SUPPRESSIONS
from .sources import hyp_headers, read_lines, source_line


def step_inline_suppressions(ctx):
    """Suppressions live in ci/analyze/suppressions.txt only, next to their deviation record."""
    pat = re.compile(r"NOLINT|cppcheck-suppress|#\s*pragma\s+GCC\s+diagnostic|#\s*pragma\s+clang\s+diagnostic")
    for scope, files in (("hyp", ctx.hyp_srcs + hyp_headers(ctx)), ("host", ctx.host_srcs)):
        hdrs = []
        if scope == "host":
            for s in ctx.host_srcs:
                d = os.path.dirname(s)
                hdrs += [os.path.join(d, f) for f in os.listdir(os.path.join(ROOT, d)) if f.endswith(".h")]
        for path in sorted(set(files + hdrs)):
            for n, line in enumerate(read_lines(path), 1):
                if pat.search(line):
                    ctx.add(Finding("records", scope, "records:inline-suppression", path, n,
                                    "in-source suppression; record it in %s instead" % SUPPRESSIONS))


def load_records():
    """docs/safety/deviations.md: '### DEV-nn ...' / '### FP-nn ...' sections, each with a
    'Finding ids' line naming the ids it covers (in backquotes)."""
    recs = {}
    cur = None
    for n, line in enumerate(read_lines(DEVIATIONS_DOC), 1):
        m = re.match(r"^#{2,4}\s+((?:DEV|FP)-\d+)\b\s*[:—-]*\s*(.*)$", line)
        if m:
            cur = m.group(1)
            recs[cur] = {"title": m.group(2).strip(), "ids": set(), "line": n}
            continue
        if cur and re.search(r"finding ids", line, re.I):
            recs[cur]["ids"].update(re.findall(r"`([^`]+)`", line))
    return recs


def load_suppressions(ctx):
    sups = []
    for n, line in enumerate(read_lines(SUPPRESSIONS), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            p = shlex.split(text)
        except ValueError as e:
            ctx.add(Finding("records", "hyp", "records:bad-suppression", SUPPRESSIONS, n, str(e)))
            continue
        if len(p) < 3:
            ctx.add(Finding("records", "hyp", "records:bad-suppression", SUPPRESSIONS, n,
                            "want: <finding id> <path glob> <record> [match <regex>]"))
            continue
        s = {"id": p[0], "glob": p[1], "record": p[2], "match": None, "line": n, "used": 0}
        if len(p) >= 5 and p[3] == "match":
            try:
                s["match"] = re.compile(p[4])
            except re.error as e:
                ctx.add(Finding("records", "hyp", "records:bad-suppression", SUPPRESSIONS, n, str(e)))
                continue
        sups.append(s)
    return sups


def apply_suppressions(ctx):
    recs = load_records()
    sups = load_suppressions(ctx)
    valid = []
    for s in sups:
        r = recs.get(s["record"])
        if r is None:
            ctx.add(Finding("records", "hyp", "records:no-record", SUPPRESSIONS, s["line"],
                            "suppression of %s names %s, which %s does not record"
                            % (s["id"], s["record"], DEVIATIONS_DOC)))
            continue
        if s["id"] not in r["ids"]:
            ctx.add(Finding("records", "hyp", "records:id-not-in-record", SUPPRESSIONS, s["line"],
                            "%s does not list `%s` in its 'Finding ids' (%s:%d)"
                            % (s["record"], s["id"], DEVIATIONS_DOC, r["line"])))
            continue
        valid.append(s)
    for f in ctx.findings:
        if f.status != "open" and f.status != "info":
            continue
        for s in valid:
            if s["id"] not in f.aliases:
                continue
            if not fnmatch.fnmatch(f.file, s["glob"]):
                continue
            if s["match"] is not None and not s["match"].search(source_line(f.file, f.line)):
                continue
            s["used"] += 1
            if f.status == "open":
                f.status = "deviated"
            f.record = s["record"]
            break
    ctx.unused_suppressions = [s for s in valid if s["used"] == 0]
    ctx.records = recs
    ctx.suppressions = sups


def check_docs(ctx):
    """docs/safety/misra.md must agree with what the run found for the hypervisor."""
    if not ctx.misra_rules:
        ctx.add(Finding("records", "hyp", "records:no-rule-table", MISRA_DOC, 0, "no rule table found"))
        return
    by_rule = {}
    for f in ctx.findings:
        if f.scope == "hyp" and f.rule.startswith("misra-c2012-"):
            by_rule.setdefault(f.rule, []).append(f)
    for rule, fs in sorted(by_rule.items()):
        info = misra_rule_info(ctx, rule)
        if info is None:
            ctx.add(Finding("records", "hyp", "records:rule-missing", MISRA_DOC, 0,
                            "%s is reported but not in the rule table" % rule))
            continue
        status = info["status"].lower()
        devs = sorted({f.record for f in fs if f.status == "deviated" and f.record.startswith("DEV-")})
        if status.startswith("not applicable"):
            ctx.add(Finding("records", "hyp", "records:doc-disagrees", MISRA_DOC, 0,
                            "%s is marked not applicable but has %d finding(s)" % (rule, len(fs))))
        elif devs and not status.startswith("deviated"):
            ctx.add(Finding("records", "hyp", "records:doc-disagrees", MISRA_DOC, 0,
                            "%s has findings deviated by %s but is marked '%s'" % (rule, ", ".join(devs),
                                                                                 info["status"])))
        else:
            for d in devs:
                if d not in info["status"]:
                    ctx.add(Finding("records", "hyp", "records:doc-disagrees", MISRA_DOC, 0,
                                    "%s: status '%s' does not name %s" % (rule, info["status"], d)))
