# SPDX-License-Identifier: Apache-2.0
"""Layout: every C file of the project as clang-format lays it out (.clang-format,
cells/.clang-format for the guests); `make format` applies it."""

import re

from .findings import Finding
from .shell import pmap, run

FORMAT_LINE = re.compile(r"^(.+?):(\d+):(\d+): (?:warning|error): code should be clang-formatted")
# Inputs of other tools' tests, kept byte for byte as those tools wrote them.
EXCLUDED = ("tests/analyze/", "tests/configs/")


def c_files():
    rc, out, _ = run(["git", "ls-files", "*.c", "*.h"])
    if rc != 0:
        return []
    return [f for f in out.splitlines() if f and not f.startswith(EXCLUDED)]


def step_format(ctx):
    files = c_files()
    if not files:
        ctx.add(Finding("format", "host", "format:no-files", ".", 0, "git ls-files found no C file to check"))
        return

    def one(chunk):
        return run(["clang-format", "--style=file", "--dry-run"] + chunk, timeout=600)

    chunks = [files[i:i + 20] for i in range(0, len(files), 20)]
    first = {}
    counts = {}
    for rc, out, err in pmap(ctx, one, chunks):
        for line in (out + "\n" + err).splitlines():
            m = FORMAT_LINE.match(line)
            if m:
                path = m.group(1)
                counts[path] = counts.get(path, 0) + 1
                first.setdefault(path, int(m.group(2)))
            elif rc != 0 and "error:" in line:
                ctx.add(Finding("format", "host", "format:failed", ".", 0, "clang-format: " + line.strip()))
    for path in sorted(first):
        scope = "hyp" if path.startswith("src/") else "host"
        ctx.add(Finding("format", scope, "format:clang-format", path, first[path],
                        "%d place(s) not laid out as clang-format would (make format)" % counts[path]))
    ctx.format_files = len(files)
