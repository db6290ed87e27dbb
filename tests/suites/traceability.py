# SPDX-License-Identifier: Apache-2.0
"""Requirements traceability (docs/safety/requirements.md): the real tree
traces completely, and ci/analyze/trace.py itself refuses each kind of gap
on small canned trees (a requirement without a test, an unknown ID, a test
without an ID, a stale glob, a missing implementing file).
"""

import os
import subprocess
import tempfile

TRACE = os.path.join("ci", "analyze", "trace.py")
MATRIX = os.path.join("docs", "safety", "trace-matrix.md")

REQS = """# Requirements

## Group A

| ID | requirement | implemented in |
|---|---|---|
| TST-A-1 | first guarantee | `src/a.c` |
| TST-A-2 | second guarantee | `src/a.c`, `src/b.c` |
"""

SUITE = '''VERIFIES = {VERIFIES}


def collect(ctx):
    return [("one", lambda: None), ("two", lambda: None)]
'''

UNIT = """#include <stdarg.h>
{TAG}
static void test_alpha(void **state)
{{
    (void)state;
}}

int main(void)
{{
    const struct CMUnitTest tests[] = {{
        cmocka_unit_test(test_alpha),
    }};
    return cmocka_run_group_tests(tests, NULL, NULL);
}}
"""


class Tree:
    """A canned source tree: requirements, one suite `s`, one cmocka file."""

    def __init__(self, reqs=REQS, verifies='{"one": ["TST-A-1"], "two": ["TST-A-2"]}',
                 tag="/* verifies: TST-A-1 */", files=("src/a.c", "src/b.c")):
        self.dir = tempfile.TemporaryDirectory(prefix="bh-trace-")
        root = self.dir.name
        for d in ("docs", "suites", "unit", "src"):
            os.makedirs(os.path.join(root, d))
        self.write("docs/req.md", reqs)
        self.write("suites/s.py", SUITE.replace("{VERIFIES}", verifies))
        self.write("unit/test_a.c", UNIT.format(TAG=tag))
        for f in files:
            self.write(f, "/* implementation */\n")
        self.out = os.path.join(root, "matrix.md")

    def write(self, rel, text):
        with open(os.path.join(self.dir.name, rel), "w", encoding="utf-8") as fh:
            fh.write(text)

    def run(self, ctx):
        cmd = [ctx.python, os.path.join(ctx.root, TRACE), "--root", self.dir.name, "--requirements",
               "docs/req.md", "--suites", "suites", "--unit", "unit=test_", "--build", ctx.build,
               "--out", self.out]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        written = os.path.isfile(self.out)
        self.dir.cleanup()
        return p, written


def expect_failure(ctx, tree, line):
    p, written = tree.run(ctx)
    errors = [l for l in p.stderr.splitlines() if l.startswith("trace: ")]
    assert p.returncode == 1, f"trace.py exited {p.returncode}, want 1; stderr:\n{p.stderr}"
    assert any(line in l for l in errors), f"no error line containing {line!r}; stderr:\n{p.stderr}"
    assert not written, "a failing trace must not write the matrix"


VERIFIES = {
    "*": ["EVD-4"],
}


def collect(ctx):
    def t_repository():
        with tempfile.TemporaryDirectory(prefix="bh-trace-") as tmp:
            out = os.path.join(tmp, "trace-matrix.md")
            p = subprocess.run([ctx.python, os.path.join(ctx.root, TRACE), "--build", ctx.build, "--out", out],
                               capture_output=True, text=True, timeout=300)
            assert p.returncode == 0, f"trace.py on this tree exited {p.returncode}:\n{p.stderr}"
            with open(out, encoding="utf-8") as fh:
                fresh = fh.read()
        with open(os.path.join(ctx.root, MATRIX), encoding="utf-8") as fh:
            assert fh.read() == fresh, f"{MATRIX} differs from a fresh run: run `make analyze` and commit it"

    def t_complete():
        p, written = Tree().run(ctx)
        assert p.returncode == 0 and written, f"trace.py exited {p.returncode}:\n{p.stderr}"
        assert "2 requirements, 3 tests, all traced" in p.stdout, p.stdout

    def t_matrix_content():
        tree = Tree()
        cmd = [ctx.python, os.path.join(ctx.root, TRACE), "--root", tree.dir.name, "--requirements",
               "docs/req.md", "--suites", "suites", "--unit", "unit=test_", "--build", ctx.build]
        runs = []
        for _ in range(2):
            p = subprocess.run(cmd + ["--out", tree.out], capture_output=True, text=True, timeout=120)
            assert p.returncode == 0, p.stderr
            with open(tree.out, encoding="utf-8") as fh:
                runs.append(fh.read())
        tree.dir.cleanup()
        text = runs[0]
        assert runs[0] == runs[1], "two runs on the same tree gave different matrices"
        a1 = text[text.index("### TST-A-1"):text.index("### TST-A-2")]
        a2 = text[text.index("### TST-A-2"):]
        assert "- `s/one`" in a1 and "- `unit/test_a/test_alpha`" in a1 and "s/two" not in a1, a1
        assert "- `s/two`" in a2 and "`src/b.c`" in a2 and "s/one" not in a2, a2
        assert "| [TST-A-1](#tst-a-1) | 2 |" in text, text

    def t_requirement_without_test():
        expect_failure(ctx, Tree(verifies='{"*": ["TST-A-1"]}'), "requirement TST-A-2 is verified by no test")

    def t_unknown_id():
        expect_failure(ctx, Tree(verifies='{"one": ["TST-A-1"], "two": ["TST-A-2", "TST-B-9"]}'),
                       "test s/two names TST-B-9, which is not a requirement")

    def t_unknown_id_in_cmocka_tag():
        expect_failure(ctx, Tree(tag="/* verifies: TST-A-1, TST-Z-1 */"),
                       "test unit/test_a/test_alpha names TST-Z-1, which is not a requirement")

    def t_test_without_id():
        expect_failure(ctx, Tree(tag="/* the first case */"), "test unit/test_a/test_alpha names no requirement")
        expect_failure(ctx, Tree(verifies='{"one": ["TST-A-1", "TST-A-2"]}'), "test s/two names no requirement")

    def t_stale_glob():
        expect_failure(ctx, Tree(verifies='{"*": ["TST-A-1", "TST-A-2"], "three": ["TST-A-1"]}'),
                       "VERIFIES glob 'three' matches no test")

    def t_suite_without_verifies():
        expect_failure(ctx, Tree(verifies='None'), "suites/s.py: no module-level VERIFIES")

    def t_missing_source_and_duplicate_id():
        expect_failure(ctx, Tree(files=("src/a.c",)), "implementing file src/b.c does not exist")
        expect_failure(ctx, Tree(reqs=REQS + "| TST-A-1 | again | `src/a.c` |\n"), "TST-A-1 defined twice")

    return [
        ("repository_traces_completely", t_repository),
        ("canned_tree_traces", t_complete),
        ("matrix_lists_tests_and_sources_deterministically", t_matrix_content),
        ("requirement_without_test_fails", t_requirement_without_test),
        ("unknown_id_fails", t_unknown_id),
        ("unknown_id_in_cmocka_tag_fails", t_unknown_id_in_cmocka_tag),
        ("test_without_id_fails", t_test_without_id),
        ("stale_glob_fails", t_stale_glob),
        ("suite_without_verifies_fails", t_suite_without_verifies),
        ("missing_source_or_duplicate_id_fails", t_missing_source_and_duplicate_id),
    ]
