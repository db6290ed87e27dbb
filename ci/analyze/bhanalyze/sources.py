# SPDX-License-Identifier: Apache-2.0
"""Reading the sources: lines of a file, compile flags, comment-free text, the hypervisor's headers."""

import os
import re

from .paths import ROOT, rel


def read_lines(path):
    try:
        with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


_line_cache = {}


def source_line(path, line):
    if path not in _line_cache:
        _line_cache[path] = read_lines(path)
    lines = _line_cache[path]
    return lines[line - 1] if 0 < line <= len(lines) else ""


def split_flags(flags):
    """-I and -D options of a compile line, and the rest."""
    incs, defs = [], []
    i = 0
    while i < len(flags):
        f = flags[i]
        if f in ("-I", "-D") and i + 1 < len(flags):
            (incs if f == "-I" else defs).append(f + flags[i + 1])
            i += 2
            continue
        if f.startswith("-I"):
            incs.append(f)
        elif f.startswith("-D"):
            defs.append(f)
        i += 1
    return incs, defs


def flag_value(flags, prefix, default=""):
    for f in flags:
        if f.startswith(prefix):
            return f[len(prefix):]
    return default


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def hyp_headers(ctx):
    incs, _ = split_flags(ctx.hyp_cflags)
    out = []
    for i in incs:
        d = i[2:]
        for dirpath, _, files in os.walk(os.path.join(ROOT, d)):
            out += [rel(os.path.join(dirpath, f)) for f in files if f.endswith(".h")]
    return sorted(set(out))


def object_files(ctx):
    """The hypervisor's object files of this build (under <obj>/obj), unsorted."""
    objs = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, ctx.obj, "obj")):
        objs += [os.path.join(dirpath, f) for f in files if f.endswith(".o")]
    return objs
