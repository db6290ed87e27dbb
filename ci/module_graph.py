#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that the hypervisor's generic modules depend on each other without a cycle.

A module is a header under src/include together with the .c files that
define what it declares (a function or object with external linkage).
Module A depends on module B when A's header or one of A's .c files includes
B's header. A cycle means no module of it can be understood, tested or
replaced without the others, so it is an error.

The architecture's headers (src/arch/*/include) are left out unless
--with-arch is given: its trap entry calls up into every exit handler by
design, and its CPU primitives take the hart structure, so it is one layer
both below and above the generic code.

Usage: module_graph.py [--root DIR] [--with-arch] [--dot]
Prints each cycle found (one line, "a.h -> b.h -> a.h") and exits 1 if there
is any; with --dot prints the graph in Graphviz form instead.
"""

import argparse
import glob
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
PROTOTYPE = re.compile(r"\b(\w+)\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*?\)\))?\s*;", re.S)
EXTERN = re.compile(r"\bextern\b[^;(]*?\b(\w+)\s*(?:\[[^\]]*\]\s*)*;")
FUNC_DEF = re.compile(r"^(?!static\b)[A-Za-z_][\w \t*]*?\b(\w+)\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*?\)\))?\s*\{",
                      re.M | re.S)
OBJ_DEF = re.compile(r"^(?!static\b|extern\b|typedef\b|return\b)(?:const\s+)?(?:struct\s+|enum\s+)?\w+\s+\**(\w+)\s*"
                     r"(?:\[[^\]]*\]\s*)*(?:=|;)", re.M)


def strip(text):
    return COMMENT.sub(" ", text)


def headers(root, with_arch):
    """Maps include names ("bulkhead/cell.h") to paths."""
    found = {}
    dirs = [os.path.join(root, "src", "include")]
    if with_arch:
        dirs += glob.glob(os.path.join(root, "src", "arch", "*", "include"))
    for inc in dirs:
        for path in glob.glob(os.path.join(inc, "**", "*.h"), recursive=True):
            found[os.path.relpath(path, inc)] = path
    return found


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def build_graph(root, with_arch=False):
    hdrs = headers(root, with_arch)
    declares = {}  # header -> names it declares
    for name, path in hdrs.items():
        text = strip(read(path))
        declares[name] = set(PROTOTYPE.findall(text)) | set(EXTERN.findall(text))
    deps = {name: {i for i in INCLUDE.findall(read(path)) if i in hdrs and i != name} for name, path in hdrs.items()}
    sources = glob.glob(os.path.join(root, "src", "**", "*.c"), recursive=True)
    for src in sorted(sources):
        text = read(src)
        body = strip(text)
        defined = set(FUNC_DEF.findall(body)) | set(OBJ_DEF.findall(body))
        includes = {i for i in INCLUDE.findall(text) if i in hdrs}
        for name, names in declares.items():
            if names & defined:
                deps[name] |= includes - {name}
    return deps


def cycles(deps):
    """Every elementary cycle's smallest representative, found by DFS from each node."""
    found = set()
    for start in sorted(deps):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(deps[node]):
                if nxt == start:
                    found.add(tuple(path))
                elif nxt not in path and nxt > start:
                    stack.append((nxt, path + [nxt]))
    return sorted(found, key=lambda c: (len(c), c))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--with-arch", action="store_true", help="count the architecture's headers as modules too")
    ap.add_argument("--dot", action="store_true", help="print the module graph for Graphviz")
    args = ap.parse_args()
    deps = build_graph(args.root, args.with_arch)
    if args.dot:
        print("digraph modules {")
        for a in sorted(deps):
            for b in sorted(deps[a]):
                print(f'  "{a}" -> "{b}";')
        print("}")
        return 0
    found = cycles(deps)
    for c in found:
        print("module cycle: " + " -> ".join(c + (c[0],)))
    if found:
        print(f"{len(found)} module cycle(s) among {len(deps)} modules", file=sys.stderr)
        return 1
    print(f"no module cycle among {len(deps)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
