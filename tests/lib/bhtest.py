# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for Bulkhead's Python test suites (tests/suites/*.py).

tests/run.py puts tests/lib on sys.path and passes this module as ctx.helpers.
A suite defines collect(ctx) -> [(name, fn), ...]; fn() passes by returning,
fails by raising (AssertionError with a clear message), and raises Skip only for
a missing optional input.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(ROOT, "tools")
PYTHON = "/usr/bin/python3"
FAKE_QEMU = os.path.join(LIB, "fake_qemu.py")

if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

# Re-exported for the suites: bhtest.run_headless(...), bhtest.RunnerError, ...
from bulkhead_run import (Action, RunnerError, RunResult, ScriptError,  # noqa: E402
                          load_system, parse_script, run_headless)

__all__ = ["Action", "CachedRun", "FAKE_QEMU", "PYTHON", "ROOT", "RunResult", "RunnerError",
           "ScriptError", "Skip", "assert_line", "assert_no_line", "excerpt", "has_line",
           "load_system", "matching", "parse_script", "require_build", "run_headless",
           "script_done_and_line_ended"]


class Skip(Exception):
    """Raised by a test whose optional input (e.g. RTTHREAD_IMAGE) is missing."""


def excerpt(lines, n=12, title="log"):
    """The last n lines, indented, for an assertion message."""
    lines = list(lines)
    tail = lines[-n:]
    if not tail:
        return f"{title} is empty"
    more = f" (last {len(tail)} of {len(lines)} lines)" if len(lines) > len(tail) else ""
    return f"{title}{more}:\n" + "\n".join("    | " + l for l in tail)


def matching(lines, regex):
    """Match objects of every line that matches regex (re.search)."""
    pat = re.compile(regex)
    return [m for m in (pat.search(l) for l in lines) if m]


def has_line(lines, regex) -> bool:
    pat = re.compile(regex)
    return any(pat.search(l) for l in lines)


def assert_line(lines, regex, what):
    """Assert some line matches; the failure shows the log's tail."""
    if not has_line(lines, regex):
        raise AssertionError(f"{what}: no line matches /{regex}/; " + excerpt(lines))


def assert_no_line(lines, regex, what):
    bad = [l for l in lines if re.search(regex, l)]
    if bad:
        raise AssertionError(f"{what}: {len(bad)} line(s) match /{regex}/, first: {bad[0]!r}")


def script_done_and_line_ended(r) -> bool:
    """A stop_when for a script that ends on a wait-for: that wait matches a
    line as soon as the pattern has arrived, so the rest of the line (a stats
    line's counters) needs a moment more before QEMU is stopped."""
    return r.script_done and r.since_script_done() >= 0.5


def require_build(build_dir, config):
    """The system must have been built (the Makefile builds it before make test)."""
    elf = os.path.join(build_dir, "bulkhead.elf")
    js = os.path.join(build_dir, "system.json")
    missing = [p for p in (elf, js) if not os.path.isfile(p)]
    if missing:
        raise AssertionError(f"{', '.join(missing)} missing: run make CONFIG={config} first")


class CachedRun:
    """One headless boot shared by several small tests of a suite: the first
    test to ask runs it; a failure to run is remembered and re-raised."""

    def __init__(self, fn):
        self.fn = fn
        self.done = False
        self.value = None
        self.error = None

    def get(self):
        if not self.done:
            self.done = True
            try:
                self.value = self.fn()
            except Exception as e:  # re-raised for every test that needs the run
                self.error = e
        if self.error is not None:
            raise AssertionError(f"the shared run failed: {type(self.error).__name__}: "
                                 f"{self.error}") from self.error
        return self.value
