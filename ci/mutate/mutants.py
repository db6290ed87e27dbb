# SPDX-License-Identifier: Apache-2.0
"""The mutation table (ci/mutate/mutants.txt): parsing and applicability.

A mutant is one block of "key: value" lines after a "[id]" header:

    [vplic-enable-foreign-source]
    file:    src/core/vplic.c
    find:    v->enable[vhart][w] = value & v->owned[w];
    replace: v->enable[vhart][w] = value;
    breaks:  ISO-DEV-2: a cell can enable a source it does not own
    systems: hostile-memprobe
    tests:   unit/test_hyp_vplic, system_hostile/memprobe/

find and replace are exact text; "\\n" in them stands for a newline and
"\\t" for a tab, so a mutant can span lines. The find text must occur exactly
once in its file. systems are the `make CONFIG=<name>` builds the tests need;
tests are test-name prefixes or globs as tests/run.py prints them
(suite/name), tried in order until one fails. Lines starting with # are
comments. Used by ci/mutate/mutate.py and tests/suites/mutation_table.py.
"""

import os
import re

TABLE = os.path.join("ci", "mutate", "mutants.txt")
KEYS = ("file", "find", "replace", "breaks", "systems", "tests")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class TableError(Exception):
    pass


class Mutant:
    def __init__(self, mid, line, fields):
        self.id = mid
        self.line = line
        self.file = fields["file"]
        self.find = unescape(fields["find"])
        self.replace = unescape(fields["replace"])
        self.breaks = fields["breaks"]
        self.systems = split_list(fields["systems"])
        self.tests = split_list(fields["tests"])

    def suites(self):
        """The suite of each test selection, in order ('unit' for cmocka binaries)."""
        return [t.split("/", 1)[0] for t in self.tests]


def unescape(text):
    return text.replace("\\n", "\n").replace("\\t", "\t")


def split_list(text):
    return [x for x in re.split(r"[,\s]+", text.strip()) if x and x != "-"]


def parse(path):
    """Mutants of the table at path, in order; TableError names file:line on bad input."""
    mutants, seen = [], {}
    current, start, fields = None, 0, {}

    def finish():
        if current is None:
            return
        missing = [k for k in KEYS if k not in fields]
        if missing:
            raise TableError(f"{path}:{start}: mutant [{current}] lacks {', '.join(missing)}")
        m = Mutant(current, start, fields)
        if m.find == m.replace:
            raise TableError(f"{path}:{start}: mutant [{current}]: replace equals find")
        if not m.tests:
            raise TableError(f"{path}:{start}: mutant [{current}]: no tests")
        mutants.append(m)

    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^\[(.*)\]\s*$", line)
            if m:
                finish()
                current, start, fields = m.group(1), n, {}
                if not ID_RE.match(current):
                    raise TableError(f"{path}:{n}: mutant id '{current}' is not lower-case "
                                     f"letters, digits and dashes")
                if current in seen:
                    raise TableError(f"{path}:{n}: mutant id '{current}' also at line "
                                     f"{seen[current]}")
                seen[current] = n
                continue
            m = re.match(r"^([a-z]+):\s?(.*)$", line)
            if not m or current is None:
                raise TableError(f"{path}:{n}: expected '[id]' or 'key: value', got {line!r}")
            key, value = m.group(1), m.group(2).strip()
            if key not in KEYS:
                raise TableError(f"{path}:{n}: unknown key '{key}' (known: {', '.join(KEYS)})")
            if key in fields:
                raise TableError(f"{path}:{n}: mutant [{current}] has '{key}' twice")
            fields[key] = value
    finish()
    if not mutants:
        raise TableError(f"{path}: no mutants")
    return mutants


def problems(root, mutants):
    """Why mutants would not apply to the tree at root: one line each, [] if all apply."""
    out = []
    for m in mutants:
        path = os.path.join(root, m.file)
        if not os.path.isfile(path):
            out.append(f"[{m.id}] {m.file}: no such file")
            continue
        with open(path, encoding="utf-8") as f:
            n = f.read().count(m.find)
        if n != 1:
            out.append(f"[{m.id}] {m.file}: the find text occurs {n} times, want exactly 1: "
                       f"{m.find!r}")
        for system in m.systems:
            if not os.path.isfile(os.path.join(root, "configs", system + ".dts")):
                out.append(f"[{m.id}] systems: no configs/{system}.dts")
        for suite in m.suites():
            if suite != "unit" and not os.path.isfile(
                    os.path.join(root, "tests", "suites", suite + ".py")):
                out.append(f"[{m.id}] tests: no suite tests/suites/{suite}.py")
    return out


def apply(text, m):
    """text with the mutant applied; ValueError unless the find text occurs once."""
    n = text.count(m.find)
    if n != 1:
        raise ValueError(f"[{m.id}] {m.file}: the find text occurs {n} times, want exactly 1")
    return text.replace(m.find, m.replace, 1)
