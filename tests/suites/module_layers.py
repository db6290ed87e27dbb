# SPDX-License-Identifier: Apache-2.0
"""The hypervisor's generic modules form no dependency cycle (ci/module_graph.py).

A module is a header of src/include with the .c files that define what it
declares; one depends on another when its header or its .c files include the
other's header. The check runs on the tree, and on two canned trees to show
it finds a cycle made through a .c file and passes an acyclic one.
"""

import os
import subprocess
import tempfile

import bhtest

SCRIPT = os.path.join(bhtest.ROOT, "ci", "module_graph.py")


def run(root):
    return subprocess.run([bhtest.PYTHON, SCRIPT, "--root", root], capture_output=True, text=True, timeout=60)


def write(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)


# low.h <- high.h, and low.c calls up into high: a cycle only the .c file shows.
CYCLIC = {
    "src/include/bulkhead/low.h": "#ifndef LOW_H\n#define LOW_H\nvoid low_run(void);\n#endif\n",
    "src/include/bulkhead/high.h": '#include "bulkhead/low.h"\nvoid high_notify(int n);\n',
    "src/core/low.c": '#include "bulkhead/low.h"\n#include "bulkhead/high.h"\n\nvoid low_run(void)\n{\n'
                      "    high_notify(1);\n}\n",
    "src/core/high.c": '#include "bulkhead/high.h"\n\nvoid high_notify(int n)\n{\n    (void)n;\n    low_run();\n}\n',
}


VERIFIES = {
    "*": ["EVD-6"],
}


def collect(ctx):
    def t_tree_has_no_module_cycle():
        p = run(ctx.root)
        assert p.returncode == 0, (p.stdout + p.stderr).strip()[-2000:]

    def t_finds_cycle_through_a_source_file():
        with tempfile.TemporaryDirectory() as tmp:
            write(tmp, CYCLIC)
            p = run(tmp)
            assert p.returncode == 1, f"exit {p.returncode}: {p.stdout}{p.stderr}"
            assert "module cycle: bulkhead/high.h -> bulkhead/low.h -> bulkhead/high.h" in p.stdout, p.stdout

    def t_passes_layered_tree():
        with tempfile.TemporaryDirectory() as tmp:
            layered = dict(CYCLIC)
            layered["src/core/low.c"] = '#include "bulkhead/low.h"\n\nvoid low_run(void)\n{\n}\n'
            write(tmp, layered)
            p = run(tmp)
            assert p.returncode == 0, p.stdout + p.stderr
            assert "no module cycle among 2 modules" in p.stdout, p.stdout

    return [("tree_has_no_module_cycle", t_tree_has_no_module_cycle),
            ("finds_cycle_through_a_source_file", t_finds_cycle_through_a_source_file),
            ("passes_layered_tree", t_passes_layered_tree)]
