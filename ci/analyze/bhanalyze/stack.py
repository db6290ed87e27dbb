# SPDX-License-Identifier: Apache-2.0
"""The `stack` step: gathers the build's disassembly, .su frames, symbols, tables and
gcc's indirect-call sites, and hands them to bhanalyze.callgraph (worst-case stack, recursion)."""

import os
import re
import shutil
import struct

from . import callgraph
from .elf import addr2line, elf_sections, elf_symbols
from .findings import Finding
from .paths import INDIRECT, ROOT, rel
from .shell import pmap, run
from .sources import object_files, read_lines


def load_su(ctx):
    """Frames from the build's -fstack-usage files: (source basename, function) -> (bytes, qual, src, line)."""
    frames = {}
    for dirpath, _, names in os.walk(os.path.join(ROOT, ctx.obj, "obj")):
        for n in names:
            if n.endswith(".su"):
                callgraph.parse_su(read_lines(rel(os.path.join(dirpath, n))), frames)
    return frames


def load_callgraph_info(ctx):
    """Compile the hypervisor again with the build's flags + -fcallgraph-info=su: which functions
    make indirect calls (and where). Jump tables are not calls and do not show up there."""
    cidir = os.path.join(ctx.out, "callgraph")
    shutil.rmtree(cidir, ignore_errors=True)
    os.makedirs(cidir, exist_ok=True)
    cc = ctx.cross + "gcc"
    flags = [f for f in ctx.hyp_cflags if f not in ("-MMD", "-MP", "-fstack-usage")]

    def one(path):
        base = path.replace("/", "_")
        cmd = [cc] + flags + ["-fcallgraph-info=su", "-dumpbase", base, "-dumpdir", cidir + "/", "-c", path,
                              "-o", os.path.join(cidir, base + ".o")]
        return path, run(cmd)

    indirect = {}
    for path, (rc, out, err) in pmap(ctx, one, ctx.hyp_srcs):
        if rc != 0:
            ctx.add(Finding("stack", "hyp", "stack:callgraph-info", path, 0, "compile for -fcallgraph-info failed: "
                            + err.strip().splitlines()[-1] if err.strip() else "?"))
            continue
        base = os.path.basename(path)
        for ci in os.listdir(cidir):
            if ci.startswith(path.replace("/", "_")) and ci.endswith(".ci"):
                for line in read_lines(rel(os.path.join(cidir, ci))):
                    m = re.match(r'edge: \{ sourcename: "([^"]+)" targetname: "__indirect_call" label: "([^"]+)"', line)
                    if m:
                        indirect.setdefault((base, m.group(1)), []).append(m.group(2))
    return indirect


def hart_stack_size(ctx):
    for line in read_lines(os.path.join(ctx.obj, ".config")):
        m = re.match(r"^CONFIG_HART_STACK_SIZE=(\S+)", line)
        if m:
            return int(m.group(1), 0)
    return None


def step_stack(ctx):
    frames = load_su(ctx)
    man = callgraph.parse_annotations(read_lines(INDIRECT), ctx.add)
    ci_indirect = load_callgraph_info(ctx)
    data_objects = []
    syms = elf_symbols(ctx, data_objects)
    # Symbols the linker script defines (__text_start, ...) mark addresses, not functions.
    rc, out, _ = run([ctx.cross + "nm", "--defined-only"] + sorted(object_files(ctx)))
    obj_names = {ln.split()[-1] for ln in out.splitlines() if len(ln.split()) >= 3}
    rc, dis, err = run([ctx.cross + "objdump", "-d", "--no-show-raw-insn", ctx.elf], timeout=300)
    if rc != 0:
        ctx.add(Finding("stack", "hyp", "stack:objdump", ctx.elf, 0, err.strip()))
        return
    try:
        secs = elf_sections(os.path.join(ROOT, ctx.elf))
    except (OSError, ValueError, struct.error) as e:
        secs = {}
        ctx.add(Finding("stack", "hyp", "stack:elf", ctx.elf, 0, "cannot read sections: %s" % e))
    inp = callgraph.StackInputs(
        listing=dis, frames=frames, annotations=man, symbols=syms, obj_names=obj_names,
        data_objects=data_objects, sections=secs, ci_indirect=ci_indirect,
        where=lambda addrs: addr2line(ctx, addrs), limit=hart_stack_size(ctx), elf=ctx.elf,
        hyp_srcs=ctx.hyp_srcs, config_file=os.path.join(ctx.obj, ".config"))
    stack = callgraph.analyze(inp, ctx.add)
    if stack is not None:
        ctx.stack = stack
