# SPDX-License-Identifier: Apache-2.0
"""The `structure` checks: no heap, no VLA (build flags; dynamic frames are found by the stack
check), no floating point (flags, ELF attributes, instructions)."""

import re

from .callgraph import OBJ_INSN
from .elf import addr2line
from .findings import Finding
from .shell import run
from .sources import flag_value, hyp_headers, object_files, read_lines, strip_comments


HEAP_SYMBOLS = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "memalign", "valloc",
                "pvalloc", "reallocarray", "sbrk", "_sbrk", "brk", "_brk", "alloca", "__builtin_alloca",
                "_malloc_r", "_free_r", "_calloc_r", "_realloc_r"}
HEAP_CALL = re.compile(r"\b(malloc|calloc|realloc|free|aligned_alloc|sbrk|alloca|__builtin_alloca)\s*\(")
FP_MNEMONIC = re.compile(r"^(c\.)?f(?!ence)[a-z]")
FP_CSR = re.compile(r"\b(fflags|frm|fcsr)\b")


def step_structure(ctx):
    # Heap: no allocator symbol in the image, no call in the sources.
    rc, out, _ = run([ctx.cross + "readelf", "-sW", ctx.elf])
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 8 and p[7] in HEAP_SYMBOLS:
            ctx.add(Finding("heap", "hyp", "heap:symbol", ctx.elf, 0, "allocator symbol '%s' in the image" % p[7]))
    objs = object_files(ctx)
    rc, out, _ = run([ctx.cross + "nm", "-u"] + sorted(objs))
    for line in out.splitlines():
        p = line.split()
        if p and p[-1] in HEAP_SYMBOLS:
            ctx.add(Finding("heap", "hyp", "heap:reference", ctx.elf, 0, "an object refers to '%s'" % p[-1]))
    for path in ctx.hyp_srcs + hyp_headers(ctx):
        text = strip_comments("\n".join(read_lines(path)))
        for n, line in enumerate(text.splitlines(), 1):
            m = HEAP_CALL.search(line)
            if m:
                ctx.add(Finding("heap", "hyp", "heap:call", path, n, "call of %s()" % m.group(1)))
    # VLA: -Wvla must be on in the build (gcc) and is on for clang-tidy; dynamic frames: step_stack.
    if "-Wvla" not in ctx.hyp_cflags or "-Werror" not in ctx.hyp_cflags:
        ctx.add(Finding("vla", "hyp", "vla:flags", "Makefile", 0, "HYP_CFLAGS lacks -Wvla -Werror"))
    # Floating point: ABI and -march without F/D/Q, no FP instruction or FP CSR in the image.
    mabi = flag_value(ctx.hyp_cflags, "-mabi=", "")
    march = flag_value(ctx.hyp_cflags, "-march=", "")
    base = re.match(r"rv(32|64)([a-z]*)", march)
    if mabi not in ("lp64", "ilp32", "ilp32e") or not base or set(base.group(2)) & set("fdqg"):
        ctx.add(Finding("fp", "hyp", "fp:flags", "Makefile", 0, "-march=%s -mabi=%s allows floating point"
                        % (march, mabi)))
    rc, out, _ = run([ctx.cross + "readelf", "-h", ctx.elf])
    if "soft-float ABI" not in out:
        ctx.add(Finding("fp", "hyp", "fp:abi", ctx.elf, 0, "ELF header does not say soft-float ABI"))
    rc, out, _ = run([ctx.cross + "readelf", "-A"] + sorted(objs))
    for m in re.finditer(r"Tag_RISCV_arch: \"([^\"]+)\"", out):
        exts = m.group(1).split("_")
        bad = [e for e in exts[1:] if re.match(r"(f|d|q|zf|zd|zhinx|zfinx|zdinx)", e)]
        if re.match(r"rv\d+[a-z]*[fdqg]", exts[0]) or bad:
            ctx.add(Finding("fp", "hyp", "fp:object-arch", ctx.elf, 0, "an object is built for %s" % m.group(1)))
    rc, dis, _ = run([ctx.cross + "objdump", "-d", "--no-show-raw-insn", ctx.elf], timeout=300)
    addrs = []
    for line in dis.splitlines():
        m = OBJ_INSN.match(line)
        if m and (FP_MNEMONIC.match(m.group(2)) or (m.group(2).startswith("csr") and FP_CSR.search(m.group(3)))):
            addrs.append((int(m.group(1), 16), m.group(2) + " " + m.group(3)))
    where = addr2line(ctx, [a for a, _ in addrs])
    for a, insn in addrs:
        f, l = where.get(a, ("", 0))
        ctx.add(Finding("fp", "hyp", "fp:instruction", f or ctx.elf, l, "floating-point instruction '%s' at 0x%x"
                        % (insn.strip(), a)))
