# SPDX-License-Identifier: Apache-2.0
"""Size figures for the report: ELF sections, text/data/bss per object directory, lines of code (cloc)."""

import json
import os

from .paths import ROOT, rel
from .shell import pmap, run
from .sources import hyp_headers, object_files


def step_size(ctx):
    ctx.size = {}
    rc, out, _ = run([ctx.cross + "size", "-A", ctx.elf])
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 2 and p[0].startswith(".") and p[1].isdigit():
            ctx.size[p[0]] = int(p[1])
    # Per module: text+rodata of each object, summed by source directory.
    rc, out, _ = run([ctx.cross + "size"] + sorted(object_files(ctx)))
    mods = {}
    for line in out.splitlines()[1:]:
        p = line.split()
        if len(p) >= 6:
            mod = os.path.dirname(rel(p[5])).replace(ctx.obj + "/obj", "").strip("/") or "."
            m = mods.setdefault(mod, [0, 0, 0])
            m[0] += int(p[0])
            m[1] += int(p[1])
            m[2] += int(p[2])
    ctx.size_modules = mods
    # Lines of code per module (cloc).
    groups = [("src/core", [f for f in ctx.hyp_srcs if f.startswith("src/core/")]),
              ("src/drivers", [f for f in ctx.hyp_srcs if f.startswith("src/drivers/")]),
              ("src/arch/riscv", [f for f in ctx.hyp_srcs + ctx.hyp_asm if f.startswith("src/arch/")]),
              ("headers", [h for h in hyp_headers(ctx) if h.startswith("src/")]),
              ("generated (%s/gen)" % ctx.obj, [f for f in ctx.hyp_srcs if f.startswith(ctx.obj)] +
               [h for h in hyp_headers(ctx) if h.startswith(ctx.obj)]),
              ("host: tools/bhconfig", ctx.host_srcs + sorted(
                  os.path.join(os.path.dirname(ctx.host_srcs[0]), f)
                  for f in os.listdir(os.path.join(ROOT, os.path.dirname(ctx.host_srcs[0]))) if f.endswith(".h"))
               if ctx.host_srcs else [])]
    ctx.cloc = []

    def one(g):
        name, files = g
        if not files:
            return name, None
        rc, out, err = run(["cloc", "--json", "--quiet"] + files)
        try:
            return name, json.loads(out)["SUM"]
        except (ValueError, KeyError):
            return name, None

    for name, s in pmap(ctx, one, groups):
        ctx.cloc.append((name, s))
