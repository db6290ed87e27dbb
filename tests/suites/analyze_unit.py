# SPDX-License-Identifier: Apache-2.0
"""Unit tests of the stack-depth checker of `make analyze` (ci/analyze/bhanalyze/callgraph.py)
on canned inputs: objdump listings, -fstack-usage files, indirect-call annotations and
function-pointer tables under tests/analyze/stack/, not a build. Each test runs the checker
and asserts on its findings and figures.

tests/analyze/stack/sbi: the shape of the hypervisor's entry paths. _start -> common_start
(`jr t2`) -> bh_main; bh_trap_entry -> bh_trap_from_guest -> bh_sbi_dispatch, which calls
through the extensions[] table (bh_sbi_time, bh_sbi_hsm -> bh_hsm_start, bh_sbi_base); the
nested trap hyp_trap -> bh_trap_from_hypervisor -> bh_panic.
tests/analyze/stack/fnptr-recursion: dispatch calls handler_a/handler_b through handlers[],
and handler_b calls dispatch again.
tests/analyze/stack/park: bh_trap_entry -> bh_sbi_hsm -> arch_park, which resets sp and jumps
to bh_hart_park_loop; the loop serves the console and parks again (running_stop -> arch_park).
"""

import os
import struct
import sys

from bhtest import ROOT

sys.path.insert(0, os.path.join(ROOT, "ci", "analyze"))
from bhanalyze import callgraph  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "analyze", "stack")


VERIFIES = {
    "*": ["EVD-2"],
}

def _lines(case, name):
    with open(os.path.join(FIXTURES, case, name)) as fh:
        return fh.read().splitlines()


class Run:
    """The checker run on one fixture directory; findings as (rule, file, line, message)."""

    def __init__(self, case, su_files, annotations=None, limit=4096, drop_calls=()):
        d = os.path.join(FIXTURES, case)
        self.listing_path = os.path.relpath(os.path.join(d, "listing.txt"), ROOT)
        listing = _lines(case, "listing.txt")
        frames = {}
        for su in su_files:
            callgraph.parse_su(_lines(case, su), frames)
        self.findings = []
        ann_lines = [l for l in _lines(case, annotations or "indirect-calls.txt")
                     if not any(l.split("#")[0].split() == ["call", c, "->", t] for c, t in drop_calls)]
        man = callgraph.parse_annotations(ann_lines, self.findings.append)
        headers = {}
        # Source line of each instruction: its line in listing.txt (what addr2line gives for a build).
        self.line_of = {}
        for n, line in enumerate(listing, 1):
            m = callgraph.OBJ_HEADER.match(line)
            if m:
                headers[m.group(2)] = int(m.group(1), 16)
            m = callgraph.OBJ_INSN.match(line)
            if m:
                self.line_of[int(m.group(1), 16)] = (self.listing_path, n)
        sections, objects = self._tables(case, headers)
        inp = callgraph.StackInputs(
            listing="\n".join(listing), frames=frames, annotations=man, obj_names=set(headers),
            data_objects=objects, sections=sections,
            where=lambda addrs: {a: self.line_of.get(a, ("", 0)) for a in addrs},
            limit=limit, elf="bulkhead.elf", config_file="build/.config")
        self.stack = callgraph.analyze(inp, self.findings.append)

    @staticmethod
    def _tables(case, headers):
        """tables.txt: '<section> <address> <object> <function>...' -> section contents and data symbols."""
        sections, objects = {}, []
        for line in _lines(case, "tables.txt"):
            p = line.split("#")[0].split()
            if not p:
                continue
            base = int(p[1], 16)
            content = b"".join(struct.pack("<Q", headers[f]) for f in p[3:])
            sections[p[0]] = (1, base, content)
            objects.append((base, len(content), p[2], ""))
        return sections, objects

    def rules(self):
        return sorted(f.rule for f in self.findings)

    def of(self, rule):
        return [f for f in self.findings if f.rule == rule]

    def describe(self):
        return "findings:\n" + "\n".join("  " + f.text() for f in self.findings) + "\nstack: %r" % (self.stack,)


SBI_FULL = ("sbi", ["core.su", "console.su"])


def t_sbi_indirect_resolved():
    # The SBI handlers' addresses are taken only in extensions[]; with one 'call' line per table
    # entry the indirect call in bh_sbi_dispatch is resolved and nothing is reported.
    r = Run(*SBI_FULL)
    assert r.findings == [], r.describe()
    assert r.stack["indirect"] == ["bh_sbi_dispatch", "common_start"], r.describe()
    assert r.stack["per_root"]["bh_trap_entry"] == 336, r.describe()
    assert r.stack["functions"] == 15 and r.stack["cycles"] == 0, r.describe()


def t_sbi_indirect_unannotated():
    # Without the 'call bh_sbi_dispatch -> ...' lines the checker must name the unresolved call
    # site and every handler whose address sits in the table; the dispatcher then counts alone.
    r = Run(*SBI_FULL, drop_calls=[("bh_sbi_dispatch", h) for h in ("bh_sbi_time", "bh_sbi_hsm", "bh_sbi_base")])
    assert r.rules() == ["stack:address-taken"] * 3 + ["stack:unresolved-indirect"], r.describe()
    site = r.of("stack:unresolved-indirect")[0]
    assert "indirect call in bh_sbi_dispatch" in site.msg and \
        (site.file, site.line) == r.line_of[0x8020015c], r.describe()
    taken = sorted(f.msg.split()[2] for f in r.of("stack:address-taken"))
    assert taken == ["bh_sbi_base", "bh_sbi_hsm", "bh_sbi_time"], r.describe()
    assert all("(stored in extensions)" in f.msg for f in r.of("stack:address-taken")), r.describe()
    assert r.stack["per_root"]["bh_trap_entry"] == 112 + 48, r.describe()


def t_sbi_deepest_path_sum():
    # bh_trap_entry 0 + bh_trap_from_guest 112 + bh_sbi_dispatch 48 + bh_sbi_hsm 96 + bh_hsm_start 80:
    # the hsm branch (176) beats bh_sbi_time (32) and bh_sbi_base (16); bh_vcpu_resume (0) loses.
    r = Run(*SBI_FULL)
    s = r.stack
    assert s["root"] == "bh_trap_entry" and s["root_bytes"] == 336, r.describe()
    assert [p.split(" (")[0] for p in s["path"]] == [
        "bh_trap_entry 0", "bh_trap_from_guest 112", "bh_sbi_dispatch 48", "bh_sbi_hsm 96",
        "bh_hsm_start 80"], r.describe()
    assert s["path"][3] == "bh_sbi_hsm 96 (src/core/sbi_hsm.c:40)", r.describe()
    assert s["per_root"]["_start"] == 0 + 0 + 64 + 32, r.describe()


def t_sbi_nested_trap():
    # A trap in HS-mode lands on top of the deepest path: hyp_trap 272 (its 'frame' line) +
    # bh_trap_from_hypervisor 64 + bh_panic 32 = 368, and the total is both together.
    r = Run(*SBI_FULL)
    s = r.stack
    assert s["nested"] == "hyp_trap" and s["nested_bytes"] == 272 + 64 + 32, r.describe()
    assert s["nested_path"][0] == "hyp_trap 272 (asm)", r.describe()
    assert s["total"] == 336 + 368 and s["limit"] == 4096, r.describe()


def t_sbi_overflow():
    # Under a 512-byte stack the 704 bytes overflow; the finding points at the largest C frame
    # on the path (bh_trap_from_guest, 112 bytes; hyp_trap's 272 are assembly).
    r = Run(*SBI_FULL, limit=512)
    assert r.rules() == ["stack:overflow"], r.describe()
    f = r.findings[0]
    assert (f.file, f.line) == ("src/core/trap.c", 31) and "704 bytes exceeds" in f.msg and \
        "bh_trap_from_guest 112 bytes" in f.msg, r.describe()


def t_no_frame_reported():
    # console.su missing: bh_console_init is reachable from _start but has no frame at all.
    r = Run("sbi", ["core.su"])
    assert r.rules() == ["stack:no-frame"], r.describe()
    assert r.findings[0].msg.startswith("bh_console_init (0x80200240) is reachable but has neither"), r.describe()
    assert r.stack["per_root"]["_start"] == 64, r.describe()


def t_recursion_through_function_pointer():
    # dispatch -(handlers[])-> handler_b -> dispatch: a cycle only the annotated indirect edge
    # closes. It is reported, and the worst case is declared unbounded.
    r = Run("fnptr-recursion", ["frames.su"])
    assert r.rules() == ["stack:recursion", "stack:unbounded"], r.describe()
    rec = r.of("stack:recursion")[0]
    assert rec.check == "recursion" and rec.status == "open", r.describe()
    assert "dispatch -> handler_b (ci/analyze/indirect-calls.txt:0)" in rec.msg, r.describe()
    back = r.line_of[0x80200090]
    assert "handler_b -> dispatch (%s:%d)" % back in rec.msg, r.describe()
    assert r.stack["cycles"] == 1, r.describe()


def t_recursion_needs_the_indirect_edge():
    # Without 'call dispatch -> handler_b' there is no cycle, but the taken address is reported.
    r = Run("fnptr-recursion", ["frames.su"], drop_calls=[("dispatch", "handler_b")])
    assert r.rules() == ["stack:address-taken"], r.describe()
    assert "address of handler_b is taken (stored in handlers)" in r.findings[0].msg, r.describe()
    assert r.stack["cycles"] == 0 and r.stack["total"] == 48, r.describe()


def t_park_loop_starts_on_a_fresh_stack():
    # 'fresh arch_park': the park loop is a root of its own (32 + bh_console_receive 400), the HSM
    # stop's path ends at arch_park (96 + 0), and parking again from the loop closes no cycle.
    r = Run("park", ["frames.su"])
    assert r.findings == [], r.describe()
    s = r.stack
    assert s["per_root"] == {"bh_trap_entry": 96, "bh_hart_park_loop": 32 + 400}, r.describe()
    assert s["root"] == "bh_hart_park_loop" and s["cycles"] == 0, r.describe()
    assert [p.split(" (")[0] for p in s["path"]] == ["bh_hart_park_loop 32", "bh_console_receive 400"], \
        r.describe()


def t_park_without_fresh_is_recursion():
    # The same code without the 'fresh' line: arch_park's jump is an ordinary edge, so the loop's
    # own park (running_stop -> arch_park -> bh_hart_park_loop) is a cycle and the stack unbounded.
    r = Run("park", ["frames.su"], annotations="indirect-calls-no-fresh.txt")
    assert r.rules() == ["stack:recursion", "stack:unbounded"], r.describe()
    assert "arch_park -> bh_hart_park_loop" in r.of("stack:recursion")[0].msg, r.describe()


def t_repository_annotations_parse():
    # ci/analyze/indirect-calls.txt itself: every line is understood and it names the entries.
    found = []
    with open(os.path.join(ROOT, "ci", "analyze", "indirect-calls.txt")) as fh:
        man = callgraph.parse_annotations(fh.read().splitlines(), found.append)
    assert found == [], "\n".join(f.text() for f in found)
    assert man["root"] and man["nested"] and man["fresh"] and man["call"], man


def collect(ctx):
    return [(name[2:], fn) for name, fn in sorted(globals().items()) if name.startswith("t_") and callable(fn)]
