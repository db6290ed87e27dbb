#!/usr/bin/python3
"""Bulkhead's certification-style static analysis: the one command behind `make analyze`.

Inputs come from the build (ci/analyze/analyze.mk writes them to
<out>/inputs.txt): the hypervisor sources of one CONFIG with their exact
compiler flags, the linked ELF and its -fstack-usage files, and the host
config compiler's sources. Checks, each producing findings "file:line":

  misra      MISRA C:2012 through cppcheck's misra addon (+ cppcheck's own checks)
  tidy       clang-tidy (ci/analyze/clang-tidy.yaml)
  analyzer   gcc -fanalyzer (the cross compiler for the hypervisor)
  stack      worst-case stack: -fstack-usage frames over the call graph of the
             linked ELF (+ ci/analyze/indirect-calls.txt), against the hart stack
  structure  no recursion, no heap, no VLA, no floating point
  complexity cyclomatic (pmccabe) and cognitive (clang-tidy) limits per function;
             lines of code (cloc) and section sizes for the report
  coverage   host unit-test line/branch coverage (gcovr), reported only
  records    every suppression names a documented deviation; docs agree

A finding matched by ci/analyze/suppressions.txt is "deviated" (it must name
a record in docs/safety/deviations.md that lists its id); anything else is
"open" and makes the run fail. Host tools: see docs/safety/misra.md "Scope".
Results: <out>/report.md (readable), <out>/findings.txt (one line each),
<out>/stack-and-coverage.md (source of docs/safety/stack-and-coverage.md).
"""

import argparse
import concurrent.futures
import datetime
import fnmatch
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SUPPRESSIONS = "ci/analyze/suppressions.txt"
INDIRECT = "ci/analyze/indirect-calls.txt"
TIDY_CONFIG = "ci/analyze/clang-tidy.yaml"
PLATFORM_XML = "ci/analyze/riscv64-lp64.xml"
MISRA_DOC = "docs/safety/misra.md"
DEVIATIONS_DOC = "docs/safety/deviations.md"
MISRA_ADDON_DIRS = ("/usr/lib/x86_64-linux-gnu/cppcheck/addons", "/usr/share/cppcheck/addons",
                    "/usr/lib/cppcheck/addons")

# Rows of the summary table, in order: check id -> title.
CHECKS = [
    ("misra", "MISRA C:2012 (cppcheck misra addon)"),
    ("cppcheck", "cppcheck bug checks"),
    ("tidy", "clang-tidy (cert, bugprone, clang-analyzer)"),
    ("analyzer", "gcc -fanalyzer"),
    ("stack", "worst-case stack vs hart stack"),
    ("recursion", "no recursion (call graph, misc-no-recursion)"),
    ("heap", "no heap"),
    ("vla", "no VLAs"),
    ("fp", "no floating point"),
    ("complexity", "complexity limits per function"),
    ("records", "deviation records and suppressions"),
]


def rel(path):
    path = os.path.normpath(path)
    if os.path.isabs(path):
        r = os.path.relpath(path, ROOT)
        return path if r.startswith("..") else r
    return path


class Finding:
    """One result of one check at one place."""

    def __init__(self, check, scope, rule, file, line, msg, col=0, gating=True):
        self.check = check
        self.scope = scope          # "hyp" or "host"
        self.rule = rule            # e.g. misra-c2012-10.4, clang-tidy:cert-err33-c, stack:overflow
        self.aliases = [rule]
        self.file = rel(file) if file else ""
        self.line = int(line or 0)
        self.col = int(col or 0)
        self.msg = msg.strip()
        self.gating = gating        # False: reported for information only
        self.status = "open" if gating else "info"
        self.record = ""

    def where(self):
        if not self.file:
            return "(build)"
        s = self.file
        if self.line:
            s += ":%d" % self.line
            if self.col:
                s += ":%d" % self.col
        return s

    def text(self):
        s = "%s: %s: %s" % (self.where(), self.rule, self.msg)
        if self.record:
            s += "  [%s]" % self.record
        return s

    def key(self):
        return (self.rule, self.file, self.line, self.col, self.msg)


class Ctx:
    def __init__(self, inputs, out, jobs):
        self.inp = inputs
        self.out = out
        self.jobs = jobs
        self.findings = []
        self.sections = {}     # report sections by name -> list of markdown lines
        self.timing = []
        self.versions = {}
        self.cross = inputs.get("cross", "riscv64-unknown-elf-")
        self.config = inputs["config"]
        self.obj = inputs["obj"]
        self.elf = inputs["hyp_elf"]
        self.hyp_cflags = shlex.split(inputs.get("hyp_cflags", ""))
        self.host_cflags = shlex.split(inputs.get("host_cflags", ""))
        self.hyp_srcs = [s for s in inputs.get("hyp_srcs", "").split() if s.endswith(".c")]
        gen = inputs.get("hyp_gen_dir", "")
        if gen and os.path.isdir(os.path.join(ROOT, gen)):
            self.hyp_srcs += sorted(os.path.join(gen, f) for f in os.listdir(os.path.join(ROOT, gen))
                                    if f.endswith(".c"))
        self.hyp_asm = [s for s in inputs.get("hyp_srcs", "").split() if s.endswith(".S")]
        self.host_srcs = [s for s in inputs.get("host_srcs", "").split() if s.endswith(".c")]
        self.misra_rules = {}  # "10.4" -> dict(kind, category, summary, status)

    def add(self, f):
        self.findings.append(f)
        return f


def run(cmd, cwd=ROOT, timeout=600, env=None, input_text=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
                           input=input_text, errors="replace")
        return p.returncode, p.stdout, p.stderr
    except FileNotFoundError as e:
        return 127, "", str(e)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %ss: %s" % (timeout, " ".join(cmd))


def tool_version(cmd):
    rc, out, err = run(cmd)
    text = (out or err).strip().splitlines()
    return text[0] if text else "?"


def pmap(ctx, fn, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, ctx.jobs)) as ex:
        return list(ex.map(fn, items))


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


# ------------------------------------------------------------------ flags
def split_flags(flags):
    """-I and -D options of a compile line, and the rest."""
    incs, defs = [], []
    it = iter(range(len(flags)))
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
    del it
    return incs, defs


def flag_value(flags, prefix, default=""):
    for f in flags:
        if f.startswith(prefix):
            return f[len(prefix):]
    return default


# ------------------------------------------------------------------ MISRA rule table (docs)
def load_misra_doc(ctx):
    """Rows '| Rule 10.4 | Required | summary | checked by | status |' of docs/safety/misra.md."""
    row = re.compile(r"^\|\s*(Rule|Dir)\s+(\d+\.\d+)\s*\|\s*([^|]*)\|\s*([^|]*)\|\s*([^|]*)\|\s*([^|]*)\|")
    for line in read_lines(MISRA_DOC):
        m = row.match(line)
        if m:
            ctx.misra_rules[("R" if m.group(1) == "Rule" else "D") + m.group(2)] = {
                "kind": m.group(1), "category": m.group(3).strip(), "summary": m.group(4).strip(),
                "tool": m.group(5).strip(), "status": m.group(6).strip()}


def misra_rule_info(ctx, rule_id):
    m = re.match(r"misra-c2012-(\d+\.\d+)$", rule_id)
    if not m:
        return None
    return ctx.misra_rules.get("R" + m.group(1))


# ------------------------------------------------------------------ cppcheck + misra addon
def find_misra_addon():
    for d in MISRA_ADDON_DIRS:
        if os.path.isfile(os.path.join(d, "misra.py")):
            return os.path.join(d, "misra.py")
    return "misra"


CPPCHECK_LINE = re.compile(r"^(.+?):(\d+):(\d+): (\w+): ([\w.\-]+): (.*)$")


def step_cppcheck(ctx, scope):
    files = ctx.hyp_srcs if scope == "hyp" else ctx.host_srcs
    flags = ctx.hyp_cflags if scope == "hyp" else ctx.host_cflags
    incs, defs = split_flags(flags)
    bdir = os.path.join(ctx.out, "cppcheck-" + scope)
    shutil.rmtree(bdir, ignore_errors=True)
    os.makedirs(bdir, exist_ok=True)
    platform = PLATFORM_XML if scope == "hyp" else "unix64"
    cmd = ["cppcheck", "--addon=" + find_misra_addon(), "--std=c11", "--platform=" + platform,
           "--enable=warning,style,performance,portability", "--inconclusive", "-q",
           "-j%d" % max(1, ctx.jobs), "--cppcheck-build-dir=" + bdir,
           "--template={file}:{line}:{column}: {severity}: {id}: {message}",
           "--suppress=missingIncludeSystem", "--suppress=unmatchedSuppression",
           "--suppress=checkersReport"] + incs + defs + files
    rc, out, err = run(cmd, timeout=900)
    with open(os.path.join(ctx.out, "cppcheck-%s.log" % scope), "w") as fh:
        fh.write(" ".join(shlex.quote(c) for c in cmd) + "\n\n" + out + err)
    if rc not in (0, 1) and not err.strip():
        ctx.add(Finding("misra", scope, "cppcheck:failed", "", 0, "cppcheck exited %d" % rc))
    for bad in ("Traceback", "Failed to execute addon", "Bailing out", "cppcheckError", "internalError"):
        if bad in out + err:
            ctx.add(Finding("misra", scope, "cppcheck:failed", "", 0, "cppcheck or its misra addon failed (%s); see "
                            "%s/cppcheck-%s.log" % (bad, ctx.out, scope)))
            break
    seen = set()
    for line in err.splitlines():
        m = CPPCHECK_LINE.match(line)
        if not m:
            continue
        path, ln, col, sev, ident, msg = m.groups()
        if ident == "misra-config" or sev == "error" and ident.startswith("syntax"):
            check = "misra"
        else:
            check = "misra" if ident.startswith("misra-") else "cppcheck"
        key = (path, ln, col, ident)
        if key in seen:
            continue
        seen.add(key)
        gating = sev != "information"
        if ident.startswith("misra-c2012-"):
            info = misra_rule_info(ctx, ident)
            if info:
                msg = "[%s] %s" % (info["category"].lower(), info["summary"])
            else:
                msg = "(rule not in %s)" % MISRA_DOC
            if scope == "host" and not (info and info["category"].lower() == "mandatory"):
                gating = False  # host tools: only mandatory MISRA rules gate (docs/safety/misra.md)
        ctx.add(Finding(check, scope, ident, path, ln, msg, col, gating))


# ------------------------------------------------------------------ clang-tidy
TIDY_LINE = re.compile(r"^(.+?):(\d+):(\d+): (warning|error): (.*?) \[([\w.,\-]+)\]$")


def clang_flags(ctx, scope):
    if scope == "host":
        incs, defs = split_flags(ctx.host_cflags)
        return ["-std=c11", "-Wvla"] + incs + defs
    incs, defs = split_flags(ctx.hyp_cflags)
    march = flag_value(ctx.hyp_cflags, "-march=", "rv64imac")
    # clang 14 has Zicsr/Zifencei implied and rejects them by name.
    march = re.sub(r"_(zicsr|zifencei)", "", march)
    return (["--target=riscv64-unknown-elf", "-march=" + march,
             "-mabi=" + flag_value(ctx.hyp_cflags, "-mabi=", "lp64"),
             "-mcmodel=medany", "-std=" + flag_value(ctx.hyp_cflags, "-std=", "c11"),
             "-ffreestanding", "-fno-builtin", "-nostdinc", "-isystem",
             clang_resource_include(), "-Wvla"] + incs + defs)


_clang_inc = []


def clang_resource_include():
    if not _clang_inc:
        rc, out, _ = run(["clang", "-print-resource-dir"])
        _clang_inc.append(os.path.join(out.strip(), "include") if rc == 0 else "/usr/lib/clang/14/include")
    return _clang_inc[0]


def step_tidy(ctx, scope):
    files = ctx.hyp_srcs if scope == "hyp" else ctx.host_srcs
    flags = clang_flags(ctx, scope)
    header_filter = "^" + re.escape(ROOT) + "/(src|tools|build)/"

    def one(path):
        cmd = ["clang-tidy", "--quiet", "--config-file=" + os.path.join(ROOT, TIDY_CONFIG),
               "--header-filter=" + header_filter, path, "--"] + flags
        rc, out, err = run(cmd, timeout=600)
        return path, rc, out, err

    results = pmap(ctx, one, files)
    seen = set()
    with open(os.path.join(ctx.out, "clang-tidy-%s.log" % scope), "w") as fh:
        fh.write("clang-tidy ... -- " + " ".join(shlex.quote(f) for f in flags) + "\n")
        for path, rc, out, err in results:
            fh.write("\n== %s (rc %d)\n%s%s" % (path, rc, out, err))
            if rc != 0 and not any(TIDY_LINE.match(x) for x in (out + "\n" + err).splitlines()):
                ctx.add(Finding("tidy", scope, "clang-tidy:failed", path, 0, "clang-tidy exited %d: %s" % (
                    rc, ((err or out).strip().splitlines() or ["?"])[-1])))
            for line in (out + "\n" + err).splitlines():
                m = TIDY_LINE.match(line)
                if not m:
                    if line.startswith("error:") and "clang-diagnostic-error" in line:
                        ctx.add(Finding("tidy", scope, "clang-tidy:clang-diagnostic-error", path, 0, line))
                    continue
                fpath, ln, col, sev, msg, checks = m.groups()
                names = checks.split(",")
                key = (rel(fpath), ln, col, names[0])
                if key in seen:
                    continue
                seen.add(key)
                check = "tidy"
                if names[0] == "readability-function-cognitive-complexity":
                    check = "complexity"
                elif names[0] == "misc-no-recursion":
                    check = "recursion"
                elif names[0] == "clang-diagnostic-vla":
                    check = "vla"
                f = ctx.add(Finding(check, scope, "clang-tidy:" + names[0], fpath, ln, msg, col))
                f.aliases = ["clang-tidy:" + n for n in names]


# ------------------------------------------------------------------ gcc -fanalyzer
GCC_LINE = re.compile(r"^(.+?):(\d+):(\d+): (warning|error): (.*?)(?: \[(-W[\w\-=]+)\])?$")


def step_analyzer(ctx, scope):
    if scope == "hyp":
        cc = ctx.cross + "gcc"
        drop = ("-Werror", "-fstack-usage", "-g", "-MMD", "-MP")
        flags = [f for f in ctx.hyp_cflags if f not in drop and not f.startswith("-O")]
        files = ctx.hyp_srcs
    else:
        cc = ctx.inp.get("hostcc", "gcc")
        flags = [f for f in ctx.host_cflags if f != "-Werror" and not f.startswith("-O")]
        files = ctx.host_srcs
    tmp = os.path.join(ctx.out, "analyzer-" + scope)
    os.makedirs(tmp, exist_ok=True)

    def one(path):
        cmd = [cc] + flags + ["-O0", "-fanalyzer", "-fdiagnostics-plain-output", "-fno-diagnostics-show-caret",
                              "-c", path, "-o", os.path.join(tmp, os.path.basename(path) + ".o")]
        return path, run(cmd, timeout=600)

    seen = set()
    with open(os.path.join(ctx.out, "analyzer-%s.log" % scope), "w") as fh:
        for path, (rc, out, err) in pmap(ctx, one, files):
            fh.write("\n== %s (rc %d)\n%s%s" % (path, rc, out, err))
            if rc != 0 and "error:" not in err:
                ctx.add(Finding("analyzer", scope, "gcc:failed", path, 0, "compiler exited %d" % rc))
            for line in err.splitlines():
                m = GCC_LINE.match(line)
                if not m:
                    continue
                fpath, ln, col, sev, msg, opt = m.groups()
                rule = "gcc:" + (opt or sev)
                key = (fpath, ln, col, rule)
                if key in seen:
                    continue
                seen.add(key)
                ctx.add(Finding("analyzer", scope, rule, fpath, ln, msg, col))


# ------------------------------------------------------------------ stack and call graph
SU_LINE = re.compile(r"^(.+?):(\d+):(\d+):(\S+)\t(\d+)\t(\S+)$")
OBJ_HEADER = re.compile(r"^([0-9a-f]+) <(.+)>:$")
OBJ_INSN = re.compile(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$")
OBJ_TARGET = re.compile(r"\b([0-9a-f]+) <([^>]+?)(\+0x[0-9a-f]+)?>")
BRANCHES = {"beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez", "blez", "bgez", "bltz", "bgtz",
            "bgt", "ble", "bgtu", "bleu"}
ENDS_FLOW = {"j", "jr", "ret", "sret", "mret", "tail", "c.j", "c.jr"}


def load_su(ctx):
    """Frames from the build's -fstack-usage files: (source basename, function) -> (bytes, qual, src, line)."""
    frames = {}
    for dirpath, _, names in os.walk(os.path.join(ROOT, ctx.obj, "obj")):
        for n in names:
            if not n.endswith(".su"):
                continue
            for line in read_lines(rel(os.path.join(dirpath, n))):
                m = SU_LINE.match(line)
                if m:
                    src, ln, _, fn, size, qual = m.groups()
                    frames[(os.path.basename(src), fn)] = (int(size), qual, rel(src), int(ln))
    return frames


def elf_symbols(ctx, objects=None):
    """Text symbols of the ELF: address -> (name, source basename or ''); data objects into `objects`."""
    rc, out, _ = run([ctx.cross + "readelf", "-sW", ctx.elf])
    syms = {}
    cur_file = ""
    for line in out.splitlines():
        p = line.split()
        if len(p) < 8 or not p[0].endswith(":") or not re.match(r"^[0-9a-f]+$", p[1]):
            continue
        addr, size, typ, bind, ndx, name = int(p[1], 16), p[2], p[3], p[4], p[6], p[7]
        if typ == "FILE":
            cur_file = re.sub(r"\.o$", "", name)
            continue
        if typ == "OBJECT" and objects is not None and size.isdigit():
            objects.append((addr, int(size), name, cur_file if bind == "LOCAL" else ""))
            continue
        if typ not in ("FUNC", "NOTYPE") or ndx in ("UND", "ABS") or name.startswith("$") or \
                name.startswith(".L"):
            continue
        syms.setdefault(addr, []).append((name, cur_file if bind == "LOCAL" else "", typ))
    return syms


def elf_sections(path):
    with open(path, "rb") as fh:
        data = fh.read()
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = []
    for i in range(shnum):
        name, typ, flags, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        secs.append([name, typ, flags, addr, off, size])
    stroff = secs[shstrndx][4]
    out = {}
    for s in secs:
        end = data.index(b"\0", stroff + s[0])
        out[data[stroff + s[0]:end].decode()] = (s[1], s[3], data[s[4]:s[4] + s[5]] if s[1] != 8 else b"")
    return out


def load_manual(ctx):
    """ci/analyze/indirect-calls.txt: root/nested/frame/call lines."""
    man = {"root": [], "nested": [], "frame": {}, "call": [], "lines": {}}
    for n, line in enumerate(read_lines(INDIRECT), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        p = text.split()
        kind = p[0]
        if kind in ("root", "nested") and len(p) >= 2:
            man[kind].append(p[1])
            man["lines"][(kind, p[1])] = n
        elif kind == "frame" and len(p) >= 3 and p[2].isdigit():
            man["frame"][p[1]] = int(p[2])
            man["lines"][("frame", p[1])] = n
        elif kind == "call" and len(p) >= 4 and p[2] == "->":
            man["call"].append((p[1], p[3], n))
        else:
            ctx.add(Finding("stack", "hyp", "stack:bad-annotation", INDIRECT, n, "cannot parse: " + text))
    return man


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


def step_stack(ctx):
    frames = load_su(ctx)
    man = load_manual(ctx)
    ci_indirect = load_callgraph_info(ctx)
    data_objects = []
    syms = elf_symbols(ctx, data_objects)
    # Symbols the linker script defines (__text_start, ...) mark addresses, not functions.
    objs = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, ctx.obj, "obj")):
        objs += [os.path.join(dirpath, f) for f in files if f.endswith(".o")]
    rc, out, _ = run([ctx.cross + "nm", "--defined-only"] + sorted(objs))
    obj_names = {ln.split()[-1] for ln in out.splitlines() if len(ln.split()) >= 3}
    rc, dis, err = run([ctx.cross + "objdump", "-d", "--no-show-raw-insn", ctx.elf], timeout=300)
    if rc != 0:
        ctx.add(Finding("stack", "hyp", "stack:objdump", ctx.elf, 0, err.strip()))
        return

    # Blocks = every text symbol objdump starts a listing at.
    blocks = []  # dicts: start, name, file, insns [(addr, mnem, ops)]
    for line in dis.splitlines():
        m = OBJ_HEADER.match(line)
        if m:
            addr = int(m.group(1), 16)
            cands = syms.get(addr, [(m.group(2), "", "NOTYPE")])
            cands = sorted(cands, key=lambda c: (c[2] != "FUNC", c[0] not in obj_names))
            name, fbase, _ = cands[0]
            blocks.append({"start": addr, "name": name, "file": fbase, "insns": [],
                           "aliases": [c[0] for c in cands]})
            continue
        m = OBJ_INSN.match(line)
        if m and blocks:
            blocks[-1]["insns"].append((int(m.group(1), 16), m.group(2), m.group(3)))
    blocks = [b for b in blocks if b["insns"]]
    blocks.sort(key=lambda b: b["start"])
    for i, b in enumerate(blocks):
        b["end"] = blocks[i + 1]["start"] if i + 1 < len(blocks) else b["insns"][-1][0] + 4
    names = {}
    for b in blocks:
        names.setdefault(b["name"], []).append(b)

    def node_id(b):
        return b["name"] if len(names[b["name"]]) == 1 else "%s@%s" % (b["name"], b["file"])

    starts = {b["start"]: b for b in blocks}
    import bisect
    start_list = [b["start"] for b in blocks]

    def block_at(addr):
        i = bisect.bisect_right(start_list, addr) - 1
        if i >= 0 and addr < blocks[i]["end"]:
            return blocks[i]
        return None

    nodes = {}
    for b in blocks:
        nid = node_id(b)
        # GCC clones: the symbol is foo.constprop.0, the .su line says foo.constprop.
        names_tried = (b["name"], re.sub(r"\.\d+$", "", b["name"]))
        su = None
        for nm in names_tried:
            su = su or (frames.get((b["file"], nm)) if b["file"] else None)
        if su is None:
            cands = [v for (f, n), v in frames.items() if n in names_tried]
            su = cands[0] if len(cands) == 1 else None
        nodes[nid] = {"block": b, "su": su, "edges": [], "indirect": [], "jumps": []}

    addr_taken = {}
    for b in blocks:
        nid = node_id(b)
        n = nodes[nid]
        for addr, mn, ops in b["insns"]:
            tm = OBJ_TARGET.search(ops)
            target = int(tm.group(1), 16) if tm else None
            is_control = mn in ("j", "jal", "jr", "jalr", "call", "tail") or mn in BRANCHES
            if is_control and target is not None:
                tb = block_at(target)
                if tb is None:
                    continue
                if tb is b:
                    if target == b["start"] and mn in ("jal", "jalr", "call"):
                        n["edges"].append((nid, addr, "call"))  # calls itself
                    continue  # a loop or branch inside the function
                kind = "call" if mn in ("jal", "jalr", "call") else "jump"
                n["edges"].append((node_id(tb), addr, kind))
            elif mn in ("jalr", "jr") and target is None:
                n["indirect"].append((addr, mn, ops))
            elif target is not None and target in starts and not is_control and tm.group(2) in obj_names:
                addr_taken.setdefault(node_id(starts[target]), []).append(addr)
        # Assembly routines (no .su) may fall through into the next symbol.
        last = b["insns"][-1][1]
        if n["su"] is None and last not in ENDS_FLOW:
            nb = starts.get(b["end"])
            if nb is not None:
                n["edges"].append((node_id(nb), b["insns"][-1][0], "fall-through"))

    # Function pointers stored in data.
    try:
        secs = elf_sections(os.path.join(ROOT, ctx.elf))
    except (OSError, ValueError, struct.error) as e:
        secs = {}
        ctx.add(Finding("stack", "hyp", "stack:elf", ctx.elf, 0, "cannot read sections: %s" % e))
    for sname in (".rodata", ".data", ".sdata", ".srodata"):
        if sname not in secs:
            continue
        _, base, content = secs[sname]
        for off in range(0, len(content) - 7, 8):
            v = struct.unpack_from("<Q", content, off)[0]
            if v in starts:
                addr_taken.setdefault(node_id(starts[v]), []).append(base + off)

    # Manual annotations.
    alias = {}
    for b in blocks:
        for a in b["aliases"]:
            alias.setdefault(a, node_id(b))

    def resolve(name, line):
        if name in nodes:
            return name
        if name in alias and name in obj_names:
            return alias[name]
        ctx.add(Finding("stack", "hyp", "stack:unknown-symbol", INDIRECT, line,
                        "'%s' is not a function of %s" % (name, ctx.elf)))
        return None

    calls = []
    for caller, callee, line in man["call"]:
        a, b2 = resolve(caller, line), resolve(callee, line)
        if a and b2:
            nodes[a]["edges"].append((b2, None, "indirect"))
            calls.append((a, b2, line))
    man["call"] = calls
    for kind in ("root", "nested"):
        man[kind] = [x for x in (resolve(r, man["lines"][(kind, r)]) for r in man[kind]) if x]
    frames_manual = {}
    for name, size in man["frame"].items():
        nid = resolve(name, man["lines"][("frame", name)])
        if nid is None:
            continue
        if nodes[nid]["su"] is not None:
            ctx.add(Finding("stack", "hyp", "stack:bad-annotation", INDIRECT, man["lines"][("frame", name)],
                            "'%s' has a -fstack-usage frame; 'frame' is for assembly only" % name))
        frames_manual[nid] = size

    # addr2line for every call site and indirect site, in one go.
    want = set()
    for n in nodes.values():
        for _, a, _ in n["edges"]:
            if a:
                want.add(a)
        for a, _, _ in n["indirect"]:
            want.add(a)
    for lst in addr_taken.values():
        want.update(lst)
    where = addr2line(ctx, sorted(want))
    # A function address stored in a table: name the table and, if known, its source file.
    for lst in addr_taken.values():
        for a in lst:
            if where.get(a, ("", 0))[0]:
                continue
            for base, size, oname, ofile in data_objects:
                if base <= a < base + max(size, 1):
                    src = [f for f in ctx.hyp_srcs if ofile and os.path.basename(f) == ofile]
                    where[a] = (src[0] if src else ctx.elf, 0)
                    where[("table", a)] = oname
                    break

    annotated = {c for c, _, _ in man["call"]}
    targets = {t for _, t, _ in man["call"]}
    for nid, n in nodes.items():
        b = n["block"]
        base_key = (b["file"], b["name"])
        ci_sites = ci_indirect.get(base_key, [])
        calls = [i for i in n["indirect"] if i[1] == "jalr"]
        jumps = [i for i in n["indirect"] if i[1] == "jr"]
        is_asm = n["su"] is None
        real = calls + (jumps if (ci_sites or is_asm) else [])
        if not (ci_sites or is_asm):
            n["jumps"] = jumps  # switch jump tables
        if (real or ci_sites) and nid not in annotated:
            for a, mn, ops in real or [(None, "", "")]:
                loc = ci_sites[0] if ci_sites else where.get(a, ("", 0))
                if isinstance(loc, str):
                    f, l = loc.rsplit(":", 2)[0], int(loc.rsplit(":", 2)[1])
                else:
                    f, l = loc
                ctx.add(Finding("stack", "hyp", "stack:unresolved-indirect", f or ctx.elf, l,
                                "indirect %s in %s has no edges in %s" % ("call" if mn != "jr" else "jump", nid,
                                                                          INDIRECT)))
    roots = set(man["root"]) | set(man["nested"])
    for nid, sites in sorted(addr_taken.items()):
        if nid in roots or nid in targets:
            continue
        f, l = where.get(sites[0], ("", 0))
        table = where.get(("table", sites[0]))
        ctx.add(Finding("stack", "hyp", "stack:address-taken", f or ctx.elf, l,
                        "address of %s is taken%s but it is neither a root nor an indirect-call target in %s"
                        % (nid, (" (stored in %s)" % table) if table else "", INDIRECT)))
    for _, t, line in man["call"]:
        if t in nodes and t not in addr_taken:
            ctx.add(Finding("stack", "hyp", "stack:stale-annotation", INDIRECT, line,
                            "%s is an indirect-call target but its address is never taken" % t, gating=False))

    # Frames.
    def frame(nid):
        n = nodes[nid]
        if n["su"] is not None:
            return n["su"][0]
        return frames_manual.get(nid)

    for nid, n in nodes.items():
        if n["su"] is not None and n["su"][1] != "static":
            ctx.add(Finding("vla", "hyp", "stack:dynamic-frame", n["su"][2], n["su"][3],
                            "%s has a %s stack frame (VLA or alloca)" % (nid, n["su"][1])))

    # Recursion: strongly connected components.
    graph = {nid: sorted({e[0] for e in n["edges"]}) for nid, n in nodes.items()}
    cycles = [c for c in tarjan(graph) if len(c) > 1 or c[0] in graph[c[0]]]
    for comp in cycles:
        comp_set = set(comp)
        path_txt = []
        first_loc = ("", 0)
        for nid in comp:
            for tgt, a, kind in nodes[nid]["edges"]:
                if tgt in comp_set:
                    f, l = where.get(a, ("", 0)) if a else (INDIRECT, 0)
                    if not first_loc[0]:
                        first_loc = (f, l)
                    path_txt.append("%s -> %s (%s:%d)" % (nid, tgt, f, l))
        ctx.add(Finding("recursion", "hyp", "stack:recursion", first_loc[0] or ctx.elf, first_loc[1],
                        "call-graph cycle: " + "; ".join(path_txt)))

    # Worst case per root (longest path; a cycle makes it unbounded, reported above).
    cyc_nodes = {x for c in cycles for x in c}
    memo = {}
    missing = set()

    def depth(nid, stack=()):
        if nid in memo:
            return memo[nid]
        if nid in stack or nid in cyc_nodes:
            return (0, [])
        fr = frame(nid)
        if fr is None:
            missing.add(nid)
            fr = 0
        best = (0, [])
        for tgt, a, kind in nodes[nid]["edges"]:
            d = depth(tgt, stack + (nid,))
            if d[0] > best[0]:
                best = (d[0], d[1])
        memo[nid] = (fr + best[0], [nid] + best[1])
        return memo[nid]

    results = {}
    for r in man["root"] + man["nested"]:
        results[r] = depth(r)
    for nid in sorted(missing):
        b = nodes[nid]["block"]
        ctx.add(Finding("stack", "hyp", "stack:no-frame", ctx.elf, 0,
                        "%s (0x%x) is reachable but has neither a .su frame nor a 'frame' line in %s"
                        % (nid, b["start"], INDIRECT)))
    if not man["root"]:
        ctx.add(Finding("stack", "hyp", "stack:no-roots", INDIRECT, 0, "no 'root' lines"))
        return
    worst_root = max(man["root"], key=lambda r: results[r][0])
    worst_nested = max(man["nested"], key=lambda r: results[r][0]) if man["nested"] else None
    total = results[worst_root][0] + (results[worst_nested][0] if worst_nested else 0)
    limit = hart_stack_size(ctx)

    def describe(path):
        parts = []
        for nid in path:
            n = nodes[nid]
            if n["su"] is not None:
                parts.append("%s %d (%s:%d)" % (nid, n["su"][0], n["su"][2], n["su"][3]))
            else:
                parts.append("%s %d (asm)" % (nid, frame(nid) or 0))
        return parts

    deep = describe(results[worst_root][1])
    nest = describe(results[worst_nested][1]) if worst_nested else []
    reach = set()
    todo = list(man["root"]) + list(man["nested"])
    while todo:
        x = todo.pop()
        if x in reach:
            continue
        reach.add(x)
        todo.extend(graph[x])
    unreachable = sorted(n for n in nodes if n not in reach and nodes[n]["su"] is not None)
    ctx.stack = {"total": total, "limit": limit, "root": worst_root, "root_bytes": results[worst_root][0],
                 "nested": worst_nested, "nested_bytes": results[worst_nested][0] if worst_nested else 0,
                 "path": deep, "nested_path": nest, "per_root": {r: results[r][0] for r in results},
                 "functions": len(nodes), "edges": sum(len(n["edges"]) for n in nodes.values()),
                 "indirect": sorted(annotated), "jump_tables": sorted(n for n in nodes if nodes[n]["jumps"]),
                 "unreachable": unreachable, "cycles": len(cycles)}
    if limit is None:
        ctx.add(Finding("stack", "hyp", "stack:no-limit", os.path.join(ctx.obj, ".config"), 0,
                        "CONFIG_HART_STACK_SIZE not found"))
    elif cycles:
        ctx.add(Finding("stack", "hyp", "stack:unbounded", ctx.elf, 0,
                        "worst-case stack is unbounded: the call graph has cycles (see recursion findings)"))
    elif total > limit:
        # Point at the largest frame on the deepest path: the place to look first.
        big = max((nodes[x] for x in results[worst_root][1] + (results[worst_nested][1] if worst_nested else [])
                   if nodes[x]["su"] is not None), key=lambda n: n["su"][0])
        ctx.add(Finding("stack", "hyp", "stack:overflow", big["su"][2], big["su"][3],
                        "worst-case stack %d bytes exceeds CONFIG_HART_STACK_SIZE %d; largest frame on the path: "
                        "%s %d bytes; path: %s" % (total, limit, big["block"]["name"], big["su"][0],
                                                  " -> ".join(deep + (["[trap] "] + nest if nest else [])))))


def tarjan(graph):
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for v0 in graph:
        if v0 in index:
            continue
        work = [(v0, iter(graph[v0]))]
        index[v0] = low[v0] = counter[0]
        counter[0] += 1
        stack.append(v0)
        on.add(v0)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(graph[w])))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def addr2line(ctx, addrs):
    if not addrs:
        return {}
    rc, out, _ = run([ctx.cross + "addr2line", "-e", ctx.elf], input_text="\n".join("%x" % a for a in addrs) + "\n")
    res = {}
    for a, line in zip(addrs, out.splitlines()):
        m = re.match(r"^(.*):(\d+)", line.strip())
        if m and m.group(1) != "??":
            res[a] = (rel(m.group(1)), int(m.group(2)))
        else:
            res[a] = ("", 0)
    return res


def hart_stack_size(ctx):
    for line in read_lines(os.path.join(ctx.obj, ".config")):
        m = re.match(r"^CONFIG_HART_STACK_SIZE=(\S+)", line)
        if m:
            return int(m.group(1), 0)
    return None


# ------------------------------------------------------------------ heap, VLA, floating point
HEAP_SYMBOLS = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "memalign", "valloc",
                "pvalloc", "reallocarray", "sbrk", "_sbrk", "brk", "_brk", "alloca", "__builtin_alloca",
                "_malloc_r", "_free_r", "_calloc_r", "_realloc_r"}
HEAP_CALL = re.compile(r"\b(malloc|calloc|realloc|free|aligned_alloc|sbrk|alloca|__builtin_alloca)\s*\(")
FP_MNEMONIC = re.compile(r"^(c\.)?f(?!ence)[a-z]")
FP_CSR = re.compile(r"\b(fflags|frm|fcsr)\b")


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


def step_structure(ctx):
    # Heap: no allocator symbol in the image, no call in the sources.
    rc, out, _ = run([ctx.cross + "readelf", "-sW", ctx.elf])
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 8 and p[7] in HEAP_SYMBOLS:
            ctx.add(Finding("heap", "hyp", "heap:symbol", ctx.elf, 0, "allocator symbol '%s' in the image" % p[7]))
    objs = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, ctx.obj, "obj")):
        objs += [os.path.join(dirpath, f) for f in files if f.endswith(".o")]
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


def step_inline_suppressions(ctx):
    """Suppressions live in ci/analyze/suppressions.txt only, next to their deviation record."""
    pat = re.compile(r"NOLINT|cppcheck-suppress|#\s*pragma\s+GCC\s+diagnostic|#\s*pragma\s+clang\s+diagnostic")
    for scope, files in (("hyp", ctx.hyp_srcs + hyp_headers(ctx)), ("host", ctx.host_srcs)):
        hdrs = []
        if scope == "host":
            for s in ctx.host_srcs:
                d = os.path.dirname(s)
                hdrs += [os.path.join(d, f) for f in os.listdir(os.path.join(ROOT, d)) if f.endswith(".h")]
        for path in sorted(set(files + hdrs)):
            for n, line in enumerate(read_lines(path), 1):
                if pat.search(line):
                    ctx.add(Finding("records", scope, "records:inline-suppression", path, n,
                                    "in-source suppression; record it in %s instead" % SUPPRESSIONS))


# ------------------------------------------------------------------ complexity, size, lines
PMCCABE_LINE = re.compile(r"^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+?)\((\d+)\):\s+(.+)$")


def step_complexity(ctx):
    limit = int(ctx.inp.get("ccn_limit", "15"))
    ctx.complexity = {}
    for scope, files in (("hyp", ctx.hyp_srcs), ("host", ctx.host_srcs)):
        files = [f for f in files if not f.startswith(ctx.obj + "/gen/")]
        rc, out, err = run(["pmccabe", "-v"] + files)
        if rc == 127:
            ctx.add(Finding("complexity", scope, "complexity:no-pmccabe", "", 0,
                            "pmccabe not installed (make deps)"))
            continue
        rows = []
        for line in out.splitlines():
            m = PMCCABE_LINE.match(line)
            if m:
                mod, trad, stmts, first, nlines, path, ln, fn = m.groups()
                rows.append((int(trad), int(mod), int(stmts), int(nlines), rel(path), int(ln), fn))
                if int(trad) > limit:
                    ctx.add(Finding("complexity", scope, "complexity:cyclomatic", path, ln,
                                    "%s has cyclomatic complexity %s (limit %d)" % (fn, trad, limit)))
        rows.sort(reverse=True)
        ctx.complexity[scope] = rows


def step_size(ctx):
    ctx.size = {}
    rc, out, _ = run([ctx.cross + "size", "-A", ctx.elf])
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 2 and p[0].startswith(".") and p[1].isdigit():
            ctx.size[p[0]] = int(p[1])
    # Per module: text+rodata of each object, summed by source directory.
    objs = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, ctx.obj, "obj")):
        objs += [os.path.join(dirpath, f) for f in files if f.endswith(".o")]
    rc, out, _ = run([ctx.cross + "size"] + sorted(objs))
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


# ------------------------------------------------------------------ coverage
NOT_BINARIES = (".o", ".d", ".c", ".h", ".gcno", ".gcda", ".gcov", ".txt", ".log", ".json", ".map", ".su", ".a")


def step_coverage(ctx):
    host = os.path.join(ROOT, ctx.inp["build"], "host")
    ctx.coverage = None
    tests = [t for t in ctx.inp.get("host_tests", "").split() if os.path.isfile(os.path.join(ROOT, t))]
    gcda = []
    for dirpath, _, files in os.walk(host):
        gcda += [os.path.join(dirpath, f) for f in files if f.endswith(".gcda")]
    ran = []
    if tests:
        # Always from zero: counters left by an earlier partial run (one binary,
        # tests/run.py -k) would change the figures of the committed document.
        for f in gcda:
            os.remove(f)
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
        for t in tests:
            rc, out, err = run([os.path.join(ROOT, t)], timeout=300, env=env)
            ran.append((t, rc))
            if rc != 0:
                ctx.add(Finding("records", "host", "coverage:unit-test-failed", t, 0,
                                "unit test exited %d while collecting coverage" % rc, gating=False))
    gcda = [1 for _, _, files in os.walk(host) for f in files if f.endswith(".gcda")]
    if not gcda:
        ctx.coverage_note = "no .gcda files under %s/host (run `make test` first)" % ctx.inp["build"]
        return
    out_json = os.path.join(ctx.out, "coverage.json")
    cmd = ["gcovr", "-r", ROOT, "--filter", os.path.join(ROOT, "src/"), "--filter",
           os.path.join(ROOT, "tools/bhconfig/"), "--json-summary-pretty", "-o", out_json, host]
    rc, out, err = run(cmd, timeout=600)
    if rc != 0:
        ctx.coverage_note = "gcovr failed: " + (err.strip().splitlines() or ["?"])[-1]
        return
    with open(out_json) as fh:
        ctx.coverage = json.load(fh)
    ctx.coverage_note = ("unit tests run by make analyze: " + ", ".join(os.path.basename(t) for t, _ in ran)) if ran \
        else "counters from the last `make test`"


# ------------------------------------------------------------------ suppressions and records
def load_records():
    """docs/safety/deviations.md: '### DEV-nn ...' / '### FP-nn ...' sections, each with a
    'Finding ids' line naming the ids it covers (in backquotes)."""
    recs = {}
    cur = None
    for n, line in enumerate(read_lines(DEVIATIONS_DOC), 1):
        m = re.match(r"^#{2,4}\s+((?:DEV|FP)-\d+)\b\s*[:—-]*\s*(.*)$", line)
        if m:
            cur = m.group(1)
            recs[cur] = {"title": m.group(2).strip(), "ids": set(), "line": n}
            continue
        if cur and re.search(r"finding ids", line, re.I):
            recs[cur]["ids"].update(re.findall(r"`([^`]+)`", line))
    return recs


def load_suppressions(ctx):
    sups = []
    for n, line in enumerate(read_lines(SUPPRESSIONS), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            p = shlex.split(text)
        except ValueError as e:
            ctx.add(Finding("records", "hyp", "records:bad-suppression", SUPPRESSIONS, n, str(e)))
            continue
        if len(p) < 3:
            ctx.add(Finding("records", "hyp", "records:bad-suppression", SUPPRESSIONS, n,
                            "want: <finding id> <path glob> <record> [match <regex>]"))
            continue
        s = {"id": p[0], "glob": p[1], "record": p[2], "match": None, "line": n, "used": 0}
        if len(p) >= 5 and p[3] == "match":
            try:
                s["match"] = re.compile(p[4])
            except re.error as e:
                ctx.add(Finding("records", "hyp", "records:bad-suppression", SUPPRESSIONS, n, str(e)))
                continue
        sups.append(s)
    return sups


def apply_suppressions(ctx):
    recs = load_records()
    sups = load_suppressions(ctx)
    valid = []
    for s in sups:
        r = recs.get(s["record"])
        if r is None:
            ctx.add(Finding("records", "hyp", "records:no-record", SUPPRESSIONS, s["line"],
                            "suppression of %s names %s, which %s does not record"
                            % (s["id"], s["record"], DEVIATIONS_DOC)))
            continue
        if s["id"] not in r["ids"]:
            ctx.add(Finding("records", "hyp", "records:id-not-in-record", SUPPRESSIONS, s["line"],
                            "%s does not list `%s` in its 'Finding ids' (%s:%d)"
                            % (s["record"], s["id"], DEVIATIONS_DOC, r["line"])))
            continue
        valid.append(s)
    for f in ctx.findings:
        if f.status != "open" and f.status != "info":
            continue
        for s in valid:
            if s["id"] not in f.aliases:
                continue
            if not fnmatch.fnmatch(f.file, s["glob"]):
                continue
            if s["match"] is not None and not s["match"].search(source_line(f.file, f.line)):
                continue
            s["used"] += 1
            if f.status == "open":
                f.status = "deviated"
            f.record = s["record"]
            break
    ctx.unused_suppressions = [s for s in valid if s["used"] == 0]
    ctx.records = recs
    ctx.suppressions = sups


def check_docs(ctx):
    """docs/safety/misra.md must agree with what the run found for the hypervisor."""
    if not ctx.misra_rules:
        ctx.add(Finding("records", "hyp", "records:no-rule-table", MISRA_DOC, 0, "no rule table found"))
        return
    by_rule = {}
    for f in ctx.findings:
        if f.scope == "hyp" and f.rule.startswith("misra-c2012-"):
            by_rule.setdefault(f.rule, []).append(f)
    for rule, fs in sorted(by_rule.items()):
        info = misra_rule_info(ctx, rule)
        if info is None:
            ctx.add(Finding("records", "hyp", "records:rule-missing", MISRA_DOC, 0,
                            "%s is reported but not in the rule table" % rule))
            continue
        status = info["status"].lower()
        devs = sorted({f.record for f in fs if f.status == "deviated" and f.record.startswith("DEV-")})
        if status.startswith("not applicable"):
            ctx.add(Finding("records", "hyp", "records:doc-disagrees", MISRA_DOC, 0,
                            "%s is marked not applicable but has %d finding(s)" % (rule, len(fs))))
        elif devs and not status.startswith("deviated"):
            ctx.add(Finding("records", "hyp", "records:doc-disagrees", MISRA_DOC, 0,
                            "%s has findings deviated by %s but is marked '%s'" % (rule, ", ".join(devs),
                                                                                 info["status"])))
        else:
            for d in devs:
                if d not in info["status"]:
                    ctx.add(Finding("records", "hyp", "records:doc-disagrees", MISRA_DOC, 0,
                                    "%s: status '%s' does not name %s" % (rule, info["status"], d)))


# ------------------------------------------------------------------ report
def summarize(ctx):
    rows = []
    for cid, title in CHECKS:
        for scope in ("hyp", "host"):
            fs = [f for f in ctx.findings if f.check == cid and f.scope == scope]
            if not fs and scope == "host" and cid in ("stack", "heap", "fp"):
                continue
            if not fs and scope == "host" and cid == "recursion":
                continue
            opened = sum(1 for f in fs if f.status == "open")
            dev = sum(1 for f in fs if f.status == "deviated")
            info = sum(1 for f in fs if f.status == "info")
            rows.append((title, "hypervisor" if scope == "hyp" else "host tools", len(fs), dev, info, opened))
    return rows


def fmt_path(parts, indent="    "):
    return ("\n" + indent + "-> ").join(parts)


def write_report(ctx, elapsed):
    opened = [f for f in ctx.findings if f.status == "open"]
    deviated = [f for f in ctx.findings if f.status == "deviated"]
    info = [f for f in ctx.findings if f.status == "info"]
    rows = summarize(ctx)
    L = []
    L.append("# Static analysis report: CONFIG=%s" % ctx.config)
    L.append("")
    L.append("Generated %s by `make analyze` (ci/analyze/analyze.py) in %.0f s. Rule set: docs/safety/misra.md; "
             "deviations: docs/safety/deviations.md." % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
                                                          elapsed))
    L.append("")
    L.append("Tools: " + "; ".join("%s" % v for v in ctx.versions.values()))
    L.append("")
    L.append("Inputs: %d hypervisor C files (HYP_SRCS + gen/*.c of %s), %d assembly files, %s; "
             "%d host C files (tools/bhconfig)." % (len(ctx.hyp_srcs), ctx.config, len(ctx.hyp_asm), ctx.elf,
                                                   len(ctx.host_srcs)))
    L.append("")
    L.append("## Summary")
    L.append("")
    L.append("| check | scope | findings | deviated | info only | open | result |")
    L.append("|---|---|---:|---:|---:|---:|---|")
    for title, scope, n, dev, inf, op in rows:
        L.append("| %s | %s | %d | %d | %d | %d | %s |" % (title, scope, n, dev, inf, op, "FAIL" if op else "ok"))
    L.append("")
    verdict = "PASS: no open findings" if not opened else \
        "FAIL: %d open finding(s); fix each or record it (docs/safety/deviations.md + %s)" % (len(opened),
                                                                                             SUPPRESSIONS)
    L.append("**Result: %s.**" % verdict)
    L.append("")
    L += stack_section(ctx)
    L.append("## Open findings")
    L.append("")
    L.append("```")
    L += [f.text() for f in sorted(opened, key=lambda f: (f.file, f.line, f.col))] or ["(none)"]
    L.append("```")
    L.append("")
    L.append("## Deviated findings (recorded)")
    L.append("")
    by_rec = {}
    for f in deviated:
        by_rec.setdefault(f.record, []).append(f)
    L.append("| record | title | findings |")
    L.append("|---|---|---:|")
    for r in sorted(by_rec):
        L.append("| %s | %s | %d |" % (r, ctx.records.get(r, {}).get("title", "?"), len(by_rec[r])))
    L.append("")
    L.append("```")
    L += [f.text() for f in sorted(deviated, key=lambda f: (f.file, f.line, f.col))] or ["(none)"]
    L.append("```")
    L.append("")
    if ctx.unused_suppressions:
        L.append("Suppressions that matched nothing in this build (kept: they may apply to other CONFIGs):")
        L.append("")
        for s in ctx.unused_suppressions:
            L.append("- %s:%d: `%s %s %s`" % (SUPPRESSIONS, s["line"], s["id"], s["glob"], s["record"]))
        L.append("")
    L.append("## Information only (not gating)")
    L.append("")
    host_misra = {}
    other = []
    for f in info:
        if f.scope == "host" and f.rule.startswith("misra-"):
            host_misra.setdefault(f.rule, []).append(f)
        else:
            other.append(f)
    if host_misra:
        L.append("Host tools, MISRA C:2012 required/advisory rules (docs/safety/misra.md, \"Scope\"): "
                 "%d findings. Per rule:" % sum(len(v) for v in host_misra.values()))
        L.append("")
        L.append("| rule | category | findings | summary |")
        L.append("|---|---|---:|---|")
        for r in sorted(host_misra, key=lambda r: [int(x) for x in r.split("-")[-1].split(".")]):
            inf = misra_rule_info(ctx, r) or {}
            L.append("| %s | %s | %d | %s |" % (r, inf.get("category", "?"), len(host_misra[r]),
                                                inf.get("summary", "")))
        L.append("")
        L.append("Each one is in %s/cppcheck-host.log." % ctx.out)
        L.append("")
    if other:
        L.append("```")
        L += [f.text() for f in other]
        L.append("```")
        L.append("")
    L += size_section(ctx)
    L += complexity_section(ctx)
    L += coverage_section(ctx)
    L.append("## Timing")
    L.append("")
    L += ["- %s: %.1f s" % (n, t) for n, t in ctx.timing]
    L.append("")
    with open(os.path.join(ctx.out, "report.md"), "w") as fh:
        fh.write("\n".join(L) + "\n")
    with open(os.path.join(ctx.out, "findings.txt"), "w") as fh:
        for f in sorted(ctx.findings, key=lambda f: (f.status, f.file, f.line, f.col)):
            fh.write("%s %s %s\n" % (f.status.upper(), f.scope, f.text()))
    with open(os.path.join(ctx.out, "findings.json"), "w") as fh:
        json.dump({"config": ctx.config, "checks": dict(CHECKS),
                   "findings": [{"check": f.check, "scope": f.scope, "status": f.status, "rule": f.rule,
                                 "file": f.file, "line": f.line, "record": f.record, "text": f.text()}
                                for f in ctx.findings],
                   "stack": getattr(ctx, "stack", None)}, fh, indent=1)
    with open(os.path.join(ctx.out, "stack-and-coverage.md"), "w") as fh:
        fh.write(stack_and_coverage_doc(ctx))
    return opened, rows


def stack_path_lines(s):
    """The deepest stack path (and the nested hypervisor trap on top), as report lines."""
    L = ["Deepest path (function, frame bytes, definition):", "", "```", fmt_path(s["path"], "  ")]
    if s["nested_path"]:
        L += ["[trap in the hypervisor, nested]", fmt_path(s["nested_path"], "  ")]
    return L + ["```", ""]


def stack_section(ctx):
    s = getattr(ctx, "stack", None)
    L = ["## Worst-case stack", ""]
    if not s:
        L += ["(not computed: see the stack findings)", ""]
        return L
    lim = s["limit"] or 0
    if s["cycles"]:
        L.append("**Unbounded: the call graph has %d cycle(s)** (see the recursion findings). The figures below "
                 "ignore the cycles." % s["cycles"])
        L.append("")
    L.append("Worst case per hart: **%d of %d bytes (%d%%)** = %d on the deepest path from `%s` + %d for a trap "
             "taken in the hypervisor on top of it (`%s`)."
             % (s["total"], lim, (100 * s["total"] // lim) if lim else 0, s["root_bytes"], s["root"],
                s["nested_bytes"], s["nested"]))
    L.append("")
    L.extend(stack_path_lines(s))
    L.append("Per entry: " + ", ".join("`%s` %d" % (r, b) for r, b in sorted(s["per_root"].items())) + ". "
             "Call graph: %d functions, %d edges; indirect calls resolved by ci/analyze/indirect-calls.txt in %s; "
             "switch jump tables (not calls) in %s." % (s["functions"], s["edges"], ", ".join(s["indirect"]) or "-",
                                                         ", ".join(s["jump_tables"]) or "-"))
    if s["unreachable"]:
        L.append("")
        L.append("Functions no entry reaches (dead code in this build, or reached only by a CONFIG not analyzed): "
                 + ", ".join(s["unreachable"]) + ".")
    L.append("")
    return L


def size_section(ctx):
    L = ["## Size", ""]
    sz = getattr(ctx, "size", {})
    if sz:
        tr = sz.get(".text", 0) + sz.get(".rodata", 0)
        L.append("`%s`: text %d, rodata %d, data %d, bss %d bytes (text+rodata %d; target <= 24 KB); "
                 "hart stacks %d, G-stage tables %d, cell images %d bytes."
                 % (ctx.elf, sz.get(".text", 0), sz.get(".rodata", 0), sz.get(".data", 0), sz.get(".bss", 0), tr,
                    sz.get(".stacks", 0), sz.get(".gstage", 0), sz.get(".cellimages", 0)))
        L.append("")
    mods = getattr(ctx, "size_modules", {})
    if mods:
        L.append("Per object directory (Berkeley `size`: text includes read-only data; gen/ holds the G-stage "
                 "tables and the cell images):")
        L.append("")
        L.append("| objects under | text | data | bss |")
        L.append("|---|---:|---:|---:|")
        for m in sorted(mods):
            L.append("| %s | %d | %d | %d |" % (m, mods[m][0], mods[m][1], mods[m][2]))
        L.append("")
    cl = getattr(ctx, "cloc", [])
    if cl:
        L.append("Lines of code (cloc):")
        L.append("")
        L.append("| module | files | code | comment | blank |")
        L.append("|---|---:|---:|---:|---:|")
        hyp_total = 0
        for name, s in cl:
            if s is None:
                continue
            L.append("| %s | %d | %d | %d | %d |" % (name, s["nFiles"], s["code"], s["comment"], s["blank"]))
            if not name.startswith("host") and not name.startswith("generated"):
                hyp_total += s["code"]
        L.append("")
        L.append("Hypervisor code of this build, hand-written (sources + headers): %d lines (target <= 4 K)."
                 % hyp_total)
        L.append("")
    return L


def complexity_section(ctx):
    L = ["## Complexity", ""]
    comp = getattr(ctx, "complexity", {})
    limit = int(ctx.inp.get("ccn_limit", "15"))
    for scope, title in (("hyp", "hypervisor"), ("host", "host tools")):
        rows = comp.get(scope, [])
        if not rows:
            continue
        L.append("%s: %d functions, cyclomatic complexity (pmccabe) max %d, mean %.1f, limit %d. Highest:"
                 % (title, len(rows), rows[0][0], sum(r[0] for r in rows) / len(rows), limit))
        L.append("")
        L.append("| cyclomatic | modified | statements | lines | function |")
        L.append("|---:|---:|---:|---:|---|")
        for trad, mod, stmts, nlines, path, ln, fn in rows[:10]:
            L.append("| %d | %d | %d | %d | `%s` %s:%d |" % (trad, mod, stmts, nlines, fn, path, ln))
        L.append("")
    L.append("Cognitive complexity limit (clang-tidy readability-function-cognitive-complexity): 25.")
    L.append("")
    return L


def coverage_lines(ctx):
    cov = getattr(ctx, "coverage", None)
    if not cov:
        return ["(no coverage: %s)" % getattr(ctx, "coverage_note", "not run")]
    L = ["Host unit tests with gcov (%s):" % ctx.coverage_note, "",
         "| files | lines | line % | branches | branch % |", "|---|---:|---:|---:|---:|"]
    groups = {}
    for f in cov["files"]:
        g = "hypervisor (src/, host-built unit tests)" if f["filename"].startswith("src/") else "host: tools/bhconfig"
        a = groups.setdefault(g, [0, 0, 0, 0])
        a[0] += f["line_covered"]
        a[1] += f["line_total"]
        a[2] += f["branch_covered"]
        a[3] += f["branch_total"]
    for g, a in sorted(groups.items()):
        L.append("| %s | %d/%d | %.1f | %d/%d | %.1f |" % (g, a[0], a[1], 100.0 * a[0] / max(1, a[1]), a[2], a[3],
                                                          100.0 * a[2] / max(1, a[3])))
    L.append("| **total** | %d/%d | %.1f | %d/%d | %.1f |" % (cov["line_covered"], cov["line_total"],
                                                              cov["line_percent"], cov["branch_covered"],
                                                              cov["branch_total"], cov["branch_percent"] or 0))
    L.append("")
    L.append("| file | line % | branch % |")
    L.append("|---|---:|---:|")
    for f in sorted(cov["files"], key=lambda f: f["filename"]):
        L.append("| %s | %s | %s |" % (f["filename"], f["line_percent"],
                                       "-" if f["branch_percent"] is None else f["branch_percent"]))
    return L


def coverage_section(ctx):
    return ["## Coverage", ""] + coverage_lines(ctx) + [""]


def stack_and_coverage_doc(ctx):
    s = getattr(ctx, "stack", None)
    L = ["# Worst-case stack and test coverage", "",
         "Generated by `make analyze` (CONFIG=%s), which writes it here; `make test` fails "
         "while it differs from a fresh run. The method is in docs/safety/misra.md "
         "(\"Worst-case stack\")." % ctx.config, "",
         "## Worst-case stack", ""]
    if s:
        L.append("Per hart: **%d bytes of CONFIG_HART_STACK_SIZE = %d** (%d%%, margin %d bytes): %d on the "
                 "deepest path from `%s` plus %d for a trap taken in the hypervisor on top of it (`%s`)."
                 % (s["total"], s["limit"] or 0, (100 * s["total"] // s["limit"]) if s["limit"] else 0,
                    (s["limit"] or 0) - s["total"], s["root_bytes"], s["root"], s["nested_bytes"], s["nested"]))
        L.append("")
        L.extend(stack_path_lines(s))
        L.append("Per entry point: " + ", ".join("`%s` %d bytes" % (r, b) for r, b in sorted(s["per_root"].items()))
                 + ".")
    else:
        L.append("(not computed)")
    L += ["", "## Coverage", ""] + coverage_lines(ctx) + [""]
    return "\n".join(L) + "\n"


# ------------------------------------------------------------------ main
STEPS = ["misra", "tidy", "analyzer", "stack", "structure", "complexity", "size", "coverage"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", required=True, help="key=value file written by ci/analyze/analyze.mk")
    ap.add_argument("--out", required=True, help="output directory (build/analysis)")
    ap.add_argument("--only", default="", help="comma-separated subset of: " + ",".join(STEPS))
    args = ap.parse_args()
    os.chdir(ROOT)
    inputs = {}
    for line in read_lines(args.inputs):
        if "=" in line:
            k, v = line.split("=", 1)
            inputs[k.strip()] = v.strip()
    os.makedirs(args.out, exist_ok=True)
    ctx = Ctx(inputs, rel(args.out), int(inputs.get("jobs", "2") or 2))
    only = set(filter(None, args.only.split(",")))
    t0 = time.time()
    for missing in [t for t in ("cppcheck", "clang-tidy", "pmccabe", "cloc", "gcovr", ctx.cross + "gcc")
                    if shutil.which(t) is None]:
        print("analyze: %s is not installed (make deps)" % missing, file=sys.stderr)
        return 2
    ctx.versions = {
        "cppcheck": tool_version(["cppcheck", "--version"]) + " + misra addon",
        "clang-tidy": "clang-tidy " + re.sub(r".*version ", "", tool_version(["clang-tidy", "--version"])
                                           if "version" in tool_version(["clang-tidy", "--version"]) else "?"),
        "gcc": tool_version([ctx.cross + "gcc", "--version"]),
        "hostcc": tool_version([inputs.get("hostcc", "gcc"), "--version"]),
        "pmccabe": "pmccabe", "cloc": "cloc " + tool_version(["cloc", "--version"]),
        "gcovr": tool_version(["gcovr", "--version"]),
    }
    rc, out, _ = run(["clang-tidy", "--version"])
    m = re.search(r"LLVM version (\S+)", out)
    ctx.versions["clang-tidy"] = "clang-tidy " + (m.group(1) if m else "?")
    load_misra_doc(ctx)

    def timed(name, fn, *a):
        if only and name.split(" ")[0] not in only:
            return
        t = time.time()
        fn(ctx, *a)
        ctx.timing.append((name, time.time() - t))
        print("analyze: %-22s %5.1f s" % (name, time.time() - t), flush=True)

    timed("misra hypervisor", step_cppcheck, "hyp")
    timed("misra host", step_cppcheck, "host")
    timed("tidy hypervisor", step_tidy, "hyp")
    timed("tidy host", step_tidy, "host")
    timed("analyzer hypervisor", step_analyzer, "hyp")
    timed("analyzer host", step_analyzer, "host")
    timed("stack", step_stack)
    timed("structure", step_structure)
    timed("structure (inline suppressions)", step_inline_suppressions)
    timed("complexity", step_complexity)
    timed("size", step_size)
    timed("coverage", step_coverage)
    apply_suppressions(ctx)
    check_docs(ctx)
    opened, rows = write_report(ctx, time.time() - t0)

    # Console: the summary table, the stack figure, then every open finding as file:line.
    print()
    print("%-46s %-11s %8s %8s %6s %6s" % ("check", "scope", "findings", "deviated", "info", "open"))
    for title, scope, n, dev, inf, op in rows:
        print("%-46s %-11s %8d %8d %6d %6d%s" % (title[:46], scope, n, dev, inf, op, "  FAIL" if op else ""))
    s = getattr(ctx, "stack", None)
    if s and s["cycles"]:
        print("\nstack: UNBOUNDED, the call graph has %d cycle(s) (recursion findings below)" % s["cycles"])
    elif s:
        print("\nstack: worst case %d of %d bytes per hart (%s %d + nested trap %d)" %
              (s["total"], s["limit"] or 0, s["root"], s["root_bytes"], s["nested_bytes"]))
        print("  deepest path: " + " -> ".join(p.split(" (")[0] for p in s["path"]))
    cov = getattr(ctx, "coverage", None)
    if cov:
        print("coverage (host unit tests): lines %.1f%%, branches %.1f%%" % (cov["line_percent"],
                                                                            cov["branch_percent"] or 0))
    print("report: %s/report.md" % ctx.out)
    if opened:
        print("\nanalyze: FAIL, %d open finding(s) (fix, or record in %s + %s):" % (len(opened), DEVIATIONS_DOC,
                                                                                  SUPPRESSIONS))
        for f in sorted(opened, key=lambda f: (f.file, f.line, f.col)):
            print("  " + f.text())
        return 1
    print("\nanalyze: PASS (no open findings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
