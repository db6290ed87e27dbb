# SPDX-License-Identifier: Apache-2.0
"""Licensing: LICENSE holds the Apache License 2.0 and every source file of the
project (C, assembly, linker scripts, Python, shell, make and Kconfig files)
names it with an SPDX identifier in its first two lines (after a #! line).
Test inputs whose line numbers other tests read (tests/analyze/,
tests/configs/), documents and device trees are not source files here."""

import os
import re
import subprocess

SPDX = "SPDX-License-Identifier: Apache-2.0"
SOURCE = re.compile(r"\.(c|h|S|py|sh|mk|ld\.in)$|(^|/)(Makefile|Kconfig)$|^\.ci/run$")
NOT_SOURCE = re.compile(r"^(docs/|tests/analyze/|tests/configs/|dts/)")

VERIFIES = {
    "*": ["EVD-7"],
}


def source_files(root):
    out = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split() if SOURCE.search(f) and not NOT_SOURCE.match(f)]


def collect(ctx):
    def t_license_is_apache_2():
        with open(os.path.join(ctx.root, "LICENSE"), encoding="utf-8") as f:
            text = f.read()
        assert "Apache License" in text and "Version 2.0, January 2004" in text, "LICENSE is not Apache-2.0"
        assert "END OF TERMS AND CONDITIONS" in text, "LICENSE lacks the full terms"

    def t_every_source_file_names_it():
        files = source_files(ctx.root)
        assert len(files) > 100, f"only {len(files)} source files found: git ls-files failed?"
        missing = []
        for f in files:
            with open(os.path.join(ctx.root, f), encoding="utf-8") as fh:
                head = [fh.readline() for _ in range(2)]
            if not any(SPDX in line for line in head):
                missing.append(f)
        assert not missing, (f"{len(missing)} source file(s) without '{SPDX}' in their first two "
                             f"lines: {', '.join(missing[:10])}")

    return [("license_is_apache_2", t_license_is_apache_2),
            ("every_source_file_names_it", t_every_source_file_names_it)]
