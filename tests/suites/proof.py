# SPDX-License-Identifier: Apache-2.0
"""The proof gate (`make prove`, ci/prove/, docs/safety/proof.md) inside
`make test`: Frama-C's EVA over every hypervisor path of each system of
ci/prove/prove.mk's PROVE_CONFIGS.

gate/<system>: that system's EVA run has no alarm without a record in
docs/safety/proof-alarms.md, no stale record, no unproved harness assertion,
and reaches at least the recorded number of statements. Each runs
`make prove-only` for its system and fails with the problem lines.

planted_off_by_one: a scratch copy of the tree with one known run-time error
planted - the boot hart's loop over the harts one past the last
(main.c: i <= BH_NUM_HARTS), which reads the per-hart stack-slot table out of
bounds - must fail the gate, with the alarm named (file, function, the index
bound). A gate that let
it through would prove nothing.

canned/*: the gate's judgement on a canned Frama-C run (a stand-in that
writes a fixed report): a recorded alarm passes; an unrecorded alarm, a
stale record and fewer statements than the recorded minimum each fail.

wp/context_vhart: WP proves the contract of the vPLIC's context decoder
(ISO-DEV-2: only an S-mode context of the cell's own harts yields a vhart).
wp/planted_foreign_context: with the decoder's bound one hart too far, the
proof fails on the behavior that bound guards.
"""

import os
import re
import shutil
import subprocess

PROVE_MK = "ci/prove/prove.mk"
TIMEOUT = 900  # seconds per system; 1 to 3 minutes on a loaded 2-core machine
PLANTED_CONFIG = "baremetal-pair"
PLANTED_FILE = "src/core/main.c"
PLANTED_FROM = "    for (uint32_t i = 0; i < BH_NUM_HARTS; i++) {\n        bh_hart_init(i, stack_top(i));\n"
PLANTED_TO = "    for (uint32_t i = 0; i <= BH_NUM_HARTS; i++) {\n        bh_hart_init(i, stack_top(i));\n"
# The line prove.py must print for the planted bug: the per-hart stack-slot
# table read one hart too far (an alarm, or a property proved false).
PLANTED_ALARM = re.compile(r"(unrecorded alarm|proved false \([^)]*\)): src/core/main\.c:\d+ in stack_top: "
                           r"index_bound `hartid < \d+`")

# The WP part: a foreign context accepted by the vPLIC's context decoder (its
# bound moved one hart out) must break the proof of its contract.
WP_PLANTED_FILE = "src/core/vplic.c"
WP_PLANTED_FROM = "    if (context_hart >= v->num_harts) {\n"
WP_PLANTED_TO = "    if (context_hart > v->num_harts) {\n"
WP_PLANTED_GOAL = re.compile(r"src/core/vplic\.c context_vhart: \d+ of \d+ goals proved; not proved: .*foreign_context")

VERIFIES = {
    "gate/*": ["EVD-9"],
    "planted_off_by_one": ["EVD-10"],
    "canned/*": ["EVD-9"],
    "wp/context_vhart": ["EVD-11", "ISO-DEV-2"],
    "wp/planted_foreign_context": ["EVD-11"],
}


def prove_configs(root):
    with open(os.path.join(root, PROVE_MK), encoding="utf-8") as f:
        m = re.search(r"^PROVE_CONFIGS \?= (.+)$", f.read(), re.M)
    assert m, f"{PROVE_MK}: no 'PROVE_CONFIGS ?=' line"
    return m.group(1).split()


def make_prove(root, build, configs):
    cmd = ["make", "--no-print-directory", "-C", root, f"BUILD={build}",
           f"PROVE_CONFIGS={' '.join(configs)}", "prove-only"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, errors="replace")


def gate_result(ctx, config):
    """Runs the gate for one system and answers its result.txt."""
    path = os.path.join(ctx.build, "prove", config, "result.txt")
    if os.path.exists(path):
        os.remove(path)  # nothing of an earlier run may pass for this one
    p = make_prove(ctx.root, ctx.build, [config])
    if not os.path.isfile(path):
        tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
        raise AssertionError(f"make prove-only wrote no {path} (exit {p.returncode}):\n{tail}")
    with open(path, encoding="utf-8") as f:
        return f.read()


def make_wp(root, build):
    cmd = ["make", "--no-print-directory", "-C", root, f"BUILD={build}", "CONFIG=baremetal-pair", "prove-wp"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, errors="replace")


def scratch_copy(ctx, name, path, old, new):
    """A copy of the tree under <build>/<name> with one line of path replaced."""
    scratch = os.path.join(ctx.build, name)
    if os.path.isdir(scratch):
        shutil.rmtree(scratch)
    for f in tree_files(ctx.root):
        dst = os.path.join(scratch, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(ctx.root, f), dst)
    target = os.path.join(scratch, path)
    with open(target, encoding="utf-8") as f:
        text = f.read()
    assert text.count(old) == 1, f"{path}: the line to plant the bug in ({old.strip()}) is not there exactly " \
                                 "once; update tests/suites/proof.py"
    with open(target, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))
    return scratch


# The gate's judgement alone, on a canned Frama-C run (a stand-in executable
# that writes a fixed report and log): one alarm, vplic.c best_source.
CANNED_CSV = ("directory\tfile\tline\tfunction\tproperty kind\tstatus\tproperty\n"
              "src/core\tvplic.c\t54\tbest_source\tindex_bound\tUnknown\tvhart < 8\n"
              "src/core\tvplic.c\t60\tbest_source\tshift\tValid\t0 <= b < 32\n")
CANNED_LOG = "  120 statements reached (out of 130): 92% coverage.\n"
CANNED_RECORD = ("### PA-01 — vplic.c `best_source`: index_bound\n\n"
                 "- where: `src/core/vplic.c` `best_source`\n- alarm: index_bound `vhart < 8`\n"
                 "- configs: `canned`\n- why it cannot happen: canned\n- guaranteed by: canned\n\n")
CANNED_STALE = ("### PA-02 — cell.c `bh_cell_phys_hart`: index_bound\n\n"
                "- where: `src/core/cell.c` `bh_cell_phys_hart`\n- alarm: index_bound `vhart < 8`\n"
                "- configs: `canned`\n- why it cannot happen: canned\n- guaranteed by: canned\n\n")


def judge(ctx, name, records, minimum=120):
    """Runs ci/prove/prove.py on the canned run with the given records; answers (exit, output)."""
    work = os.path.join(ctx.build, "prove-canned", name)
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    fake = os.path.join(work, "frama-c")
    with open(fake, "w", encoding="utf-8") as f:
        f.write("#!/usr/bin/python3\nimport sys\n"
                f"open(sys.argv[-1], 'w').write({CANNED_CSV!r})\nprint({CANNED_LOG!r})\n")
    os.chmod(fake, 0o755)
    with open(os.path.join(work, "config.h"), "w", encoding="utf-8") as f:
        f.write("#define BH_UART_BASE 0x10000000\n#define BH_RAM_BASE 0x80000000\n#define BH_RAM_SIZE 0x80000000\n")
    with open(os.path.join(work, "cells.c"), "w", encoding="utf-8") as f:
        f.write("/* no harts */\n")
    with open(os.path.join(work, "records.md"), "w", encoding="utf-8") as f:
        f.write(f"| system | statements reached at least |\n|---|---|\n| `canned` | {minimum} |\n\n## Records\n\n"
                + records)
    inputs = os.path.join(work, "inputs.txt")
    with open(inputs, "w", encoding="utf-8") as f:
        f.write(f"config=canned\nsrcs=src/core/vplic.c\ncpp=-Isrc/include\nconfig_h={work}/config.h\n"
                f"cells_c={work}/cells.c\nrecords={work}/records.md\nout={work}/out\n")
    p = subprocess.run(["/usr/bin/python3", os.path.join(ctx.root, "ci/prove/prove.py"), "--inputs", inputs,
                        "--frama-c", fake], capture_output=True, text=True, cwd=ctx.root, timeout=60)
    return p.returncode, p.stdout + p.stderr


def tree_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, check=True).stdout
    return [f for f in out.decode().split("\0") if f and os.path.isfile(os.path.join(root, f))]


def collect(ctx):
    configs = prove_configs(ctx.root)

    def make_gate_test(config):
        def test():
            text = gate_result(ctx, config)
            first = text.splitlines()[0] if text else ""
            assert re.match(rf"prove {re.escape(config)}: ok:", first), f"the proof gate failed:\n{text}"
        return test

    def t_planted_off_by_one():
        scratch = scratch_copy(ctx, "prove-planted", PLANTED_FILE, PLANTED_FROM, PLANTED_TO)
        p = make_prove(scratch, os.path.join(scratch, "build"), [PLANTED_CONFIG])
        out = p.stdout + p.stderr
        assert p.returncode != 0, f"the gate passed with the planted bug in {PLANTED_FILE}:\n{out[-3000:]}"
        assert PLANTED_ALARM.search(out), ("the gate failed, but without naming the planted alarm "
                                           f"({PLANTED_ALARM.pattern}):\n{out[-3000:]}")
        shutil.rmtree(scratch)

    def t_canned_recorded_passes():
        rc, out = judge(ctx, "recorded", CANNED_RECORD)
        assert rc == 0 and "prove canned: ok: 1 alarms, 1 recorded" in out, out

    def t_canned_unrecorded_fails():
        rc, out = judge(ctx, "unrecorded", "")
        assert rc != 0 and "unrecorded alarm: src/core/vplic.c:54 in best_source: index_bound `vhart < 8`" in out, out

    def t_canned_stale_record_fails():
        rc, out = judge(ctx, "stale", CANNED_RECORD + CANNED_STALE)
        assert rc != 0 and "stale record PA-02" in out, out

    def t_canned_fewer_statements_fails():
        rc, out = judge(ctx, "fewer", CANNED_RECORD, minimum=121)
        assert rc != 0 and "120 statements reached, fewer than the recorded 121" in out, out

    def t_wp_context_vhart():
        p = make_wp(ctx.root, ctx.build)
        out = p.stdout + p.stderr
        assert p.returncode == 0 and re.search(r"prove wp: ok: .*context_vhart (\d+)/\1 ", out), \
            f"WP did not prove context_vhart's contract:\n{out[-3000:]}"

    def t_wp_planted_foreign_context():
        scratch = scratch_copy(ctx, "prove-planted-wp", WP_PLANTED_FILE, WP_PLANTED_FROM, WP_PLANTED_TO)
        p = make_wp(scratch, os.path.join(scratch, "build"))
        out = p.stdout + p.stderr
        assert p.returncode != 0, f"WP proved the contract with a foreign context accepted:\n{out[-3000:]}"
        assert WP_PLANTED_GOAL.search(out), ("WP failed, but not on the behavior the planted bug breaks "
                                             f"({WP_PLANTED_GOAL.pattern}):\n{out[-3000:]}")
        shutil.rmtree(scratch)

    return [(f"gate/{c}", make_gate_test(c)) for c in configs] + [
        ("planted_off_by_one", t_planted_off_by_one),
        ("canned/recorded_passes", t_canned_recorded_passes),
        ("canned/unrecorded_fails", t_canned_unrecorded_fails),
        ("canned/stale_record_fails", t_canned_stale_record_fails),
        ("canned/fewer_statements_fails", t_canned_fewer_statements_fails),
        ("wp/context_vhart", t_wp_context_vhart),
        ("wp/planted_foreign_context", t_wp_planted_foreign_context),
    ]
