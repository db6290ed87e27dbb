# SPDX-License-Identifier: Apache-2.0
"""Self-tests of the test driver (tests/run.py): how it counts cmocka cases from
real cmocka binaries (built here with gcc and libcmocka, as the unit tests are),
how it reports crashes, hangs and odd exits, the one summary line, and how a
suite test's exception becomes a FAIL line."""

import importlib.util
import os
import re
import subprocess

from bhtest import PYTHON, ROOT, Skip

RUN_PY = os.path.join(ROOT, "tests", "run.py")

CMOCKA_MAIN = r"""
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

static void passes(void **s) { (void)s; assert_int_equal(2, 2); }
static void fails(void **s) { (void)s; assert_int_equal(7, 8); }
static void skips(void **s) { (void)s; skip(); }
static void segv(void **s) { (void)s; if (getenv("SELFTEST_SEGV")) raise(SIGSEGV); }
static void leaves(void **s) { (void)s; if (getenv("SELFTEST_EXIT")) _exit(3); }
static void hangs(void **s) { (void)s; if (getenv("SELFTEST_HANG")) sleep(60); }

int main(void)
{
    const struct CMUnitTest first[] = {
        cmocka_unit_test(passes), cmocka_unit_test(fails), cmocka_unit_test(skips),
        cmocka_unit_test(segv), cmocka_unit_test(leaves), cmocka_unit_test(hangs),
    };
    const struct CMUnitTest second[] = { cmocka_unit_test(passes) };
    int failed = cmocka_run_group_tests_name("first", first, NULL, NULL);
    failed += cmocka_run_group_tests_name("second", second, NULL, NULL);
    if (getenv("SELFTEST_ABORT"))
        abort();
    return failed;
}
"""

ALL_PASS = r"""
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
static void one(void **s) { (void)s; assert_true(1); }
static void two(void **s) { (void)s; assert_string_equal("a", "a"); }
int main(void)
{
    const struct CMUnitTest t[] = { cmocka_unit_test(one), cmocka_unit_test(two) };
    return cmocka_run_group_tests(t, NULL, NULL);
}
"""


def load_driver():
    spec = importlib.util.spec_from_file_location("bulkhead_test_driver", RUN_PY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Env:
    def __init__(self, build):
        self.dir = os.path.join(build, "driver-selftest")
        self.tests = os.path.join(self.dir, "host", "tests")
        os.makedirs(self.tests, exist_ok=True)
        self.binary = self.compile("test_sample", CMOCKA_MAIN)
        self.driver = load_driver()

    def compile(self, name, source, where=None):
        where = where or self.tests
        os.makedirs(where, exist_ok=True)
        src = os.path.join(self.dir, name + ".c")
        with open(src, "w", encoding="utf-8") as f:
            f.write(source)
        out = os.path.join(where, name)
        p = subprocess.run(["gcc", "-O0", "-o", out, src, "-lcmocka"], capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise AssertionError(f"cannot build a cmocka test program (gcc, libcmocka-dev "
                                 f"are build dependencies): {p.stderr.strip()}")
        return out

    def script(self, name, text):
        path = os.path.join(self.dir, "scripts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n" + text)
        os.chmod(path, 0o755)
        return path

    def unit(self, path, patterns=(), env=None, timeout=30):
        got = []
        saved = dict(os.environ)
        os.environ.update(env or {})
        try:
            self.driver.run_unit_binary(path, lambda *a: got.append(a), list(patterns),
                                        timeout=timeout)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return got


_env = None


def env(ctx):
    global _env
    if _env is None:
        _env = Env(ctx.build)
    return _env


def statuses(results):
    return [(r[0], r[1]) for r in results]


def t_cmocka_cases(ctx):
    e = env(ctx)
    got = e.unit(e.binary)
    p = "unit/test_sample/"
    assert statuses(got) == [("PASS", p + "passes"), ("FAIL", p + "fails"), ("SKIP", p + "skips"),
                             ("PASS", p + "segv"), ("PASS", p + "leaves"), ("PASS", p + "hangs"),
                             ("PASS", p + "passes#2")], statuses(got)
    msg = got[1][3]
    assert "0x7 != 0x8" in msg and "error: Failure!" in msg, msg
    assert all(r[2] is not None and r[2] >= 0 for r in got if r[0] == "PASS"), got


def t_cmocka_filter(ctx):
    e = env(ctx)
    got = e.unit(e.binary, ["fail"])
    assert statuses(got) == [("FAIL", "unit/test_sample/fails")], statuses(got)
    got = e.unit(e.binary, ["*/pass*"])
    assert [r[1] for r in got] == ["unit/test_sample/passes", "unit/test_sample/passes#2"], got


def t_crash_caught_by_cmocka(ctx):
    e = env(ctx)
    got = e.unit(e.binary, env={"SELFTEST_SEGV": "1"})
    segv = [r for r in got if r[1].endswith("/segv")]
    assert segv and segv[0][0] == "FAIL" and "Segmentation fault" in segv[0][3], got
    assert len(got) == 7, "a crash inside a case must not hide the other cases"


def t_crash_outside_cases(ctx):
    e = env(ctx)
    got = e.unit(e.binary, env={"SELFTEST_ABORT": "1"})
    assert len(got) == 8, statuses(got)
    assert got[-1][0] == "FAIL" and got[-1][1] == "unit/test_sample", got[-1]
    assert "crashed (SIGABRT) after 7 of 7 cases" in got[-1][3], got[-1][3]


def t_exit_mid_group(ctx):
    e = env(ctx)
    got = e.unit(e.binary, env={"SELFTEST_EXIT": "1"})
    assert statuses(got)[:4] == [("PASS", "unit/test_sample/passes"),
                                 ("FAIL", "unit/test_sample/fails"),
                                 ("SKIP", "unit/test_sample/skips"),
                                 ("PASS", "unit/test_sample/segv")], \
        "results before the exit were lost (stdout not line-buffered?)"
    assert got[-1][1] == "unit/test_sample" and \
        "stopped after 4 of 6 cases (exit status 3)" in got[-1][3], got[-1]


def t_hang(ctx):
    e = env(ctx)
    got = e.unit(e.binary, env={"SELFTEST_HANG": "1"}, timeout=2)
    assert got[-1][1] == "unit/test_sample" and "timed out after 2 s" in got[-1][3], got[-1]
    assert ("PASS", "unit/test_sample/leaves") in statuses(got), statuses(got)


def t_odd_exits(ctx):
    e = env(ctx)
    s = e.script("test_exit4", "echo 1..1\necho 'ok 1 - fine'\nexit 4\n")
    got = e.unit(s)
    assert statuses(got) == [("PASS", "unit/test_exit4/fine"), ("FAIL", "unit/test_exit4")], got
    assert "exit status 4 although no case failed" in got[1][3], got[1][3]
    s = e.script("test_silent", "echo hello\n")
    got = e.unit(s)
    assert statuses(got) == [("FAIL", "unit/test_silent")] and "no TAP output" in got[0][3] \
        and "hello" in got[0][3], got
    s = e.script("test_generic", "echo 1..2\necho 'ok 1 - a # SKIP not here'\n"
                                 "echo 'not ok 2 - b'\necho '# why'\nexit 1\n")
    got = e.unit(s)
    assert [(r[0], r[1], r[3]) for r in got] == [
        ("SKIP", "unit/test_generic/a", "not here"), ("FAIL", "unit/test_generic/b", "why")], got


def t_discovery_and_summary(ctx):
    e = env(ctx)
    # A build dir with the sample binary, an object file and a non-executable.
    build = os.path.join(e.dir, "b1")
    tests = os.path.join(build, "host", "tests")
    os.makedirs(tests, exist_ok=True)
    for name in ("test_sample", "test_sample.o", "test_notes"):
        dst = os.path.join(tests, name)
        if os.path.lexists(dst):
            os.unlink(dst)
    os.symlink(e.binary, os.path.join(tests, "test_sample"))
    open(os.path.join(tests, "test_sample.o"), "w").close()
    open(os.path.join(tests, "test_notes"), "w").close()
    found = e.driver.unit_binaries(build)
    assert [os.path.basename(p) for p in found] == ["test_sample"], found
    p = subprocess.run([PYTHON, RUN_PY, "--build", build, "--suite", "unit"],
                       capture_output=True, text=True, timeout=120)
    lines = p.stdout.splitlines()
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert lines[-1] == "5 passed, 1 failed, 1 skipped", lines[-1]
    assert re.match(r"^PASS unit/test_sample/passes \(\d+\.\ds\)$", lines[0]), lines[0]
    assert lines[1] == "FAIL unit/test_sample/fails: 0x7 != 0x8", lines[1]
    with open(os.path.join(build, "test-results.txt"), encoding="utf-8") as f:
        assert f.read() == p.stdout, "test-results.txt differs from the output"
    # All passing: exit 0, no "skipped" part.
    build2 = os.path.join(e.dir, "b2")
    e.compile("test_good", ALL_PASS, os.path.join(build2, "host", "tests"))
    p = subprocess.run([PYTHON, RUN_PY, "--build", build2, "--suite", "unit"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.splitlines()[-1] == "2 passed, 0 failed", \
        (p.returncode, p.stdout)
    p = subprocess.run([PYTHON, RUN_PY, "--build", build2, "--suite", "unit", "--list"],
                       capture_output=True, text=True, timeout=60)
    assert p.stdout.splitlines() == ["unit/test_good/one", "unit/test_good/two"], p.stdout
    p = subprocess.run([PYTHON, RUN_PY, "--build", build2, "--suite", "nosuch"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode != 0 and "unknown suite" in p.stderr, (p.returncode, p.stderr)


def t_suite_test_outcomes(ctx):
    d = env(ctx).driver
    got = []

    def rep(*a):
        got.append(a)

    def ok():
        pass

    def fails_msg():
        raise AssertionError("value 3, want 4\nmore detail")

    def fails_bare():
        x = 3
        assert x == 4

    def errors():
        {}["missing"]

    def skips():
        raise Skip("RTTHREAD_IMAGE not set")

    for name, fn in [("ok", ok), ("msg", fails_msg), ("bare", fails_bare), ("err", errors),
                     ("skip", skips)]:
        d.run_suite_test(name, fn, rep, False, timeout=0)
    assert [(g[0], g[1]) for g in got] == [("PASS", "ok"), ("FAIL", "msg"), ("FAIL", "bare"),
                                           ("FAIL", "err"), ("SKIP", "skip")], got
    assert got[1][3].startswith("value 3, want 4\nmore detail"), got[1][3]
    assert "assertion failed: assert x == 4" in got[2][3] and "driver_selftest.py:" in got[2][3], \
        got[2][3]
    assert got[3][3].startswith("KeyError: 'missing'"), got[3][3]
    assert got[4][3] == "RTTHREAD_IMAGE not set", got[4][3]
    got.clear()

    def sleeps():
        import time
        time.sleep(5)

    d.run_suite_test("slow", sleeps, rep, False, timeout=1)
    assert got[0][0] == "FAIL" and "time limit" in got[0][3], got
    assert d.selected("a/bc", ["b"]) and not d.selected("a/bc", ["x"]) \
        and d.selected("a/bc", ["a/*"]) and d.selected("a/bc", []), "selection by -k"


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*": ["TOOL-TEST-1"],
}


def collect(ctx):
    tests = [
        ("cmocka_cases_counted", t_cmocka_cases),
        ("cmocka_filter_k", t_cmocka_filter),
        ("crash_caught_by_cmocka", t_crash_caught_by_cmocka),
        ("crash_outside_cases", t_crash_outside_cases),
        ("exit_in_mid_group", t_exit_mid_group),
        ("hanging_binary_times_out", t_hang),
        ("odd_exits_and_generic_tap", t_odd_exits),
        ("discovery_summary_and_exit_status", t_discovery_and_summary),
        ("suite_test_outcomes", t_suite_test_outcomes),
    ]
    return [(name, (lambda f: lambda: f(ctx))(fn)) for name, fn in tests]
