#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Bulkhead's test driver: the one command behind `make test`.

Runs (a) every cmocka unit-test binary build/host/tests/test_* with
CMOCKA_MESSAGE_OUTPUT=TAP, each cmocka test case counting as one test, and
(b) every tests/suites/*.py module's collect(ctx) -> [(name, fn), ...]; a test
fails if fn() raises. One line per test:
    PASS name (1.2s)   /   FAIL name: message   /   SKIP name: reason
and the last line is the summary "N passed, M failed[, K skipped]".
The same lines go to <build>/test-results.txt. Exit status 1 if anything failed.

Test names: unit/<binary>/<case> for unit tests, <suite>/<name> for suite tests.
"""

import argparse
import fnmatch
import importlib.util
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.path.join(ROOT, "tests", "lib")
SUITES = os.path.join(ROOT, "tests", "suites")
PYTHON = "/usr/bin/python3"
UNIT_TIMEOUT = 300.0
TEST_TIMEOUT = 600  # seconds a suite test may take before it is stopped as a failure
NOT_BINARIES = (".o", ".d", ".c", ".h", ".gcno", ".gcda", ".gcov", ".txt", ".log", ".json",
                ".map", ".su", ".a")

if LIB not in sys.path:
    sys.path.insert(0, LIB)

import bhtest  # noqa: E402
from bhtest import Skip  # noqa: E402


class Context:
    """What a suite's collect(ctx) and its tests get."""

    def __init__(self, root, build, jobs, verbose):
        self.root = root
        self.build = build
        self.python = PYTHON
        self.jobs = jobs
        self.helpers = bhtest
        self.verbose = verbose


class Reporter:
    def __init__(self, path, listing=False):
        self.passed = self.failed = self.skipped = 0
        self.listing = listing
        self.file = None
        if path and not listing:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            self.file = open(path, "w", encoding="utf-8")

    def emit(self, line):
        print(line, flush=True)
        if self.file:
            self.file.write(line + "\n")
            self.file.flush()

    def result(self, status, name, seconds=None, message=None):
        if self.listing:
            self.emit(name)
            return
        if status == "PASS":
            self.passed += 1
            self.emit(f"PASS {name} ({seconds:.1f}s)")
            return
        if status == "SKIP":
            self.skipped += 1
        else:
            self.failed += 1
        lines = (message or ("skipped" if status == "SKIP" else "failed")).strip().splitlines() \
            or ["failed"]
        self.emit(f"{status} {name}: {lines[0]}")
        for extra in lines[1:]:
            self.emit(extra if extra[:1].isspace() else "    " + extra)

    def summary(self):
        if self.listing:
            return
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        self.emit(line)
        if self.file:
            self.file.close()


def selected(name, patterns):
    if not patterns:
        return True
    for p in patterns:
        if any(ch in p for ch in "*?["):
            if fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(name, f"*{p}*"):
                return True
        elif p in name:
            return True
    return False


# ---------------------------------------------------------------- unit tests

def unit_binaries(build):
    d = os.path.join(build, "host", "tests")
    if not os.path.isdir(d):
        return []
    out = []
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if (name.startswith("test_") and not name.endswith(NOT_BINARIES)
                and os.path.isfile(path) and os.access(path, os.X_OK)):
            out.append(path)
    return out


_CASE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(.*)$")
_PLAN = re.compile(r"^1\.\.(\d+)")
_GROUP_END = re.compile(r"^#\s*(not ok|ok) - ")


def _split_case(rest):
    """'- name', '- name # SKIP why', '# SKIP name' (cmocka) -> (name, skip reason or None)."""
    skip = None
    m = re.search(r"#\s*SKIP\b\s*(.*)$", rest, re.IGNORECASE)
    if m:
        skip = m.group(1).strip()
        rest = rest[:m.start()]
    name = rest.strip()
    if name.startswith("-"):
        name = name[1:].strip()
    if not name and skip:
        name, skip = skip, ""      # cmocka writes "not ok 3 # SKIP <name>"
    return name, skip


def _signal_name(num):
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def run_unit_binary(path, report, patterns, root=ROOT, timeout=UNIT_TIMEOUT, listing=False):
    """Run one cmocka binary, report every case as it finishes (report(status, name,
    seconds, message)), then one extra failure if the binary crashed, hung, stopped
    early or exited non-zero without a failed case."""
    binary = os.path.basename(path)
    prefix = f"unit/{binary}"
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    cmd = [path]
    # Line-buffered stdout, so a crash does not swallow the results before it.
    if os.path.exists("/usr/bin/stdbuf"):
        cmd = ["/usr/bin/stdbuf", "-oL", "-eL", path]
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=root, env=env)
    except OSError as e:
        report("FAIL", prefix, None, f"cannot run: {e}")
        return
    lines = queue.Queue()

    def reader():
        for raw in proc.stdout:
            lines.put((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\r\n")))
        lines.put((time.monotonic(), None))

    threading.Thread(target=reader, daemon=True).start()
    planned = reported = failed_cases = 0
    any_selected = selected(prefix, patterns)
    names = {}
    pending = None       # [status, name, seconds, message lines]
    last_t = start
    other = []
    timed_out = False

    def flush():
        nonlocal pending, any_selected
        if pending is None:
            return
        status, name, secs, msg = pending
        pending = None
        if selected(name, patterns):
            any_selected = True
            report(status, name, secs, "\n".join(msg) if msg else None)

    deadline = start + timeout
    while True:
        try:
            t, line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            timed_out = True
            proc.kill()
            break
        if line is None:
            break
        m = _CASE.match(line)
        if m:
            flush()
            reported += 1
            name, skip = _split_case(m.group(3))
            name = name or f"case{m.group(2) or reported}"
            names[name] = names.get(name, 0) + 1
            full = f"{prefix}/{name}" + (f"#{names[name]}" if names[name] > 1 else "")
            if skip is not None:
                pending = ["SKIP", full, t - last_t, [skip or "skipped by the test"]]
            elif m.group(1) == "ok":
                pending = ["PASS", full, t - last_t, []]
            else:
                failed_cases += 1
                pending = ["FAIL", full, t - last_t, []]
            last_t = t
            continue
        if _PLAN.match(line):
            flush()
            planned += int(_PLAN.match(line).group(1))
            last_t = t
            continue
        if _GROUP_END.match(line):
            flush()
            continue
        if line.startswith("#") and pending is not None and pending[0] == "FAIL":
            pending[3].append(line[1:].strip())
            continue
        other.append(line)
        del other[:-10]
    flush()
    proc.wait()
    rc = proc.returncode
    if listing or not any_selected:
        return
    tail = ("; output: " + " | ".join(other[-5:])) if other else ""
    if timed_out:
        report("FAIL", prefix, None, f"timed out after {timeout:g} s, "
                                     f"after {reported} of {planned} cases")
    elif rc < 0:
        report("FAIL", prefix, None, f"crashed ({_signal_name(-rc)}) after {reported} of "
                                     f"{planned} cases{tail}")
    elif planned == 0 and reported == 0:
        report("FAIL", prefix, None, f"no TAP output (exit status {rc}){tail}")
    elif reported < planned:
        report("FAIL", prefix, None, f"stopped after {reported} of {planned} cases "
                                     f"(exit status {rc}){tail}")
    elif rc != 0 and failed_cases == 0:
        report("FAIL", prefix, None, f"exit status {rc} although no case failed{tail}")


# ---------------------------------------------------------------- suites

def suite_files(only):
    """tests/suites/*.py as (name, path); only: None for all, else a list of names."""
    if not os.path.isdir(SUITES):
        return []
    out = []
    for name in sorted(os.listdir(SUITES)):
        if name.endswith(".py") and not name.startswith("_"):
            suite = name[:-3]
            if only is None or suite in only:
                out.append((suite, os.path.join(SUITES, name)))
    return out


def load_suite(suite, path):
    spec = importlib.util.spec_from_file_location(f"bulkhead_suite_{suite}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _where(exc):
    """file:line of the innermost frame in tests/ (or the innermost at all)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "", ""
    me = os.path.abspath(__file__)

    def innermost(where):
        for f in reversed(frames):
            path = os.path.abspath(f.filename)
            if path.startswith(where) and path != me:
                return f
        return None

    pick = (innermost(SUITES + os.sep) or innermost(os.path.join(ROOT, "tests") + os.sep)
            or frames[-1])
    rel = os.path.relpath(pick.filename, ROOT)
    return f"{rel}:{pick.lineno}", (pick.line or "").strip()


def describe_failure(exc, verbose):
    loc, code = _where(exc)
    if isinstance(exc, AssertionError):
        text = str(exc).strip()
        msg = text if text else f"assertion failed: {code}"
        msg += f" ({loc})" if loc and "\n" not in msg else (f"\n({loc})" if loc else "")
    else:
        msg = f"{type(exc).__name__}: {exc} ({loc})"
    if verbose:
        msg += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return msg


class TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise TestTimeout("no result within the time limit (--timeout): the test hangs")


def run_suite_test(name, fn, report, verbose, timeout=None):
    start = time.monotonic()
    timeout = TEST_TIMEOUT if timeout is None else timeout
    old = signal.signal(signal.SIGALRM, _alarm) if timeout else None
    if timeout:
        signal.alarm(int(timeout))
    try:
        fn()
    except Skip as e:
        report("SKIP", name, None, str(e) or "skipped")
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # a test calling sys.exit() is a failure too
        report("FAIL", name, None, describe_failure(e, verbose))
    else:
        report("PASS", name, time.monotonic() - start, None)
    finally:
        if timeout:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(prog="tests/run.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-k", dest="patterns", action="append", default=[], metavar="PATTERN",
                   help="run only tests whose name contains PATTERN (or matches it as a "
                        "glob if it has * ? [); repeatable: any may match")
    p.add_argument("--suite", action="append", default=[], metavar="NAME",
                   help="run only this suite (a tests/suites/NAME.py, or 'unit' for the "
                        "cmocka binaries); repeatable")
    p.add_argument("--list", action="store_true",
                   help="print the names of the selected tests and exit (runs the unit "
                        "binaries to learn their case names)")
    p.add_argument("--build", default="build", metavar="DIR",
                   help="build directory (default: build)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="parallelism a test may use for its own builds")
    p.add_argument("--timeout", type=int, default=TEST_TIMEOUT, metavar="S",
                   help=f"stop a suite test that takes longer than S seconds "
                        f"(default {TEST_TIMEOUT}; 0: no limit)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="add tracebacks to failures")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    build = os.path.abspath(args.build)
    ctx = Context(ROOT, build, args.jobs, args.verbose)
    known = {s for s, _ in suite_files(None)} | {"unit"}
    unknown = [s for s in args.suite if s not in known]
    if unknown:
        print(f"tests/run.py: unknown suite(s) {', '.join(unknown)}; "
              f"known: {', '.join(sorted(known))}", file=sys.stderr)
        return 2
    rep = Reporter(os.path.join(build, "test-results.txt"), listing=args.list)
    try:
        if not args.suite or "unit" in args.suite:
            binaries = unit_binaries(build)
            if not binaries and not args.list:
                print(f"tests/run.py: no unit-test binaries in {build}/host/tests",
                      file=sys.stderr)
            for path in binaries:
                run_unit_binary(path, rep.result, args.patterns, listing=args.list)
        for suite, path in suite_files([s for s in args.suite if s != "unit"]
                                       if args.suite else None):
            try:
                module = load_suite(suite, path)
                if not hasattr(module, "collect"):
                    raise AttributeError(f"{os.path.relpath(path, ROOT)} has no collect(ctx)")
                tests = list(module.collect(ctx))
                for item in tests:
                    if not (isinstance(item, tuple) and len(item) == 2 and callable(item[1])):
                        raise TypeError(f"collect() must return (name, fn) pairs, got {item!r}")
            except Exception as e:  # a broken suite is reported even when -k selects others
                rep.result("FAIL", f"{suite}/(load)", None, describe_failure(e, args.verbose))
                continue
            for test_name, fn in tests:
                name = f"{suite}/{test_name}"
                if not selected(name, args.patterns):
                    continue
                if args.list:
                    rep.result("LIST", name)
                else:
                    run_suite_test(name, fn, rep.result, args.verbose, args.timeout)
    except KeyboardInterrupt:
        rep.emit("interrupted")
        rep.summary()
        return 130
    if not args.list and rep.passed + rep.failed + rep.skipped == 0:
        print("tests/run.py: no test matched", file=sys.stderr)
    rep.summary()
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
