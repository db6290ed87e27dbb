#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Seeded mutation fuzzing of the config compiler (build/host/bhconfig).

Corpus: configs/*.dts and tests/configs/good/*.dts of the qemu-virt platform. Each iteration picks one,
parses it into a small tree, applies 1-4 mutations (numbers, strings, cell
counts, property names; deleted, duplicated, renamed and moved properties and
nodes; now and then raw text damage), writes it and runs

    bhconfig --system <mutant> --platform dts/qemu-virt.dts
             --kconfig tests/configs/test.config --image-dir <dummy images> --out <empty dir>

and checks:
  crash      the exit status is 0 or 1: never a signal, never 2 (the command line
             is right by construction), never a hang (timeout);
  clean      on exit 1 every stderr line is bhconfig's own, starting with
             "<mutant path>:", or dtc's ("Error: <path>:...", "Lexical error: <path>:...",
             "Warning ...: <path>:...", "FATAL ERROR: ...", "ERROR: ..."), and at least
             one is bhconfig's own;
             nothing on stdout;
  nothing    on exit 1 the --out directory is left empty;
  complete   on exit 0 every output exists and system.json parses;
  valid      on exit 0 the accepted system obeys the rules docs/config.md lists,
             re-checked here from system.json independently of bhconfig (harts,
             host and guest overlaps, RAM bounds, alignment, image, entry, DTB,
             bus masters only with dma = "unconfined");
  warned     on exit 0 stderr holds exactly one DMA warning per bus-master device
             of a dma = "unconfined" cell, and nothing else;
  same       every 25th mutant is compiled twice: same status, stderr and outputs.

Usage: tools/fuzz/config_fuzz.py [--seed N] [--iterations N] [--seconds S]
                                 [--bhconfig PATH] [--keep DIR] [-v]
Exit status 0 if no problem was found, 1 otherwise; failing mutants are kept
in --keep (default build/fuzz/failures) with a .txt next to each saying why.
"""

import argparse
import filecmp
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = "dts/qemu-virt.dts"
KCONFIG = "tests/configs/test.config"

# Facts of dts/qemu-virt.dts and tests/configs/test.config the oracle uses.
PLAT_HARTS = 4
RAM = (0x80000000, 0x100000000)
FIRMWARE = (0x80000000, 0x80200000)
VPLIC = (0x0c000000, 0x0c600000)
UART_PAGE = (0x10000000, 0x10001000)
GUEST_LIMIT = 1 << 41
# /soc nodes marked bulkhead,bus-master (DMA): the eight virtio-mmio slots and the PCI host bridge.
BUS_MASTERS = {f"virtio_mmio@1000{i}000" for i in range(1, 9)} | {"pci@30000000"}
MAX_CELLS, MAX_CELL_HARTS, MAX_REGIONS, MAX_DEVICES = 4, 8, 8, 8

# Dummy images: name -> size (0 = empty file); "dir" is a directory named dir.bin;
# every other image a corpus config names gets 16 KiB.
IMAGES = {"rtos-contract": 4096, "probe": 16384, "victim": 4096, "hostile": 16384,
          "linux": 65536, "rtthread": 4096, "irqtest": 4096, "img4k": 4096, "img8k": 8192,
          "empty": 0, "big": 1 << 22}

NUMBERS = [0, 1, 2, 3, 4, 7, 8, 0xfff, 0x1000, 0x1001, 0x1ff000, 0x200000, 0x1fffff, 0x3e00000,
           0x10000000, 0x0c000000, 0x7fffffff, 0x80000000, 0x80200000, 0x88000000, 0xc0000000,
           0xfffff000, 0xffffffff, 0x100, 0x1ff, 0x40000000]
STRINGS = ["", "rwx", "rw", "r", "x", "wx", "rr", "rwxr", "RWX", "ns16550", "sbi", "none", "stop",
           "restart", "halt", "qemu-virt", "qemu", "bulkhead,system", "rtos-contract", "probe",
           "victim", "hostile", "linux", "empty", "dir", "big", "missing", "../img4k", ".img4k",
           "a/b", "x" * 300, "\u00fc\u00f1\u00ef", "virtio_mmio@10001000", "virtio_mmio@10008000",
           "serial@10000000", "plic@c000000", "clint@2000000", "test@100000", "rtc@101000",
           "pci@30000000", "flash@20000000", "virtio_mmio@1000800", "console=ttyS0 earlycon",
           "b" * 70000, "unconfined", "iommu"]
PROP_NAMES = ["harts", "image", "image-address", "entry", "dtb-address", "bootargs", "console",
              "devices", "fault-policy", "guest-address", "host-address", "size", "access", "reg",
              "compatible", "model", "bulkhead,platform", "fault_policy", "Harts", "status",
              "#address-cells", "phandle", "linux,phandle", "name", "dma"]
NODE_NAMES = ["memory", "memory@0", "memory@90000000", "memory@", "mem", "hypervisor", "cells",
              "bulkhead", "hyp", "input", "console.raw", "a-b", "a_b", "1cell", "x" * 40,
              "chosen", "cpus", "cell@1"]


# ---------------------------------------------------------------- a tiny DTS tree

class Node:
    def __init__(self, name):
        self.name = name
        self.items = []   # ("prop", name, value-text or None) | ("node", Node)

    def clone(self):
        n = Node(self.name)
        n.items = [(i[0], i[1].clone()) if i[0] == "node" else tuple(i) for i in self.items]
        return n

    def nodes(self):
        return [i[1] for i in self.items if i[0] == "node"]

    def walk(self, parent=None):
        yield self, parent
        for c in self.nodes():
            yield from c.walk(self)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(<[^>]*>)|(\[[^\]]*\])|([{};=,])|'
                    r'([^\s{};=,"<\[][^\s{};="<\[]*))')


def tokens(text):
    pos = 0
    out = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot tokenize at {text[pos:pos + 20]!r}")
        pos = m.end()
        out.append(next(g for g in m.groups() if g is not None))
    return out


def parse(text):
    """-> (header lines, root Node). Only the subset our configs use."""
    text = strip_comments(text)
    header = re.findall(r"/dts-v1/\s*;", text)
    text = re.sub(r"/dts-v1/\s*;", "", text)
    toks = tokens(text)
    i = 0

    def node(name):
        nonlocal i
        n = Node(name)
        assert toks[i] == "{"
        i += 1
        while toks[i] != "}":
            word = toks[i]
            if toks[i + 1] == "{":
                i += 1
                n.items.append(("node", node(word)))
            elif toks[i + 1] == ";":
                n.items.append(("prop", word, None))
                i += 2
            else:
                assert toks[i + 1] == "=", f"unexpected {toks[i + 1]!r}"
                i += 2
                val = []
                while toks[i] != ";":
                    val.append(toks[i])
                    i += 1
                i += 1
                n.items.append(("prop", word, " ".join(val).replace(" , ", ", ")))
        i += 1
        assert toks[i] == ";"
        i += 1
        return n

    assert toks[0] == "/"
    i = 1
    root = node("/")
    return header or ["/dts-v1/;"], root


def emit(header, root):
    out = [header[0], ""]

    def rec(n, depth):
        pad = "\t" * depth
        out.append(f"{pad}{n.name} {{")
        for it in n.items:
            if it[0] == "node":
                rec(it[1], depth + 1)
            elif it[2] is None:
                out.append(f"{pad}\t{it[1]};")
            else:
                out.append(f"{pad}\t{it[1]} = {it[2]};")
        out.append(f"{pad}}};")

    rec(root, 0)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- mutations

def rand_number(rng, old=None):
    r = rng.random()
    if old is not None and r < 0.35:
        op = rng.randrange(6)
        v = [old + 0x1000, old - 0x1000, old ^ (1 << rng.randrange(32)), old * 2, old >> 1,
             old + 1][op]
        return v & 0xffffffff
    if r < 0.75:
        return rng.choice(NUMBERS)
    return rng.getrandbits(32)


def fmt_cell(v):
    return f"0x{v:x}" if v > 9 else str(v)


def mutate_value(rng, value):
    """A new value text for a property (None = boolean property)."""
    if value is None or rng.random() < 0.08:
        # type confusion: a boolean, a string, cells, an empty list
        return rng.choice([None, '"x"', "<0x1>", "<>", '"rwx", "r"', "[00 01]"])
    if value.startswith("<"):
        cells = value.strip("<>").split()
        choice = rng.random()
        if not cells or choice < 0.6:
            if cells:
                k = rng.randrange(len(cells))
                try:
                    old = int(cells[k], 0)
                except ValueError:
                    old = None
                cells[k] = fmt_cell(rand_number(rng, old))
            else:
                cells = [fmt_cell(rand_number(rng))]
        elif choice < 0.75:
            del cells[rng.randrange(len(cells))]
        elif choice < 0.9:
            cells.insert(rng.randrange(len(cells) + 1), fmt_cell(rand_number(rng)))
        else:
            # a 64-bit pair: high word that puts the value above 4 GiB or at 2^41
            cells = [fmt_cell(rng.choice([0, 1, 0x1ff, 0x200, 0xffffffff])),
                     fmt_cell(rand_number(rng))]
        return "<" + " ".join(cells) + ">"
    if value.startswith('"'):
        parts = re.findall(r'"(?:[^"\\]|\\.)*"', value)
        r = rng.random()
        if r < 0.7 or not parts:
            k = rng.randrange(len(parts)) if parts else 0
            new = '"' + rng.choice(STRINGS) + '"'
            parts[k:k + 1] = [new]
        elif r < 0.85:
            parts.append(rng.choice(parts))          # a duplicate in a list
        else:
            parts = parts[:-1] or ['""']
        return ", ".join(parts)
    return value


def all_props(root):
    out = []
    for n, _ in root.walk():
        for idx, it in enumerate(n.items):
            if it[0] == "prop":
                out.append((n, idx))
    return out


def all_nodes(root):
    return [(n, p) for n, p in root.walk() if p is not None]


def m_value(rng, root):
    props = all_props(root)
    if not props:
        return "none"
    n, idx = rng.choice(props)
    _, name, value = n.items[idx]
    n.items[idx] = ("prop", name, mutate_value(rng, value))
    return f"value {n.name}/{name}"


ADDRESS_PROPS = ("host-address", "guest-address", "image-address", "entry", "dtb-address",
                 "size", "reg")


def m_shift(rng, root):
    """Near misses: move an address or size by a few pages or 2 MiB blocks."""
    props = [(n, i) for n, i in all_props(root) if n.items[i][1] in ADDRESS_PROPS
             and (n.items[i][2] or "").startswith("<")]
    if not props:
        return "none"
    n, idx = rng.choice(props)
    _, name, value = n.items[idx]
    cells = value.strip("<>").split()
    try:
        nums = [int(c, 0) for c in cells]
    except ValueError:
        return "none"
    if not nums:
        return "none"
    k = rng.randrange(len(nums) // 2) * 2 if len(nums) >= 2 and rng.random() < 0.5 else 0
    hi_lo = (nums[k] << 32 | nums[k + 1]) if len(nums) >= k + 2 else nums[k]
    step = rng.choice([0x1000, 0x1000, 0x200000, 0x200000, 0x1000000, 0x8, 0x10000])
    if rng.random() < 0.08:
        # base + size wraps around 2^64 (or 2^32 for single-cell values)
        hi_lo = (1 << 64) - rng.choice([1, 2, 3, 0x200]) * step
    else:
        hi_lo = max(0, hi_lo + rng.choice([-3, -2, -1, 1, 2, 3]) * step) & ((1 << 64) - 1)
    if len(nums) >= k + 2:
        nums[k], nums[k + 1] = hi_lo >> 32, hi_lo & 0xffffffff
    else:
        nums[k] = hi_lo & 0xffffffff
    n.items[idx] = ("prop", name, "<" + " ".join(fmt_cell(v) for v in nums) + ">")
    return f"shift {n.name}/{name}"


def m_harts(rng, root):
    """Hart lists: permuted, another hart, a hart twice, one too many."""
    props = [(n, i) for n, i in all_props(root) if n.items[i][1] == "harts"]
    if not props:
        return "none"
    n, idx = rng.choice(props)
    cells = n.items[idx][2].strip("<>").split() if n.items[idx][2] else []
    r = rng.random()
    if r < 0.3 and len(cells) > 1:
        rng.shuffle(cells)
    elif r < 0.6 and cells:
        cells[rng.randrange(len(cells))] = str(rng.randrange(5))
    elif r < 0.8:
        cells.append(str(rng.randrange(5)))
    elif cells:
        cells.pop()
    n.items[idx] = ("prop", "harts", "<" + " ".join(cells) + ">")
    return f"harts {n.name}"


def m_delete_prop(rng, root):
    props = all_props(root)
    if not props:
        return "none"
    n, idx = rng.choice(props)
    name = n.items[idx][1]
    del n.items[idx]
    return f"delete {n.name}/{name}"


def m_dup_prop(rng, root):
    props = all_props(root)
    if not props:
        return "none"
    n, idx = rng.choice(props)
    n.items.insert(idx + 1, n.items[idx])
    return f"duplicate {n.name}/{n.items[idx][1]}"


def m_rename_prop(rng, root):
    props = all_props(root)
    if not props:
        return "none"
    n, idx = rng.choice(props)
    _, name, value = n.items[idx]
    new = rng.choice(PROP_NAMES)
    n.items[idx] = ("prop", new, value)
    return f"rename {n.name}/{name} -> {new}"


def m_move_prop(rng, root):
    props = all_props(root)
    nodes = [n for n, _ in root.walk()]
    if not props:
        return "none"
    n, idx = rng.choice(props)
    it = n.items.pop(idx)
    dest = rng.choice(nodes)
    dest.items.insert(rng.randrange(len(dest.items) + 1), it)
    return f"move {n.name}/{it[1]} -> {dest.name}"


def m_delete_node(rng, root):
    nodes = all_nodes(root)
    if not nodes:
        return "none"
    n, p = rng.choice(nodes)
    p.items = [it for it in p.items if not (it[0] == "node" and it[1] is n)]
    return f"delete node {n.name}"


def m_dup_node(rng, root):
    nodes = all_nodes(root)
    if not nodes:
        return "none"
    n, p = rng.choice(nodes)
    c = n.clone()
    r = rng.random()
    if r < 0.2:
        pass                                   # same name: dtc merges the two
    elif n.name.startswith("memory"):
        c.name = "memory@" + format(rng.choice(NUMBERS), "x")
    else:
        c.name = n.name + rng.choice(["2", "_b", "-x", "x"])
    dest = p if rng.random() < 0.8 else rng.choice([x for x, _ in root.walk()])
    dest.items.append(("node", c))
    return f"duplicate node {n.name} as {c.name} in {dest.name}"


def m_rename_node(rng, root):
    nodes = all_nodes(root)
    if not nodes:
        return "none"
    n, _ = rng.choice(nodes)
    old = n.name
    n.name = rng.choice(NODE_NAMES)
    return f"rename node {old} -> {n.name}"


def m_move_node(rng, root):
    nodes = all_nodes(root)
    if not nodes:
        return "none"
    n, p = rng.choice(nodes)
    dests = [x for x, _ in root.walk() if x is not n and x not in [y for y, _ in n.walk()]]
    dest = rng.choice(dests)
    p.items = [it for it in p.items if not (it[0] == "node" and it[1] is n)]
    dest.items.append(("node", n))
    return f"move node {n.name} -> {dest.name}"


def m_add_prop(rng, root):
    nodes = [n for n, _ in root.walk()]
    n = rng.choice(nodes)
    name = rng.choice(PROP_NAMES)
    value = rng.choice([None, '"rwx"', "<0x0 0x1000>", "<1 2 3>", '"restart"', '"img4k"',
                        "<0x0 0x80200000>", '"virtio_mmio@10008000"'])
    n.items.append(("prop", name, value))
    return f"add {n.name}/{name}"


MUTATIONS = [(m_value, 30), (m_shift, 25), (m_harts, 8), (m_delete_prop, 6), (m_dup_prop, 2),
             (m_rename_prop, 4), (m_move_prop, 3), (m_delete_node, 5), (m_dup_node, 8),
             (m_rename_node, 4), (m_move_node, 3), (m_add_prop, 3)]


def raw_damage(rng, text):
    """Byte-level damage for the parser (dtc) path."""
    r = rng.random()
    k = rng.randrange(len(text))
    if r < 0.3:
        return text[:k]                                         # truncated
    if r < 0.6:
        return text[:k] + rng.choice(list('{};="<>/\\\x00@#&')) + text[k:]
    if r < 0.8:
        return text[:k] + text[k + 1:]
    return text[:k] + "/include/ \"missing.dtsi\"\n" + text[k:]


def mutant(rng, corpus):
    path, (header, root) = rng.choice(corpus)
    root = root.clone()
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        fn = rng.choices([m for m, _ in MUTATIONS], [w for _, w in MUTATIONS])[0]
        done.append(fn(rng, root))
    text = emit(header, root)
    if rng.random() < 0.03:
        text = raw_damage(rng, text)
        done.append("raw damage")
    return path, text, done


# ---------------------------------------------------------------- the oracle

def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def check_accepted(system):
    """Rules of docs/config.md, checked on an accepted system.json; -> list of problems."""
    bad = []
    hyp = system["hypervisor"]
    h = (hyp["base"], hyp["base"] + hyp["size"])
    if hyp["base"] % 0x200000 or hyp["size"] % 0x200000:
        bad.append(f"hypervisor {h[0]:#x}+{hyp['size']:#x} not 2 MiB aligned")
    if not (RAM[0] <= h[0] and h[1] <= RAM[1]) or overlap(h, FIRMWARE):
        bad.append(f"hypervisor {h[0]:#x}..{h[1]:#x} outside RAM or over the firmware")
    cells = system["cells"]
    if not 1 <= len(cells) <= MAX_CELLS:
        bad.append(f"{len(cells)} cells")
    owner_hart, owner_dev, host = {}, {}, []
    for c in cells:
        name = c["name"]
        if not c["harts"] or len(c["harts"]) > MAX_CELL_HARTS:
            bad.append(f"{name}: {len(c['harts'])} harts")
        for hid in c["harts"]:
            if hid >= PLAT_HARTS:
                bad.append(f"{name}: hart {hid} does not exist")
            if hid in owner_hart:
                bad.append(f"{name}: hart {hid} also in {owner_hart[hid]}")
            owner_hart[hid] = name
        for d in c["devices"]:
            if d in owner_dev:
                bad.append(f"{name}: device {d} also in {owner_dev[d]}")
            owner_dev[d] = name
        masters = [d for d in c["devices"] if d in BUS_MASTERS]
        if masters and c.get("dma") != "unconfined":
            bad.append(f"{name}: bus master(s) {masters} without dma = \"unconfined\"")
        if c.get("dma") not in (None, "unconfined") or (c.get("dma") and not masters):
            bad.append(f"{name}: dma {c.get('dma')!r} with bus masters {masters}")
        if len(c["regions"]) > MAX_REGIONS or len(c["devices"]) > MAX_DEVICES:
            bad.append(f"{name}: too many regions or devices")
        guest = []
        for r in c["regions"]:
            g = (r["guest"], r["guest"] + r["size"])
            hr = (r["host"], r["host"] + r["size"])
            if r["size"] == 0 or (r["guest"] | r["host"] | r["size"]) % 0x1000:
                bad.append(f"{name}: region {r} not 4 KiB aligned or empty")
            if not (RAM[0] <= hr[0] and hr[1] <= RAM[1]):
                bad.append(f"{name}: host {hr[0]:#x}..{hr[1]:#x} outside RAM")
            if overlap(hr, FIRMWARE) or overlap(hr, h):
                bad.append(f"{name}: host {hr[0]:#x}..{hr[1]:#x} over firmware or hypervisor")
            for other, ohr in host:
                if overlap(hr, ohr):
                    bad.append(f"{name}: host {hr[0]:#x}..{hr[1]:#x} overlaps {other}")
            for og in guest:
                if overlap(g, og):
                    bad.append(f"{name}: guest {g[0]:#x}..{g[1]:#x} overlaps its own region")
            if g[1] > GUEST_LIMIT or overlap(g, VPLIC) or \
                    (c["console"] == "ns16550" and overlap(g, UART_PAGE)):
                bad.append(f"{name}: guest {g[0]:#x}..{g[1]:#x} over the 41-bit limit, "
                           f"the vPLIC or the UART")
            if "r" not in r["access"] or len(set(r["access"])) != len(r["access"]) or \
                    set(r["access"]) - set("rwx"):
                bad.append(f"{name}: access {r['access']!r}")
            guest.append(g)
        for r in c["regions"]:
            host.append((name, (r["host"], r["host"] + r["size"])))

        def region_of(a, size):
            for r in c["regions"]:
                if r["guest"] <= a and a + size <= r["guest"] + r["size"]:
                    return r
            return None

        img = (c["image_address"], c["image_address"] + c["image_size"])
        rr = region_of(c["image_address"], c["image_size"])
        if c["image_size"] == 0 or rr is None:
            bad.append(f"{name}: image {img[0]:#x}+{c['image_size']:#x} not inside one region")
        if not (img[0] <= c["entry"] < img[1]):
            bad.append(f"{name}: entry {c['entry']:#x} outside the image")
        er = region_of(c["entry"], 1)
        if er is None or "x" not in er["access"]:
            bad.append(f"{name}: entry {c['entry']:#x} not executable")
        if c["dtb_address"] % 8 or region_of(c["dtb_address"], c["dtb_size"]) is None or \
                overlap((c["dtb_address"], c["dtb_address"] + c["dtb_size"]), img):
            bad.append(f"{name}: DTB {c['dtb_address']:#x}+{c['dtb_size']:#x} misplaced")
        if c["fault_policy"] not in ("stop", "restart") or c["console"] not in ("ns16550", "sbi"):
            bad.append(f"{name}: fault_policy {c['fault_policy']!r} console {c['console']!r}")
    return bad


# dtc's own messages, which bhconfig passes on before its own line about them.
DTC_LINE = (r"^(Lexical error|Error|Warning|ERROR|WARNING)( \([^)]*\))?: {path}:"
            r"|^FATAL ERROR: |^ERROR: ")

def dma_warnings(err, path):
    """(cell, device) of each DMA warning on an accepted run's stderr; None if any
    other line is there."""
    pat = re.compile(re.escape(path) + r": cell '(.*)': dma: warning: \"(.*)\" can DMA anywhere "
                     r"in physical memory \(no IOMMU; dma = \"unconfined\"\)$")
    found = []
    for line in err.splitlines():
        m = pat.match(line)
        if not m:
            return None
        found.append((m.group(1), m.group(2)))
    return sorted(found)


EXPECTED_OUTPUTS = ["gen/config.h", "gen/cells.c", "gen/gstage.c", "gen/images.S",
                    "memory-map.txt", "system.json"]


def files_under(d):
    out = []
    for base, dirs, files in os.walk(d):
        out += [os.path.relpath(os.path.join(base, f), d) for f in files]
        out += [os.path.relpath(os.path.join(base, x), d) + "/" for x in dirs]
    return sorted(out)


class Fuzzer:
    def __init__(self, bhconfig, work, seed, timeout=10.0):
        self.bhconfig = bhconfig
        self.work = work
        self.rng = random.Random(seed)
        self.timeout = timeout
        self.corpus = []
        for p in sorted(glob.glob(os.path.join(ROOT, "configs", "*.dts")) +
                        glob.glob(os.path.join(ROOT, "tests", "configs", "good", "*.dts"))):
            with open(p) as f:
                text = f.read()
            # The fuzzer's platform is dts/qemu-virt.dts: a system for another
            # (configs/rtos64.dts, 64 harts) is no seed for it.
            m = re.search(r'bulkhead,platform = "([^"]*)"', text)
            if m and m.group(1) != "qemu-virt":
                continue
            self.corpus.append((os.path.relpath(p, ROOT), parse(text)))
        # Dummy images: the fixed set plus every image the corpus names (16 KiB).
        sizes = dict(IMAGES)
        for _, (_, root) in self.corpus:
            for n, idx in all_props(root):
                it = n.items[idx]
                if it[1] == "image" and it[2] and it[2].startswith('"'):
                    sizes.setdefault(it[2].strip('"'), 16384)
        self.images = os.path.join(work, "images")
        os.makedirs(self.images, exist_ok=True)
        for name, size in sizes.items():
            with open(os.path.join(self.images, name + ".bin"), "wb") as f:
                f.write(bytes((i * 7 + 1) & 0xff for i in range(size)) if size < 65536
                        else b"\x13" * size)
        os.makedirs(os.path.join(self.images, "dir.bin"), exist_ok=True)
        self.stats = {"iterations": 0, "accepted": 0, "rejected": 0, "dtc_rejected": 0,
                      "problems": 0, "repeat_checked": 0}
        self.problems = []   # (kind, message, mutant text, mutations)

    def compile(self, dts, out):
        cmd = [self.bhconfig, "--system", dts, "--platform", PLATFORM, "--kconfig", KCONFIG,
               "--image-dir", self.images, "--out", out]
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=self.timeout)

    def problem(self, kind, msg, text, done):
        self.stats["problems"] += 1
        self.problems.append((kind, msg, text, done))

    def one(self, n):
        src, text, done = mutant(self.rng, self.corpus)
        self.check(n, src, text, done)

    def check(self, n, src, text, done):
        dts = os.path.join(self.work, f"m{n % 2}.dts")
        with open(dts, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        out = os.path.join(self.work, "out")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        self.stats["iterations"] += 1
        try:
            r = self.compile(dts, out)
        except subprocess.TimeoutExpired:
            self.problem("hang", f"no answer in {self.timeout} s (from {src}: {done})", text, done)
            return
        err = r.stderr.decode("utf-8", errors="replace")
        if r.returncode < 0:
            self.problem("crash", f"killed by signal {-r.returncode} (from {src}: {done})\n{err}",
                         text, done)
            return
        if r.returncode not in (0, 1):
            self.problem("status", f"exit status {r.returncode} (from {src}: {done})\n{err}",
                         text, done)
            return
        if re.search(r"AddressSanitizer|runtime error:|LeakSanitizer", err):
            self.problem("sanitizer", f"(from {src}: {done})\n{err}", text, done)
            return
        left = files_under(out)
        if r.returncode == 1:
            self.stats["rejected"] += 1
            lines = [l for l in err.splitlines() if l.strip()]
            own = [l for l in lines if l.startswith(dts + ":")]
            foreign = [l for l in lines if not l.startswith(dts + ":") and not re.match(
                DTC_LINE.format(path=re.escape(dts)), l)]
            if any("dtc could not compile" in l for l in own):
                self.stats["dtc_rejected"] += 1
            if not own or foreign or r.stdout.strip():
                self.problem("unclean", f"rejection not clean (from {src}: {done}):\n{err}"
                             f"{r.stdout.decode(errors='replace')}", text, done)
            if left:
                self.problem("output", f"rejected but wrote {left} (from {src}: {done})",
                             text, done)
            elif n % 25 == 0:
                self.repeat(dts, out, r, text, done, src)
            return
        self.stats["accepted"] += 1
        missing = [p for p in EXPECTED_OUTPUTS if p not in left]
        if missing:
            self.problem("output", f"accepted but {missing} missing (from {src}: {done})",
                         text, done)
            return
        try:
            with open(os.path.join(out, "system.json")) as f:
                system = json.load(f)
        except ValueError as e:
            self.problem("output", f"system.json does not parse: {e} (from {src}: {done})",
                         text, done)
            return
        dtbs = [f"cells/{c['name']}.dtb" for c in system["cells"]]
        if [d for d in dtbs if d not in left]:
            self.problem("output", f"accepted but a guest DTB is missing: {dtbs} vs {left}",
                         text, done)
        bad = check_accepted(system)
        if bad:
            self.problem("invalid", f"accepted a config that breaks the rules (from {src}: "
                         f"{done}):\n  " + "\n  ".join(bad), text, done)
        warned = dma_warnings(err, dts)
        want = sorted((c["name"], d) for c in system["cells"] if c.get("dma") == "unconfined"
                      for d in c["devices"] if d in BUS_MASTERS)
        if warned != want or r.stdout.strip():
            self.problem("warned", f"accepted with DMA warnings {warned}, expected {want} "
                         f"(from {src}: {done}):\n{err}", text, done)
        if n % 25 == 0:
            self.repeat(dts, out, r, text, done, src)

    def repeat(self, dts, out, first, text, done, src):
        """The same mutant again into the same --out path (images.S names it)."""
        self.stats["repeat_checked"] += 1
        out2 = os.path.join(self.work, "out2")
        shutil.rmtree(out2, ignore_errors=True)
        os.rename(out, out2)
        os.makedirs(out)
        r2 = self.compile(dts, out)
        if r2.returncode != first.returncode or r2.stderr != first.stderr:
            self.problem("nondeterministic", f"second run differs (from {src}: {done})",
                         text, done)
            return
        cmp = filecmp.dircmp(out, out2)
        diff = cmp.diff_files + cmp.left_only + cmp.right_only
        for sub in cmp.subdirs.values():
            diff += sub.diff_files + sub.left_only + sub.right_only
        if diff:
            self.problem("nondeterministic", f"outputs differ between two runs: {diff} "
                         f"(from {src}: {done})", text, done)

    def run(self, iterations, seconds):
        end = time.monotonic() + seconds
        for n in range(iterations):
            if time.monotonic() > end:
                break
            self.one(n)
        return self.stats


def build_asan(build):
    """build/host/fuzz/bhconfig-asan: the compiler with ASan and UBSan."""
    out = os.path.join(build, "host", "fuzz", "bhconfig-asan")
    srcs = sorted(glob.glob(os.path.join(ROOT, "tools", "bhconfig", "*.c")))
    if os.path.exists(out) and os.path.getmtime(out) > max(os.path.getmtime(s) for s in srcs):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    subprocess.run(["gcc", "-std=c11", "-O1", "-g", "-fno-omit-frame-pointer",
                    "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                    "-o", out] + srcs + ["-lfdt"], check=True, cwd=ROOT)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=lambda s: int(s, 0), default=0x5eed)
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=60.0, help="time budget")
    ap.add_argument("--bhconfig", default=os.path.join(ROOT, "build", "host", "bhconfig"))
    ap.add_argument("--asan", action="store_true",
                    help="build and fuzz an ASan/UBSan bhconfig (build/host/fuzz/)")
    ap.add_argument("--keep", default=os.path.join(ROOT, "build", "fuzz", "failures"))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    exe = build_asan(os.path.join(ROOT, "build")) if a.asan else a.bhconfig
    if not os.access(exe, os.X_OK):
        print(f"{exe} missing: run 'make bhconfig' first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bhfuzz-") as work:
        fz = Fuzzer(os.path.abspath(exe), work, a.seed)
        t0 = time.monotonic()
        stats = fz.run(a.iterations, a.seconds)
        took = time.monotonic() - t0
        print(f"config-fuzz: seed {a.seed:#x}, {stats['iterations']} mutants in {took:.1f} s: "
              f"{stats['accepted']} accepted, {stats['rejected']} rejected "
              f"({stats['dtc_rejected']} by dtc), {stats['repeat_checked']} run twice, "
              f"{stats['problems']} problems")
        if fz.problems:
            os.makedirs(a.keep, exist_ok=True)
            for i, (kind, msg, text, done) in enumerate(fz.problems):
                base = os.path.join(a.keep, f"{i:03d}-{kind}")
                with open(base + ".dts", "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(text)
                with open(base + ".txt", "w") as f:
                    f.write(msg + "\n")
                if a.verbose or i < 5:
                    print(f"{kind}: {msg}\n  kept as {base}.dts")
        return 1 if fz.problems else 0


if __name__ == "__main__":
    sys.exit(main())
