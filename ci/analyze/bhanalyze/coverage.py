# SPDX-License-Identifier: Apache-2.0
"""Host unit-test line and branch coverage (gcovr), reported only."""

import json
import os

from .findings import Finding
from .paths import ROOT
from .shell import run


NOT_BINARIES = (".o", ".d", ".c", ".h", ".gcno", ".gcda", ".gcov", ".txt", ".log", ".json", ".map", ".su", ".a")


def step_coverage(ctx):
    host = os.path.join(ROOT, ctx.inp["build"], "host")
    ctx.coverage = None
    tests = [t for t in ctx.inp.get("host_tests", "").split() if os.path.isfile(os.path.join(ROOT, t))]
    gcda = []
    for dirpath, _, files in os.walk(host):
        gcda += [os.path.join(dirpath, f) for f in files if f.endswith(".gcda")]
    ran = []
    if tests:
        # Always from zero: counters left by an earlier partial run (one binary,
        # tests/run.py -k) would change the figures of the committed document.
        for f in gcda:
            os.remove(f)
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
        for t in tests:
            rc, out, err = run([os.path.join(ROOT, t)], timeout=300, env=env)
            ran.append((t, rc))
            if rc != 0:
                ctx.add(Finding("records", "host", "coverage:unit-test-failed", t, 0,
                                "unit test exited %d while collecting coverage" % rc, gating=False))
    gcda = [1 for _, _, files in os.walk(host) for f in files if f.endswith(".gcda")]
    if not gcda:
        ctx.coverage_note = "no .gcda files under %s/host (run `make test` first)" % ctx.inp["build"]
        return
    out_json = os.path.join(ctx.out, "coverage.json")
    cmd = ["gcovr", "-r", ROOT, "--filter", os.path.join(ROOT, "src/"), "--filter",
           os.path.join(ROOT, "tools/bhconfig/"), "--json-summary-pretty", "-o", out_json, host]
    rc, out, err = run(cmd, timeout=600)
    if rc != 0:
        ctx.coverage_note = "gcovr failed: " + (err.strip().splitlines() or ["?"])[-1]
        return
    with open(out_json) as fh:
        ctx.coverage = json.load(fh)
    ctx.coverage_note = ("unit tests run by make analyze: " + ", ".join(os.path.basename(t) for t, _ in ran)) if ran \
        else "counters from the last `make test`"
