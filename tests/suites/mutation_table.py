# SPDX-License-Identifier: Apache-2.0
"""The mutation table (ci/mutate/mutants.txt, run by `make mutate`) stays
meaningful: it parses, holds at least 20 mutants, every mutant's find text
occurs exactly once in the current source (so a refactor cannot silently turn
a mutant into a no-op: it must update the table), every system and suite it
names exists, and docs/safety/mutation.md reports every mutant of the table as
killed. The parser and the applicability check themselves refuse each kind of
broken entry on small canned tables.
"""

import os
import re
import sys
import tempfile

MIN_MUTANTS = 20
DOC = os.path.join("docs", "safety", "mutation.md")

GOOD = """# a comment
[one]
file:    src/a.c
find:    return x < n;
replace: return x <= n;
breaks:  TST-1: off by one
systems: -
tests:   unit/test_a, s/
"""

VERIFIES = {
    "*": ["EVD-8"],
}


def collect(ctx):
    sys.path.insert(0, os.path.join(ctx.root, "ci", "mutate"))
    import mutants as table  # noqa: E402  (ci/mutate is not a package)

    path = os.path.join(ctx.root, table.TABLE)

    def load():
        return table.parse(path)

    def t_parses():
        ms = load()
        assert len(ms) >= MIN_MUTANTS, f"{path}: {len(ms)} mutants, want at least {MIN_MUTANTS}"
        for m in ms:
            assert m.breaks.strip(), f"[{m.id}] says nothing about what it breaks"
            assert not m.file.startswith("tests/"), f"[{m.id}] mutates a test, not the code"

    def t_applies():
        bad = table.problems(ctx.root, load())
        assert not bad, (f"{len(bad)} mutants of {table.TABLE} do not apply to the source "
                         f"(update the table with the code):\n" + "\n".join("    " + b for b in bad))

    def t_report_current():
        doc = os.path.join(ctx.root, DOC)
        assert os.path.isfile(doc), f"{DOC} missing: run make mutate"
        rows = {}
        with open(doc, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^\| `([a-z0-9-]+)` \| `[^`]+` \| .* \| (\w+) \| .* \| \d+ \|$", line)
                if m:
                    rows[m.group(1)] = m.group(2)
        ids = [m.id for m in load()]
        missing = [i for i in ids if i not in rows]
        extra = [i for i in rows if i not in ids]
        alive = [f"{i} ({rows[i]})" for i in ids if rows.get(i, "killed") != "killed"]
        assert not missing and not extra, (
            f"{DOC} is not the report of {table.TABLE}: mutants not in it {missing}, rows "
            f"of no mutant {extra}; run make mutate")
        assert not alive, f"{DOC}: mutants not killed: {alive}"

    def canned(text, files=None):
        d = tempfile.TemporaryDirectory(prefix="bh-mutants-")
        for rel, body in (files or {"src/a.c": "int f(int x, int n) { return x < n; }\n"}).items():
            os.makedirs(os.path.join(d.name, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(d.name, rel), "w") as f:
                f.write(body)
        os.makedirs(os.path.join(d.name, "tests", "suites"), exist_ok=True)
        with open(os.path.join(d.name, "tests", "suites", "s.py"), "w") as f:
            f.write("")
        t = os.path.join(d.name, "mutants.txt")
        with open(t, "w") as f:
            f.write(text)
        return d, t

    def t_canned_good():
        d, t = canned(GOOD)
        with d:
            ms = table.parse(t)
            assert [m.id for m in ms] == ["one"] and ms[0].tests == ["unit/test_a", "s/"]
            assert ms[0].suites() == ["unit", "s"] and ms[0].systems == []
            assert table.problems(d.name, ms) == []
            assert table.apply("return x < n;", ms[0]) == "return x <= n;"

    def t_canned_refused():
        cases = {
            "find text twice": (GOOD, {"src/a.c": "return x < n; return x < n;\n"}, "occurs 2 times"),
            "find text gone": (GOOD, {"src/a.c": "return x != n;\n"}, "occurs 0 times"),
            "file gone": (GOOD, {"src/b.c": ""}, "no such file"),
            "unknown system": (GOOD.replace("systems: -", "systems: nosuch"), None,
                               "no configs/nosuch.dts"),
            "unknown suite": (GOOD.replace("s/", "nosuite/x"), None, "no suite"),
        }
        for what, (text, files, want) in cases.items():
            d, t = canned(text, files)
            with d:
                got = table.problems(d.name, table.parse(t))
                assert any(want in g for g in got), f"{what}: problems {got}, want one with {want!r}"
        bad_tables = {
            "missing key": (GOOD.replace("breaks:  TST-1: off by one\n", ""), "lacks breaks"),
            "duplicate id": (GOOD + GOOD.replace("# a comment\n", ""), "also at line"),
            "no-op": (GOOD.replace("x <= n", "x < n"), "replace equals find"),
            "unknown key": (GOOD + "colour: red\n", "unknown key"),
            "bad id": (GOOD.replace("[one]", "[One Two]"), "is not lower-case"),
        }
        for what, (text, want) in bad_tables.items():
            d, t = canned(text)
            with d:
                try:
                    table.parse(t)
                except table.TableError as e:
                    assert want in str(e) and "mutants.txt:" in str(e), f"{what}: {e}"
                else:
                    raise AssertionError(f"{what}: the table was accepted")

    return [("table_parses", t_parses),
            ("every_mutant_applies_exactly_once", t_applies),
            ("report_lists_every_mutant_killed", t_report_current),
            ("canned_table_accepted", t_canned_good),
            ("canned_tables_refused", t_canned_refused)]
