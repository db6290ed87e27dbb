# SPDX-License-Identifier: Apache-2.0
"""The static-analysis gate: `make analyze` (ci/analyze/, docs/safety/misra.md)
inside `make test`, so CI fails on any finding that is neither fixed nor
recorded as a deviation.

One analysis run (CONFIG=baremetal-pair, built by `make test` beforehand)
serves every test of this module; there is one test per check of the
analysis summary. A second run analyses the AIA build (CONFIG=
baremetal-pair-aia: the APLIC and IMSIC drivers, the emulated APLIC domain,
in <build>/analysis-aia) with the same checks, named aia/<check>. A test fails with the open findings of its check, one
"file:line: id: message" line each; the whole list and the deviated ones are
in <build>/analysis/report.md. generated_docs_current fails while a committed
document `make analyze` generates (GENERATED_DOCS) differs from this run's.
"""

import difflib
import json
import os
import subprocess
import threading

CONFIG = "baremetal-pair"
AIA_CONFIG = "baremetal-pair-aia"  # the files an AIA platform builds instead of the PLIC's
# Committed documents `make analyze` generates; the analysis run writes each,
# under the same file name, into <build>/analysis.
GENERATED_DOCS = ("docs/safety/stack-and-coverage.md", "docs/safety/trace-matrix.md")
TIMEOUT = 900  # seconds; the analysis takes about a minute on 2 cores


class _Analysis:
    def __init__(self, ctx, config=CONFIG, out="analysis"):
        self.ctx = ctx
        self.config = config
        self.out = out
        self.lock = threading.Lock()
        self.result = None
        self.error = None

    def get(self):
        with self.lock:
            if self.result is None and self.error is None:
                try:
                    self.result = self._run()
                except Exception as e:  # re-raised for every test of the module
                    self.error = e
        if self.error is not None:
            raise AssertionError(f"the analysis did not run: {type(self.error).__name__}: {self.error}")
        return self.result

    def _run(self):
        out = os.path.join(self.ctx.build, self.out)
        js = os.path.join(out, "findings.json")
        # Nothing of an earlier run may pass for this run's output.
        for path in [js] + [os.path.join(out, os.path.basename(d)) for d in GENERATED_DOCS]:
            if os.path.exists(path):
                os.remove(path)
        # -f both files: works whether or not the Makefile already includes the fragment.
        cmd = ["make", "--no-print-directory", "-C", self.ctx.root, "-f", "Makefile", "-f",
               "ci/analyze/analyze.mk", f"BUILD={self.ctx.build}", f"CONFIG={self.config}", f"ANALYSIS_DIR={out}",
               "analyze-only"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, errors="replace")
        if not os.path.isfile(js):
            tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
            raise RuntimeError(f"make analyze-only exited {p.returncode} without {js}:\n{tail}")
        with open(js) as fh:
            return json.load(fh)


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {  # each check's test and its aia/ twin
    "*misra": ["EVD-1"],
    "*cppcheck": ["EVD-1"],
    "*tidy": ["EVD-1"],
    "*analyzer": ["EVD-1"],
    "*records": ["EVD-1"],
    "*stack": ["EVD-2"],
    "*recursion": ["EVD-2"],
    "*heap": ["EVD-3"],
    "*vla": ["EVD-3"],
    "*fp": ["EVD-3"],
    "*complexity": ["EVD-3"],
    "generated_docs_current": ["EVD-4"],
}


def collect(ctx):
    analysis = _Analysis(ctx)
    aia_analysis = _Analysis(ctx, AIA_CONFIG, "analysis-aia")
    checks = [("misra", "MISRA C:2012"), ("cppcheck", "cppcheck bug checks"), ("tidy", "clang-tidy"),
              ("analyzer", "gcc -fanalyzer"), ("stack", "worst-case stack"), ("recursion", "no recursion"),
              ("heap", "no heap"), ("vla", "no VLAs"), ("fp", "no floating point"),
              ("complexity", "complexity limits"), ("records", "deviation records")]

    def make_test(check, title, run=analysis):
        def test():
            data = run.get()
            opened = [f for f in data["findings"] if f["check"] == check and f["status"] == "open"]
            assert not opened, (f"{title}: {len(opened)} open finding(s) (fix, or record in "
                                f"docs/safety/deviations.md + ci/analyze/suppressions.txt):\n"
                                + "\n".join("  " + f["text"] for f in opened[:40])
                                + ("\n  ..." if len(opened) > 40 else ""))
        return test

    def t_generated_docs_current():
        # The analysis run wrote fresh copies into <build>/analysis (ci/analyze/analyze.mk).
        analysis.get()
        stale = []
        for doc in GENERATED_DOCS:
            fresh = os.path.join(ctx.build, "analysis", os.path.basename(doc))
            assert os.path.isfile(fresh), (f"the analysis run did not write {fresh} "
                                           "(see the `trace:` lines of ci/analyze/trace.py)")
            with open(fresh, encoding="utf-8") as fh:
                new = fh.read().splitlines(keepends=True)
            with open(os.path.join(ctx.root, doc), encoding="utf-8") as fh:
                old = fh.read().splitlines(keepends=True)
            if new != old:
                diff = list(difflib.unified_diff(old, new, doc, fresh, n=0))
                stale.append("".join(diff[:30]) + ("  ...\n" if len(diff) > 30 else ""))
        assert not stale, ("committed generated document(s) differ from a fresh run; run `make analyze` "
                           "and commit docs/safety/:\n" + "\n".join(stale))

    return [(check, make_test(check, title)) for check, title in checks] + \
        [("generated_docs_current", t_generated_docs_current)] + \
        [("aia/" + check, make_test(check, f"{title} ({AIA_CONFIG})", aia_analysis)) for check, title in checks]
