# SPDX-License-Identifier: Apache-2.0
"""The worst-case stack of the hypervisor from what the build left: the call graph of the
disassembly, the -fstack-usage frames and the annotations of ci/analyze/indirect-calls.txt.

Runs no tool: bhanalyze.stack gathers the inputs (StackInputs) from the build, the unit
tests (tests/suites/analyze_unit.py) hand in canned ones. analyze() reports through `add`
(a Finding sink) and returns the figures of the report, or None when there are no roots.
"""

import bisect
import os
import re
import struct

from .findings import Finding
from .paths import INDIRECT, rel
from .recursion import cycles as call_cycles


SU_LINE = re.compile(r"^(.+?):(\d+):(\d+):(\S+)\t(\d+)\t(\S+)$")
OBJ_HEADER = re.compile(r"^([0-9a-f]+) <(.+)>:$")
OBJ_INSN = re.compile(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$")
OBJ_TARGET = re.compile(r"\b([0-9a-f]+) <([^>]+?)(\+0x[0-9a-f]+)?>")
BRANCHES = {"beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez", "blez", "bgez", "bltz", "bgtz",
            "bgt", "ble", "bgtu", "bleu"}
ENDS_FLOW = {"j", "jr", "ret", "sret", "mret", "tail", "c.j", "c.jr"}
# Sections whose 8-byte words may hold function addresses (tables of handlers).
DATA_SECTIONS = (".rodata", ".data", ".sdata", ".srodata")


def parse_su(lines, frames=None):
    """Lines of a -fstack-usage file -> frames: (source basename, function) -> (bytes, qual, src, line)."""
    frames = {} if frames is None else frames
    for line in lines:
        m = SU_LINE.match(line)
        if m:
            src, ln, _, fn, size, qual = m.groups()
            frames[(os.path.basename(src), fn)] = (int(size), qual, rel(src), int(ln))
    return frames


def parse_annotations(lines, add, path=INDIRECT):
    """The lines of ci/analyze/indirect-calls.txt: root/nested/fresh/frame/call."""
    man = {"root": [], "nested": [], "fresh": [], "frame": {}, "call": [], "lines": {}}
    for n, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        p = text.split()
        kind = p[0]
        if kind in ("root", "nested", "fresh") and len(p) >= 2:
            man[kind].append(p[1])
            man["lines"][(kind, p[1])] = n
        elif kind == "frame" and len(p) >= 3 and p[2].isdigit():
            man["frame"][p[1]] = int(p[2])
            man["lines"][("frame", p[1])] = n
        elif kind == "call" and len(p) >= 4 and p[2] == "->":
            man["call"].append((p[1], p[3], n))
        else:
            add(Finding("stack", "hyp", "stack:bad-annotation", path, n, "cannot parse: " + text))
    return man


class StackInputs:
    """Everything analyze() reads.

    listing       `objdump -d --no-show-raw-insn` of the ELF
    frames        parse_su() of every .su file
    annotations   parse_annotations() of ci/analyze/indirect-calls.txt
    symbols       address -> [(name, source basename or '', 'FUNC'|'NOTYPE')] (elf.parse_symbols)
    obj_names     names the object files define (the linker script's symbols are not among them)
    data_objects  [(address, size, name, source basename or '')] of the ELF's data symbols
    sections      name -> (type, address, contents) (elf.elf_sections)
    ci_indirect   (source basename, function) -> ["file:line:col", ...] indirect call sites
                  that gcc -fcallgraph-info reported
    where         function: sorted addresses -> {address: (source file, line)}
    limit         CONFIG_HART_STACK_SIZE, None when unknown
    elf, hyp_srcs, config_file   names used in findings
    """

    def __init__(self, listing, frames, annotations, symbols=None, obj_names=None, data_objects=(),
                 sections=None, ci_indirect=None, where=None, limit=None, elf="bulkhead.elf",
                 hyp_srcs=(), config_file=".config"):
        self.listing = listing
        self.frames = frames
        self.annotations = annotations
        self.symbols = symbols or {}
        self.obj_names = obj_names or set()
        self.data_objects = list(data_objects)
        self.sections = sections or {}
        self.ci_indirect = ci_indirect or {}
        self.where = where or (lambda addrs: {a: ("", 0) for a in addrs})
        self.limit = limit
        self.elf = elf
        self.hyp_srcs = list(hyp_srcs)
        self.config_file = config_file


def listing_blocks(inp):
    """Blocks = every text symbol objdump starts a listing at, in address order, each with its
    instructions [(addr, mnemonic, operands)] and its end (the next block's start)."""
    blocks = []
    for line in inp.listing.splitlines():
        m = OBJ_HEADER.match(line)
        if m:
            addr = int(m.group(1), 16)
            cands = inp.symbols.get(addr, [(m.group(2), "", "NOTYPE")])
            cands = sorted(cands, key=lambda c: (c[2] != "FUNC", c[0] not in inp.obj_names))
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
    return blocks


class Graph:
    """The call graph: one node per block, named by its symbol (name@file when the name is not unique)."""

    def __init__(self, inp, blocks):
        self.blocks = blocks
        self.names = {}
        for b in blocks:
            self.names.setdefault(b["name"], []).append(b)
        self.starts = {b["start"]: b for b in blocks}
        self.start_list = [b["start"] for b in blocks]
        self.nodes = {}
        for b in blocks:
            self.nodes[self.node_id(b)] = {"block": b, "su": self.su_frame(inp.frames, b), "edges": [],
                                           "indirect": [], "jumps": []}
        self.addr_taken = {}  # node -> addresses where its address is taken (code or data)

    def node_id(self, b):
        return b["name"] if len(self.names[b["name"]]) == 1 else "%s@%s" % (b["name"], b["file"])

    @staticmethod
    def su_frame(frames, b):
        # GCC clones: the symbol is foo.constprop.0, the .su line says foo.constprop.
        names_tried = (b["name"], re.sub(r"\.\d+$", "", b["name"]))
        su = None
        for nm in names_tried:
            su = su or (frames.get((b["file"], nm)) if b["file"] else None)
        if su is None:
            cands = [v for (f, n), v in frames.items() if n in names_tried]
            su = cands[0] if len(cands) == 1 else None
        return su

    def block_at(self, addr):
        i = bisect.bisect_right(self.start_list, addr) - 1
        if i >= 0 and addr < self.blocks[i]["end"]:
            return self.blocks[i]
        return None


def add_code_edges(g, inp):
    """Direct calls and jumps between blocks, indirect sites, addresses taken in code, fall-through."""
    for b in g.blocks:
        nid = g.node_id(b)
        n = g.nodes[nid]
        for addr, mn, ops in b["insns"]:
            tm = OBJ_TARGET.search(ops)
            target = int(tm.group(1), 16) if tm else None
            is_control = mn in ("j", "jal", "jr", "jalr", "call", "tail") or mn in BRANCHES
            if is_control and target is not None:
                tb = g.block_at(target)
                if tb is None:
                    continue
                if tb is b:
                    if target == b["start"] and mn in ("jal", "jalr", "call"):
                        n["edges"].append((nid, addr, "call"))  # calls itself
                    continue  # a loop or branch inside the function
                kind = "call" if mn in ("jal", "jalr", "call") else "jump"
                n["edges"].append((g.node_id(tb), addr, kind))
            elif mn in ("jalr", "jr") and target is None:
                n["indirect"].append((addr, mn, ops))
            elif target is not None and target in g.starts and not is_control and tm.group(2) in inp.obj_names:
                g.addr_taken.setdefault(g.node_id(g.starts[target]), []).append(addr)
        # Assembly routines (no .su) may fall through into the next symbol.
        last = b["insns"][-1][1]
        if n["su"] is None and last not in ENDS_FLOW:
            nb = g.starts.get(b["end"])
            if nb is not None:
                n["edges"].append((g.node_id(nb), b["insns"][-1][0], "fall-through"))


def add_data_pointers(g, inp):
    """Function pointers stored in data: every aligned 8-byte word equal to a block's start."""
    for sname in DATA_SECTIONS:
        if sname not in inp.sections:
            continue
        _, base, content = inp.sections[sname]
        for off in range(0, len(content) - 7, 8):
            v = struct.unpack_from("<Q", content, off)[0]
            if v in g.starts:
                g.addr_taken.setdefault(g.node_id(g.starts[v]), []).append(base + off)


def apply_annotations(g, inp, add):
    """The 'call' edges of the annotations, their roots and assembly frames, by node id."""
    man = dict(inp.annotations)
    alias = {}
    for b in g.blocks:
        for a in b["aliases"]:
            alias.setdefault(a, g.node_id(b))

    def resolve(name, line):
        if name in g.nodes:
            return name
        if name in alias and name in inp.obj_names:
            return alias[name]
        add(Finding("stack", "hyp", "stack:unknown-symbol", INDIRECT, line,
                    "'%s' is not a function of %s" % (name, inp.elf)))
        return None

    calls = []
    for caller, callee, line in man["call"]:
        a, b2 = resolve(caller, line), resolve(callee, line)
        if a and b2:
            g.nodes[a]["edges"].append((b2, None, "indirect"))
            calls.append((a, b2, line))
    man["call"] = calls
    for kind in ("root", "nested", "fresh"):
        man[kind] = [x for x in (resolve(r, man["lines"][(kind, r)]) for r in man[kind]) if x]
    # What a 'fresh' routine jumps to starts on an empty stack: a root of its own,
    # and no path goes on through the routine (so no stack grows, and no cycle closes, there).
    for nid in man["fresh"]:
        for tgt, _, _ in g.nodes[nid]["edges"]:
            if tgt not in man["root"]:
                man["root"].append(tgt)
        g.nodes[nid]["edges"] = []
    frames_manual = {}
    for name, size in man["frame"].items():
        nid = resolve(name, man["lines"][("frame", name)])
        if nid is None:
            continue
        if g.nodes[nid]["su"] is not None:
            add(Finding("stack", "hyp", "stack:bad-annotation", INDIRECT, man["lines"][("frame", name)],
                        "'%s' has a -fstack-usage frame; 'frame' is for assembly only" % name))
        frames_manual[nid] = size
    return man, frames_manual


def locate_sites(g, inp):
    """Source lines of every call site, indirect site and taken address, in one go; a function
    address stored in a table names the table and, if known, its source file."""
    want = set()
    for n in g.nodes.values():
        for _, a, _ in n["edges"]:
            if a:
                want.add(a)
        for a, _, _ in n["indirect"]:
            want.add(a)
    for lst in g.addr_taken.values():
        want.update(lst)
    where = inp.where(sorted(want))
    for lst in g.addr_taken.values():
        for a in lst:
            if where.get(a, ("", 0))[0]:
                continue
            for base, size, oname, ofile in inp.data_objects:
                if base <= a < base + max(size, 1):
                    src = [f for f in inp.hyp_srcs if ofile and os.path.basename(f) == ofile]
                    where[a] = (src[0] if src else inp.elf, 0)
                    where[("table", a)] = oname
                    break
    return where


def check_indirect(g, inp, man, where, add):
    """Every indirect call has annotated targets; every taken address is a root or a target."""
    annotated = {c for c, _, _ in man["call"]}
    targets = {t for _, t, _ in man["call"]}
    for nid, n in g.nodes.items():
        b = n["block"]
        ci_sites = inp.ci_indirect.get((b["file"], b["name"]), [])
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
                add(Finding("stack", "hyp", "stack:unresolved-indirect", f or inp.elf, l,
                            "indirect %s in %s has no edges in %s" % ("call" if mn != "jr" else "jump", nid,
                                                                      INDIRECT)))
    roots = set(man["root"]) | set(man["nested"])
    for nid, sites in sorted(g.addr_taken.items()):
        if nid in roots or nid in targets:
            continue
        f, l = where.get(sites[0], ("", 0))
        table = where.get(("table", sites[0]))
        add(Finding("stack", "hyp", "stack:address-taken", f or inp.elf, l,
                    "address of %s is taken%s but it is neither a root nor an indirect-call target in %s"
                    % (nid, (" (stored in %s)" % table) if table else "", INDIRECT)))
    for _, t, line in man["call"]:
        if t in g.nodes and t not in g.addr_taken:
            add(Finding("stack", "hyp", "stack:stale-annotation", INDIRECT, line,
                        "%s is an indirect-call target but its address is never taken" % t, gating=False))
    return annotated


def report_cycles(g, inp, cycles, where, add):
    for comp in cycles:
        comp_set = set(comp)
        path_txt = []
        first_loc = ("", 0)
        for nid in comp:
            for tgt, a, kind in g.nodes[nid]["edges"]:
                if tgt in comp_set:
                    f, l = where.get(a, ("", 0)) if a else (INDIRECT, 0)
                    if not first_loc[0]:
                        first_loc = (f, l)
                    path_txt.append("%s -> %s (%s:%d)" % (nid, tgt, f, l))
        add(Finding("recursion", "hyp", "stack:recursion", first_loc[0] or inp.elf, first_loc[1],
                    "call-graph cycle: " + "; ".join(path_txt)))


def analyze(inp, add):
    """The worst-case stack per hart; findings go to add(Finding). Returns the report's figures
    (dict), or None when the annotations name no root."""
    g = Graph(inp, listing_blocks(inp))
    add_code_edges(g, inp)
    add_data_pointers(g, inp)
    man, frames_manual = apply_annotations(g, inp, add)
    where = locate_sites(g, inp)
    annotated = check_indirect(g, inp, man, where, add)
    nodes = g.nodes

    def frame(nid):
        n = nodes[nid]
        if n["su"] is not None:
            return n["su"][0]
        return frames_manual.get(nid)

    for nid, n in nodes.items():
        if n["su"] is not None and n["su"][1] != "static":
            add(Finding("vla", "hyp", "stack:dynamic-frame", n["su"][2], n["su"][3],
                        "%s has a %s stack frame (VLA or alloca)" % (nid, n["su"][1])))

    graph = {nid: sorted({e[0] for e in n["edges"]}) for nid, n in nodes.items()}
    cycles = call_cycles(graph)
    report_cycles(g, inp, cycles, where, add)

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
        add(Finding("stack", "hyp", "stack:no-frame", inp.elf, 0,
                    "%s (0x%x) is reachable but has neither a .su frame nor a 'frame' line in %s"
                    % (nid, b["start"], INDIRECT)))
    if not man["root"]:
        add(Finding("stack", "hyp", "stack:no-roots", INDIRECT, 0, "no 'root' lines"))
        return None
    worst_root = max(man["root"], key=lambda r: results[r][0])
    worst_nested = max(man["nested"], key=lambda r: results[r][0]) if man["nested"] else None
    total = results[worst_root][0] + (results[worst_nested][0] if worst_nested else 0)
    limit = inp.limit

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
    stack = {"total": total, "limit": limit, "root": worst_root, "root_bytes": results[worst_root][0],
             "nested": worst_nested, "nested_bytes": results[worst_nested][0] if worst_nested else 0,
             "path": deep, "nested_path": nest, "per_root": {r: results[r][0] for r in results},
             "functions": len(nodes), "edges": sum(len(n["edges"]) for n in nodes.values()),
             "indirect": sorted(annotated), "jump_tables": sorted(n for n in nodes if nodes[n]["jumps"]),
             "unreachable": unreachable, "cycles": len(cycles)}
    if limit is None:
        add(Finding("stack", "hyp", "stack:no-limit", inp.config_file, 0,
                    "CONFIG_HART_STACK_SIZE not found"))
    elif cycles:
        add(Finding("stack", "hyp", "stack:unbounded", inp.elf, 0,
                    "worst-case stack is unbounded: the call graph has cycles (see recursion findings)"))
    elif total > limit:
        # Point at the largest frame on the deepest path: the place to look first.
        big = max((nodes[x] for x in results[worst_root][1] + (results[worst_nested][1] if worst_nested else [])
                   if nodes[x]["su"] is not None), key=lambda n: n["su"][0])
        add(Finding("stack", "hyp", "stack:overflow", big["su"][2], big["su"][3],
                    "worst-case stack %d bytes exceeds CONFIG_HART_STACK_SIZE %d; largest frame on the path: "
                    "%s %d bytes; path: %s" % (total, limit, big["block"]["name"], big["su"][0],
                                              " -> ".join(deep + (["[trap] "] + nest if nest else [])))))
    return stack
