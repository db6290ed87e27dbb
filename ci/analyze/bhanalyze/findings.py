# SPDX-License-Identifier: Apache-2.0
"""A finding (one result of one check at one place) and the table of checks."""

from .paths import rel


# Rows of the summary table, in order: check id -> title.
CHECKS = [
    ("misra", "MISRA C:2012 (cppcheck misra addon)"),
    ("cppcheck", "cppcheck bug checks"),
    ("tidy", "clang-tidy (cert, bugprone, clang-analyzer)"),
    ("analyzer", "gcc -fanalyzer"),
    ("stack", "worst-case stack vs hart stack"),
    ("recursion", "no recursion (call graph, misc-no-recursion)"),
    ("heap", "no heap"),
    ("vla", "no VLAs"),
    ("fp", "no floating point"),
    ("complexity", "complexity limits per function"),
    ("format", "layout (clang-format)"),
    ("records", "deviation records and suppressions"),
]


class Finding:
    """One result of one check at one place."""

    def __init__(self, check, scope, rule, file, line, msg, col=0, gating=True):
        self.check = check
        self.scope = scope          # "hyp" or "host"
        self.rule = rule            # e.g. misra-c2012-10.4, clang-tidy:cert-err33-c, stack:overflow
        self.aliases = [rule]
        self.file = rel(file) if file else ""
        self.line = int(line or 0)
        self.col = int(col or 0)
        self.msg = msg.strip()
        self.gating = gating        # False: reported for information only
        self.status = "open" if gating else "info"
        self.record = ""

    def where(self):
        if not self.file:
            return "(build)"
        s = self.file
        if self.line:
            s += ":%d" % self.line
            if self.col:
                s += ":%d" % self.col
        return s

    def text(self):
        s = "%s: %s: %s" % (self.where(), self.rule, self.msg)
        if self.record:
            s += "  [%s]" % self.record
        return s

    def key(self):
        return (self.rule, self.file, self.line, self.col, self.msg)
