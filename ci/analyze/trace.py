#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Requirements traceability: requirement -> tests -> source files, checked.

Reads the requirements of docs/safety/requirements.md (one table row per
requirement: `| ID | statement | implemented in |`, the source files in
backquotes), the IDs every test names (docs/safety/requirements.md,
"How a test names what it verifies"):

  tests/suites/<suite>.py   a module-level VERIFIES = {"<test-name glob>": ["ID", ...]}
                            over the names its collect(ctx) returns
  tests/unit*/test_*.c      a comment /* verifies: ID, ID */ right before a
                            registered cmocka test function

and writes the trace matrix (Markdown). It fails, one line per problem and
without writing the matrix, on: a requirement no test verifies, an ID a test
names that is not a requirement, a test that names no requirement, a
VERIFIES glob that matches no test, a duplicate ID, an implementing file that
does not exist. Deterministic: the same tree gives the same bytes.
"""

import argparse
import fnmatch
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ID_RE = r"[A-Z]{2,}(?:-[A-Z]+)*-[0-9]+"
ROW_RE = re.compile(r"^\|\s*(" + ID_RE + r")\s*\|(.*)\|(.*)\|\s*$")
TAG_RE = re.compile(r"/\*\s*verifies:\s*([^*]*?)\s*\*/\s*$")
FUNC_RE = re.compile(r"^static void (test_\w+)\(void \*\*\w*\)")
# Unit-test sources and the prefix of their binaries' names (tests/unit/*.mk, tests/unit-hyp/unit-hyp.mk).
UNIT_DIRS = (("tests/unit", "test_"), ("tests/unit-hyp", "test_hyp_"))


class Trace:
    def __init__(self, root):
        self.root = root
        self.errors = []
        self.groups = []     # [(title, [id, ...])]
        self.reqs = {}       # id -> {"text", "files"}
        self.tests = {}      # full test name -> [ids]
        self.where = {}      # full test name -> file that names its IDs

    def error(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    # -------------------------------------------------------- requirements
    def read_requirements(self, path):
        rel = os.path.relpath(path, self.root)
        title = None
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.startswith("## "):
                    title = line[3:].strip()
                m = ROW_RE.match(line.rstrip("\n"))
                if not m:
                    continue
                rid, text, impl = m.group(1), m.group(2).strip(), m.group(3)
                if rid in self.reqs:
                    self.error("%s:%d" % (rel, n), "requirement %s defined twice" % rid)
                    continue
                files = re.findall(r"`([^`]+)`", impl)
                if not files:
                    self.error("%s:%d" % (rel, n), "requirement %s names no implementing file" % rid)
                for f in files:
                    if not os.path.exists(os.path.join(self.root, f)):
                        self.error("%s:%d" % (rel, n), "requirement %s: implementing file %s does not exist"
                                   % (rid, f))
                self.reqs[rid] = {"text": text, "files": files}
                if not self.groups or self.groups[-1][0] != title:
                    self.groups.append((title, []))
                self.groups[-1][1].append(rid)
        if not self.reqs:
            self.error(rel, "no requirement rows (| ID | statement | implemented in |)")

    # -------------------------------------------------------- suites
    def read_suites(self, suites_dir, build):
        # The driver of this checkout gives the suites their ctx, as `tests/run.py --list` does.
        run = load_module("bulkhead_trace_run", os.path.join(ROOT, "tests", "run.py"))
        ctx = run.Context(self.root, build, 1, False)
        for name in sorted(os.listdir(suites_dir)):
            if not name.endswith(".py") or name.startswith("_"):
                continue
            suite = name[:-3]
            path = os.path.join(suites_dir, name)
            rel = os.path.relpath(path, self.root)
            try:
                module = load_module("bulkhead_trace_suite_" + suite, path)
                names = [t for t, _ in module.collect(ctx)]
            except Exception as e:  # a suite that cannot be listed cannot be traced
                self.error(rel, "cannot collect its tests: %s: %s" % (type(e).__name__, e))
                continue
            verifies = getattr(module, "VERIFIES", None)
            if not isinstance(verifies, dict):
                self.error(rel, "no module-level VERIFIES = {\"<test glob>\": [\"ID\", ...]}")
                continue
            ids_of = {t: set() for t in names}
            for glob, ids in sorted(verifies.items()):
                if not isinstance(ids, (list, tuple)) or not ids:
                    self.error(rel, "VERIFIES[%r] is not a non-empty list of IDs" % glob)
                    continue
                hits = fnmatch.filter(names, glob)
                if not hits:
                    self.error(rel, "VERIFIES glob %r matches no test of the suite" % glob)
                for t in hits:
                    ids_of[t].update(ids)
            for t in names:
                self.add_test("%s/%s" % (suite, t), sorted(ids_of[t]), rel)

    # -------------------------------------------------------- cmocka
    def read_unit(self, src_dir, prefix):
        base = os.path.join(self.root, src_dir)
        if not os.path.isdir(base):
            return
        for name in sorted(os.listdir(base)):
            if not (name.startswith("test_") and name.endswith(".c")):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, self.root)
            binary = prefix + name[len("test_"):-2]
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            tags = {}
            for n, line in enumerate(lines):
                m = FUNC_RE.match(line)
                if not m:
                    continue
                k = n - 1
                while k >= 0 and lines[k].strip() == "":
                    k -= 1
                t = TAG_RE.search(lines[k]) if k >= 0 else None
                tags[m.group(1)] = [i.strip() for i in t.group(1).split(",") if i.strip()] if t else []
            text = "\n".join(lines)
            arr = re.search(r"CMUnitTest\s+\w+\[\]\s*=\s*\{(.*?)\};", text, re.S)
            if not arr:
                self.error(rel, "no `const struct CMUnitTest tests[] = {...};` array")
                continue
            registered = [w for w in re.findall(r"\b(test_\w+)\b", arr.group(1)) if w in tags]
            for fn in registered:
                self.add_test("unit/%s/%s" % (binary, fn), tags[fn], rel)

    def add_test(self, name, ids, where):
        if name in self.tests:
            self.error(where, "test %s listed twice" % name)
            return
        self.tests[name] = ids
        self.where[name] = where

    # -------------------------------------------------------- checks and matrix
    def check(self):
        for t in sorted(self.tests):
            ids = self.tests[t]
            if not ids:
                self.error(self.where[t], "test %s names no requirement" % t)
            for i in ids:
                if i not in self.reqs:
                    self.error(self.where[t], "test %s names %s, which is not a requirement" % (t, i))
        for rid in self.reqs:
            if not self.verified_by(rid):
                self.error("requirements", "requirement %s is verified by no test" % rid)

    def verified_by(self, rid):
        return sorted(t for t, ids in self.tests.items() if rid in ids)

    def matrix(self, req_rel):
        links = sum(len(ids) for ids in self.tests.values())
        L = ["# Requirements trace matrix", "",
             "Generated by `make analyze` (ci/analyze/trace.py) from %s and the IDs every test "
             "names; `make test` fails while it differs from a fresh run. %d requirements, %d tests, "
             "%d test-to-requirement links." % (req_rel, len(self.reqs), len(self.tests), links), "",
             "| ID | tests | implemented in |", "|---|---:|---|"]
        for _, ids in self.groups:
            for rid in ids:
                L.append("| [%s](#%s) | %d | %s |" % (rid, rid.lower(), len(self.verified_by(rid)),
                                                     ", ".join("`%s`" % f for f in self.reqs[rid]["files"])))
        for title, ids in self.groups:
            L += ["", "## %s" % title]
            for rid in ids:
                r = self.reqs[rid]
                L += ["", "### %s" % rid, "", r["text"], "", "Implemented in: "
                      + ", ".join("`%s`" % f for f in r["files"]) + ".", "",
                      "Verified by:", ""]
                L += ["- `%s`" % t for t in self.verified_by(rid)]
        return "\n".join(L) + "\n"


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=ROOT, help="source tree (default: this checkout)")
    ap.add_argument("--requirements", default="docs/safety/requirements.md", help="relative to --root")
    ap.add_argument("--suites", default="tests/suites", help="relative to --root")
    ap.add_argument("--build", default="build", help="build directory handed to the suites' collect(ctx)")
    ap.add_argument("--unit", action="append", metavar="DIR=PREFIX",
                    help="cmocka sources under DIR (relative to --root), binaries named PREFIX<name>; "
                         "repeatable (default: %s)" % ", ".join("%s=%s" % u for u in UNIT_DIRS))
    ap.add_argument("--out", required=True, help="the trace matrix to write (Markdown)")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.root)
    tr = Trace(root)
    tr.read_requirements(os.path.join(root, args.requirements))
    tr.read_suites(os.path.join(root, args.suites), os.path.abspath(args.build))
    for d, prefix in ([tuple(u.split("=", 1)) for u in args.unit] if args.unit else UNIT_DIRS):
        tr.read_unit(d, prefix)
    tr.check()
    if tr.errors:
        for e in tr.errors:
            print("trace: " + e, file=sys.stderr)
        print("trace: FAIL, %d problem(s); %s not written" % (len(tr.errors), args.out), file=sys.stderr)
        return 1
    text = tr.matrix(args.requirements)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print("trace: %d requirements, %d tests, all traced: %s" % (len(tr.reqs), len(tr.tests), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
