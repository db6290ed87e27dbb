#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""make mutate: plant each bug of ci/mutate/mutants.txt in a scratch copy of
the tree, rebuild, run the fast tests named for it and record whether they
catch it (killed, with the first failing test) or not (survived).

The working tree is never changed: the tool copies the tracked and untracked
(not ignored) files of the tree into <work>/tree (later runs copy only what
changed, so the builds there stay incremental), builds and tests the
unmutated copy once (every selected test must pass there, else the run stops:
a failure would not mean anything), then for each mutant replaces its find
text, rebuilds, runs its tests in order until one fails, and puts the file
back. A mutant whose build fails is "stillborn": the table entry is wrong and
the run fails. A full run writes docs/safety/mutation.md; a run of some
mutants (--only a,b / make mutate MUTANTS=a,b) writes <work>/mutation.md.
Exit status 0 only if every mutant run was killed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import mutants as table  # noqa: E402

PYTHON = "/usr/bin/python3"
DOC = os.path.join("docs", "safety", "mutation.md")
BUILD_TIMEOUT = 900      # s for one make
TESTS_TIMEOUT = 900      # s for one tests/run.py selection: longer is a hang, the mutant is killed
TEST_LIMIT = 300         # tests/run.py --timeout per test


def log(msg):
    print(f"mutate: {msg}", flush=True)


# ---------------------------------------------------------------- scratch tree

def tree_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], capture_output=True, check=True).stdout
    return sorted(f for f in out.decode().split("\0") if f and os.path.isfile(os.path.join(root, f)))


def same(a, b):
    if not os.path.isfile(b) or os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def sync(root, scratch):
    """Make scratch hold exactly root's files (its build/ directory stays); a
    changed file gets a new mtime, so make rebuilds what depends on it."""
    files = tree_files(root)
    copied = 0
    for f in files:
        src, dst = os.path.join(root, f), os.path.join(scratch, f)
        if not same(src, dst):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            shutil.copymode(src, dst)
            copied += 1
    wanted = set(files)
    removed = 0
    for dirpath, dirnames, filenames in os.walk(scratch):
        rel = os.path.relpath(dirpath, scratch)
        if rel == "build" or rel.startswith("build" + os.sep):
            dirnames[:] = []
            continue
        for name in filenames:
            f = os.path.normpath(os.path.join(rel, name))
            if f not in wanted:
                os.remove(os.path.join(dirpath, name))
                removed += 1
    return len(files), copied, removed


# ---------------------------------------------------------------- build and test

def make(scratch, args, jobs):
    cmd = ["make", "-C", scratch, f"-j{jobs}", "--no-print-directory", "BUILD=build"] + args
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, f"make {' '.join(args)}: no result in {BUILD_TIMEOUT} s"
    if p.returncode != 0:
        tail = (p.stdout + p.stderr).strip().splitlines()[-12:]
        return False, f"make {' '.join(args)} failed:\n" + "\n".join("    " + l for l in tail)
    return True, ""


def build(scratch, systems, needs_unit, jobs):
    targets = [["bhconfig"]]
    if needs_unit:
        targets.append(["bhconfig-tests", "hyp-unit-tests"])
    targets += [[f"CONFIG={s}", "all"] for s in systems]
    for t in targets:
        ok, why = make(scratch, t, jobs)
        if not ok:
            return why
    return None


def run_tests(scratch, selection, jobs):
    """tests/run.py on one selection: ('pass', n) / ('fail', first failing test) /
    ('timeout', text) / ('error', text)."""
    suite = selection.split("/", 1)[0]
    cmd = [PYTHON, os.path.join(scratch, "tests", "run.py"), "--build",
           os.path.join(scratch, "build"), "--suite", suite, "-k", selection, "-j", str(jobs),
           "--timeout", str(TEST_LIMIT)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TESTS_TIMEOUT,
                           cwd=scratch, start_new_session=True)
    except subprocess.TimeoutExpired:
        return "timeout", f"{selection}: no result within {TESTS_TIMEOUT} s"
    lines = p.stdout.splitlines()
    passes = [l for l in lines if l.startswith("PASS ")]
    for i, line in enumerate(lines):
        if line.startswith("FAIL "):
            # The FAIL line, with the first of its indented detail lines.
            more = [l.strip() for l in lines[i + 1:i + 3] if l[:1].isspace()]
            return "fail", " ".join([line[len("FAIL "):]] + more[:1])
    if p.returncode != 0 or not passes:
        tail = " | ".join((p.stdout + p.stderr).strip().splitlines()[-3:])
        return "error", f"{selection}: tests/run.py status {p.returncode}, " \
                        f"{len(passes)} passed: {tail}"
    return "pass", len(passes)


# ---------------------------------------------------------------- mutants

def save_log(scratch, m, text):
    """The whole reason of a stillborn mutant, next to the scratch tree."""
    d = os.path.join(os.path.dirname(scratch), "logs")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, m.id + ".txt"), "w", encoding="utf-8") as f:
        f.write(text + "\n")

def run_mutant(scratch, m, jobs):
    path = os.path.join(scratch, m.file)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    start = time.monotonic()
    with open(path, "w", encoding="utf-8") as f:
        f.write(table.apply(original, m))
    try:
        why = build(scratch, m.systems, "unit" in m.suites(), jobs)
        if why is not None:
            save_log(scratch, m, why)
        if why is not None:
            return {"status": "stillborn", "by": why}
        for sel in m.tests:
            status, what = run_tests(scratch, sel, jobs)
            if status == "fail":
                return {"status": "killed", "by": what}
            if status == "timeout":
                return {"status": "killed", "by": what + " (hang)"}
            if status == "error":
                return {"status": "error", "by": what}
        return {"status": "survived", "by": ", ".join(m.tests) + " all pass"}
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        m.seconds = time.monotonic() - start


def baseline(scratch, mutants, jobs):
    systems = sorted({s for m in mutants for s in m.systems})
    needs_unit = any("unit" in m.suites() for m in mutants)
    log(f"building the unmutated copy ({', '.join(systems) or 'no system'}"
        f"{', unit tests' if needs_unit else ''})")
    why = build(scratch, systems, needs_unit, jobs)
    if why is not None:
        return f"the unmutated tree does not build: {why}"
    for sel in sorted({t for m in mutants for t in m.tests}):
        status, what = run_tests(scratch, sel, jobs)
        if status != "pass":
            return f"the unmutated tree fails {sel}: {what}"
        log(f"  baseline {sel}: {what} passed")
    return None


# ---------------------------------------------------------------- report

def short(text, n=110):
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= n else text[:n - 1] + "…"


def report(path, results, total_s, full):
    killed = sum(1 for m, r in results if r["status"] == "killed")
    lines = [
        "# Mutation testing",
        "",
        "Generated by `make mutate` (ci/mutate/mutate.py) from the table",
        "[ci/mutate/mutants.txt](../../ci/mutate/mutants.txt); do not edit by hand.",
        "",
        "Each mutant plants one bug in the isolation-critical code of a scratch copy",
        "of the tree (never the working tree), rebuilds, and runs the fast tests its",
        "entry names (host unit tests, config tests, QEMU suites with the small",
        "bare-metal guests; never the Linux cell), in order until one fails. A",
        "mutant is *killed* when a test fails (or hangs), and the first failing test",
        "is named below; it *survives* when all pass. Every mutant must be killed:",
        "a survivor is a missing test. `tests/suites/mutation_table.py` checks that",
        "every mutant's find text still occurs exactly once in the source, so a",
        "refactor cannot turn a mutant into a no-op.",
        "",
        "Rerun: `make mutate` (all mutants; rewrites this file) or",
        "`make mutate MUTANTS=id1,id2` (some; writes `build/mutate/mutation.md`).",
        "",
        f"**Score: {killed} of {len(results)} mutants killed** "
        f"({100.0 * killed / max(1, len(results)):.0f} %); the run took "
        f"{total_s / 60:.1f} minutes on this machine (2 shared cores), "
        f"including the build and test of the unmutated copy.",
        "",
        "| mutant | file | what it breaks | result | first failing test | s |",
        "|---|---|---|---|---|---|",
    ]
    for m, r in results:
        lines.append(f"| `{m.id}` | `{m.file}` | {short(m.breaks, 200)} | {r['status']} | "
                     f"{short(r['by'])} | {m.seconds:.0f} |")
    if not full:
        lines += ["", "(A run of some mutants only.)"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(prog="ci/mutate/mutate.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", default=os.path.join(ROOT, "build", "mutate"),
                   help="scratch directory (default build/mutate)")
    p.add_argument("--only", default="", help="comma-separated mutant ids")
    p.add_argument("--table", default=os.path.join(ROOT, table.TABLE))
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--doc", default=None,
                   help=f"report file (default: {DOC} for a full run, else <work>/mutation.md)")
    args = p.parse_args(argv)

    try:
        mutants = table.parse(args.table)
    except (OSError, table.TableError) as e:
        print(f"mutate: {e}", file=sys.stderr)
        return 2
    bad = table.problems(ROOT, mutants)
    if bad:
        print("mutate: the table does not apply to this tree:\n  " + "\n  ".join(bad),
              file=sys.stderr)
        return 2
    full = not args.only.strip()
    if not full:
        want = [x for x in args.only.replace(" ", ",").split(",") if x]
        known = {m.id for m in mutants}
        unknown = [x for x in want if x not in known]
        if unknown:
            print(f"mutate: unknown mutant(s) {', '.join(unknown)}; known: "
                  f"{', '.join(sorted(known))}", file=sys.stderr)
            return 2
        mutants = [m for m in mutants if m.id in want]
    doc = args.doc or (os.path.join(ROOT, DOC) if full else os.path.join(args.work, "mutation.md"))

    start = time.monotonic()
    scratch = os.path.join(os.path.abspath(args.work), "tree")
    os.makedirs(scratch, exist_ok=True)
    n, copied, removed = sync(ROOT, scratch)
    log(f"scratch copy {scratch}: {n} files, {copied} copied, {removed} removed")
    why = baseline(scratch, mutants, args.jobs)
    if why is not None:
        print(f"mutate: {why}", file=sys.stderr)
        return 1
    results = []
    for i, m in enumerate(mutants, 1):
        r = run_mutant(scratch, m, args.jobs)
        results.append((m, r))
        log(f"[{i}/{len(mutants)}] {m.id}: {r['status']} by {short(r['by'], 160)} "
            f"({m.seconds:.0f} s)")
    # The scratch tree is unmutated again; leave its builds current for the next run.
    build(scratch, sorted({s for m in mutants for s in m.systems}), True, args.jobs)
    total = time.monotonic() - start
    report(doc, results, total, full)
    killed = sum(1 for _, r in results if r["status"] == "killed")
    log(f"{killed} of {len(results)} mutants killed in {total / 60:.1f} min; report {doc}")
    for m, r in results:
        if r["status"] != "killed":
            log(f"NOT KILLED [{m.id}] {r['status']}: {r['by']}")
            if r["status"] == "stillborn":
                log(f"  (the build's output: {os.path.join(args.work, 'logs', m.id + '.txt')})")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
