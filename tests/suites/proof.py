# SPDX-License-Identifier: Apache-2.0
"""The proof gate (`make prove`, ci/prove/, docs/safety/proof.md) inside
`make test`: Frama-C's EVA over every hypervisor path of each system of
ci/prove/prove.mk's PROVE_CONFIGS.

gate/<system>: that system's EVA run has no alarm without a record in
docs/safety/proof-alarms.md, no stale record, no unproved harness assertion,
and reaches at least the recorded number of statements. The systems are run
two at a time (`make prove-only` with both, one Frama-C per core): the first
test of a pair runs both, each test fails with its own system's problem lines.

planted_off_by_one: a scratch copy of the tree with one known run-time error
planted - the boot hart's loop over the harts one past the last
(main.c: i <= BH_NUM_HARTS), which reads the per-hart stack-slot table out of
bounds - must fail the gate, with the alarm named (file, function, the index
bound). A gate that let
it through would prove nothing.

canned/*: the gate's judgement on a canned Frama-C run (a stand-in that
writes a fixed report): a recorded alarm passes; an unrecorded alarm, a
stale record and fewer statements than the recorded minimum each fail.

stand_in/*: the tables `make prove` analyzes give the Linux and RT-Thread
images a stand-in of the largest size the system accepts (ci/prove/tables.py):
for linux-baremetal they differ from the build's tables only in the Linux
image's size, that size is at least the real image's, and one page more is
rejected by the config compiler; with RTTHREAD_IMAGE the RT-Thread image is
analyzed as it is.

wp/contracts: WP proves every contract of ci/prove/prove.py's WP_TARGETS and
EVA every assertion of its EVA_PROOFS harnesses (docs/safety/proof.md,
"Proved contracts"): the vPLIC's context decoder, priority and enable writes
(ISO-DEV-2), the virtual hart map and the guest hart masks (SBI-HART-1), the
guest-range translation (ISO-MEM-3), the HSM state change (SBI-HSM-2), the
console input's routing to the cell in focus (CON-5).
wp/planted_*: a bug planted in one proved function of a scratch copy must
break its proof, on the behavior or assertion the removed check guards
(PROVE_WP_ONLY runs that function's proof only).
"""

import os
import re
import shutil
import subprocess

PROVE_MK = "ci/prove/prove.mk"
TIMEOUT = 900  # seconds per make run; a pair of systems takes 1 to 3 minutes on a loaded 2-core machine
PROVE_JOBS = 2  # systems run side by side by one gate test (its sibling's test takes the verdict)
PLANTED_CONFIG = "baremetal-pair"
PLANTED_FILE = "src/core/main.c"
PLANTED_FROM = "    for (uint32_t i = 0; i < BH_NUM_HARTS; i++) {\n        bh_hart_init(i, stack_top(i));\n"
PLANTED_TO = "    for (uint32_t i = 0; i <= BH_NUM_HARTS; i++) {\n        bh_hart_init(i, stack_top(i));\n"
# The line prove.py must print for the planted bug: the per-hart stack-slot
# table read one hart too far (an alarm, or a property proved false).
PLANTED_ALARM = re.compile(r"(unrecorded alarm|proved false \([^)]*\)): src/core/main\.c:\d+ in stack_top: "
                           r"index_bound `hartid < \d+`")

# The WP part: bugs planted in the proved functions, each of which must break
# the proof of its own contract. name: (file, line(s) to replace, replacement,
# the function whose proof runs, what the failure must name).
WP_PLANTED = {
    # a foreign context accepted by the vPLIC's context decoder (its bound one hart out)
    "foreign_context": ("src/core/vplic.c", "    if (context_hart >= v->num_harts) {\n",
                        "    if (context_hart > v->num_harts) {\n", "context_vhart",
                        r"src/core/vplic\.c context_vhart: \d+ of \d+ goals proved; not proved: .*foreign_context"),
    # a priority write to a source the cell does not own
    "priority_unowned": ("src/core/vplic.c",
                         "    if ((src < VPLIC_MAX_SOURCES) && (bit_test(v->owned, src) != 0U)) {\n"
                         "        uint8_t prio = clamp_priority(value);\n",
                         "    if (src < VPLIC_MAX_SOURCES) {\n        uint8_t prio = clamp_priority(value);\n",
                         "write_priority",
                         r"src/core/vplic\.c write_priority: \d+ of \d+ goals proved; not proved: .*foreign_source"),
    # an enable write that sets the bits of foreign sources
    "enable_unowned": ("src/core/vplic.c", "        uint32_t enable = value & v->owned[w];\n",
                       "        uint32_t enable = value;\n", "write_enable",
                       r"src/core/vplic\.c write_enable: \d+ of \d+ goals proved; not proved: .*own_s_context"),
    # a guest's virtual hart id one past the cell's harts accepted
    "foreign_vhart": ("src/core/cell.c", "    return (vhart < c->num_harts) ? c->harts[vhart] : BH_NO_CELL;\n",
                      "    return (vhart <= c->num_harts) ? c->harts[vhart] : BH_NO_CELL;\n", "bh_cell_phys_hart",
                      r"src/core/cell\.c bh_cell_phys_hart: \d+ of \d+ goals proved; not proved: .*foreign_hart"),
    # a guest range one byte past the end of its region translated
    "range_past_region": ("src/core/cell.c", "((gpa - r->guest_base) <= (r->size - len))",
                          "((gpa - r->guest_base) <= ((r->size - len) + 1U))", "bh_cell_guest_ptr",
                          r"src/core/cell\.c bh_cell_guest_ptr: \d+ of \d+ goals proved; not proved: "
                          r".*outside_every_region"),
    # a region granting one of the rights asked for taken for one granting all of them
    "rights_beyond_region": ("src/core/cell.c", "((r->access & access) == access)", "((r->access & access) != 0U)",
                             "bh_cell_guest_ptr",
                             r"src/core/cell\.c bh_cell_guest_ptr: \d+ of \d+ goals proved; not proved: "
                             r".*outside_every_region"),
    # a hart mask with a bit naming a hart the cell does not have accepted
    "foreign_hart_mask": ("src/core/hart_set.c", "    if ((mask & ~fits) != 0UL) {\n", "    if (0UL != 0UL) {\n",
                          "bh_hart_set_from_sbi",
                          r"ci/prove/eva/hart_set\.c bh_hart_set_from_sbi: \d+ of \d+ assertions proved; "
                          r"not proved: .*foreign_hart_refused"),
    # an HSM move from whatever state the hart is in, not the one named
    "hsm_unnamed_state": ("src/core/hart.c", "    uint32_t expected = from;\n",
                          "    uint32_t expected = h->shared.hsm_state;\n", "hsm_move",
                          r"src/core/hart\.c hsm_move: \d+ of \d+ goals proved; not proved: .*refused"),
    # typed input delivered to a fixed cell, not the one in focus
    "input_to_fixed_cell": ("src/core/console_in.c", "        d.to = focus_now;\n", "        d.to = 0U;\n",
                            "console_route_byte",
                            r"src/core/console_in\.c console_route_byte: \d+ of \d+ goals proved; not proved: "
                            r".*input_ensures"),
    # a focus command naming a cell past the last one taken as the new focus
    "focus_past_last_cell": ("src/core/console_in.c",
                             "    } else if ((r.action == CON_CMD_FOCUS) && (r.value < BH_NUM_CELLS)) {\n",
                             "    } else if (r.action == CON_CMD_FOCUS) {\n", "console_route_byte",
                             r"src/core/console_in\.c console_route_byte: \d+ of \d+ goals proved; not proved: "
                             r".*console_route_byte_ensures"),
}

VERIFIES = {
    "gate/*": ["EVD-9"],
    "planted_off_by_one": ["EVD-10"],
    "canned/*": ["EVD-9"],
    "canned/dead_precondition_passes": ["EVD-9"],
    "wp/contracts": ["EVD-11", "ISO-DEV-2", "SBI-HART-1", "ISO-MEM-3", "SBI-HSM-2", "CON-5"],
    "wp/planted_*": ["EVD-12"],
    "stand_in/*": ["EVD-13"],
}


def wp_functions(root):
    """The functions ci/prove/prove.py proves (WP_TARGETS and EVA_PROOFS)."""
    with open(os.path.join(root, "ci/prove/prove.py"), encoding="utf-8") as f:
        text = f.read()
    names = re.findall(r'^\s+\("src/[^"]+", "(\w+)"\),$', text, re.M)
    names += re.findall(r'^\s+\("ci/prove/eva/[^"]+", \[[^]]*\], "(\w+)"\),$', text, re.M)
    assert names, "ci/prove/prove.py: no WP_TARGETS or EVA_PROOFS entries found"
    return sorted(set(names))


def prove_configs(root):
    with open(os.path.join(root, PROVE_MK), encoding="utf-8") as f:
        m = re.search(r"^PROVE_CONFIGS \?= ((?:.*\\\n)*.*)$", f.read(), re.M)
    assert m, f"{PROVE_MK}: no 'PROVE_CONFIGS ?=' line"
    return m.group(1).replace("\\\n", " ").split()


def make_prove(root, build, configs, wp=True):
    cmd = ["make", "--no-print-directory", "-C", root, f"BUILD={build}",
           f"PROVE_CONFIGS={' '.join(configs)}", f"PROVE_JOBS={PROVE_JOBS}", f"PROVE_WP={1 if wp else 0}",
           "prove-only"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, errors="replace")


# The gate's verdicts by system, for the systems already run in this session.
_GATE_TEXT = {}


def gate_result(ctx, config, configs):
    """Runs the gate for config and the systems after it in configs, PROVE_JOBS
    at a time (one Frama-C per core, without the WP step: wp/contracts runs
    it), and answers config's result.txt; the others' wait for their tests."""
    if config not in _GATE_TEXT:
        start = configs.index(config)
        batch = configs[start:start + PROVE_JOBS]
        paths = {c: os.path.join(ctx.build, "prove", c, "result.txt") for c in batch}
        for path in paths.values():
            if os.path.exists(path):
                os.remove(path)  # nothing of an earlier run may pass for this one
        p = make_prove(ctx.root, ctx.build, batch, wp=False)
        tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
        for c, path in paths.items():
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    _GATE_TEXT[c] = f.read()
            else:
                _GATE_TEXT[c] = f"make prove-only wrote no {path} (exit {p.returncode}):\n{tail}"
    return _GATE_TEXT.pop(config)


def make_wp(root, build, only=""):
    cmd = ["make", "--no-print-directory", "-C", root, f"BUILD={build}", "CONFIG=baremetal-pair",
           f"PROVE_WP_ONLY={only}", "prove-wp"]
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


def judge(ctx, name, records, minimum=120, extra_csv=""):
    """Runs ci/prove/prove.py on the canned run with the given records; answers (exit, output)."""
    work = os.path.join(ctx.build, "prove-canned", name)
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    fake = os.path.join(work, "frama-c")
    with open(fake, "w", encoding="utf-8") as f:
        f.write("#!/usr/bin/python3\nimport sys\n"
                f"open(sys.argv[-1], 'w').write({CANNED_CSV + extra_csv!r})\nprint({CANNED_LOG!r})\n")
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


def platform_of(root, config):
    with open(os.path.join(root, "configs", f"{config}.dts"), encoding="utf-8") as f:
        return re.search(r'bulkhead,platform = "([^"]+)"', f.read()).group(1)


def image_sizes(cells_c):
    """image name -> the size the tables give its pristine array."""
    with open(cells_c, encoding="utf-8") as f:
        return {m.group(1): int(m.group(2), 16)
                for m in re.finditer(r"extern const uint8_t bh_image_(\w+)\[0x([0-9a-f]+)\];", f.read())}


def tree_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, check=True).stdout
    return [f for f in out.decode().split("\0") if f and os.path.isfile(os.path.join(root, f))]


def collect(ctx):
    configs = prove_configs(ctx.root)
    functions = wp_functions(ctx.root)

    def make_gate_test(config):
        def test():
            text = gate_result(ctx, config, configs)
            first = text.splitlines()[0] if text else ""
            assert re.match(rf"prove {re.escape(config)}: ok:", first), f"the proof gate failed:\n{text}"
        return test

    def t_planted_off_by_one():
        scratch = scratch_copy(ctx, "prove-planted", PLANTED_FILE, PLANTED_FROM, PLANTED_TO)
        p = make_prove(scratch, os.path.join(scratch, "build"), [PLANTED_CONFIG], wp=False)
        out = p.stdout + p.stderr
        assert p.returncode != 0, f"the gate passed with the planted bug in {PLANTED_FILE}:\n{out[-3000:]}"
        assert PLANTED_ALARM.search(out), ("the gate failed, but without naming the planted alarm "
                                           f"({PLANTED_ALARM.pattern}):\n{out[-3000:]}")
        shutil.rmtree(scratch)

    def t_stand_in_largest():
        config = "linux-baremetal"
        bhconfig = os.path.join(ctx.build, "host", "bhconfig")
        system = os.path.join("configs", f"{config}.dts")
        platform = os.path.join("dts", f"{platform_of(ctx.root, config)}.dts")
        kconfig = os.path.join(ctx.build, config, ".config")
        out = os.path.join(ctx.build, "prove-stand-in", config)
        shutil.rmtree(out, ignore_errors=True)
        p = subprocess.run(["/usr/bin/python3", "ci/prove/tables.py", "--bhconfig", bhconfig, "--system", system,
                            "--platform", platform, "--kconfig", kconfig, "--image-dir",
                            os.path.join(ctx.build, "images"), "--stand-in", "linux rtthread", "--out", out],
                           capture_output=True, text=True, cwd=ctx.root, timeout=120)
        assert p.returncode == 0, p.stdout + p.stderr
        proved = image_sizes(os.path.join(out, "gen", "cells.c"))
        built = image_sizes(os.path.join(ctx.build, config, "gen", "cells.c"))
        stand_in = os.path.join(out, "images", "linux.bin")
        size = proved["linux"]
        assert os.path.getsize(stand_in) == size and not os.path.islink(stand_in), (stand_in, size)
        assert size >= built["linux"] == os.path.getsize(os.path.join(ctx.build, "images", "linux.bin")), \
            f"the proof's Linux image ({size:#x} bytes) is smaller than the build's ({built['linux']:#x})"
        assert {k: v for k, v in proved.items() if k != "linux"} == {k: v for k, v in built.items() if k != "linux"}
        with open(os.path.join(out, "gen", "cells.c"), encoding="utf-8") as f:
            proved_lines = set(f.read().splitlines())
        with open(os.path.join(ctx.build, config, "gen", "cells.c"), encoding="utf-8") as f:
            # (the header comment names the paths it was generated from)
            differ = [l for l in f.read().splitlines() if l not in proved_lines and not l.startswith(" * ")]
        assert differ == [f"extern const uint8_t bh_image_linux[{built['linux']:#x}];",
                          f"        .image_size = {built['linux']:#x}ULL,"], differ
        # One page more does not fit: the size is the largest the system accepts.
        with open(stand_in, "r+b") as f:
            f.truncate(size + 4096)
        p = subprocess.run([bhconfig, "--system", system, "--platform", platform, "--kconfig", kconfig,
                            "--image-dir", os.path.join(out, "images"), "--out", os.path.join(out, "bigger")],
                           capture_output=True, text=True, cwd=ctx.root, timeout=60)
        assert p.returncode == 1 and "too small" in p.stdout + p.stderr, p.stdout + p.stderr
        shutil.rmtree(out)

    def t_stand_in_rtthread_image():
        prove_dir = os.path.join(ctx.build, "prove-stand-in")
        image = os.path.join(ctx.build, "images", "rtos-contract.bin")
        p = subprocess.run(["make", "--no-print-directory", "-C", ctx.root, f"BUILD={ctx.build}",
                            f"PROVE_DIR={prove_dir}", "CONFIG=linux-rtthread", f"RTTHREAD_IMAGE={image}",
                            "prove-inputs"], capture_output=True, text=True, timeout=TIMEOUT)
        assert p.returncode == 0, p.stdout + p.stderr
        tables = os.path.join(prove_dir, "linux-rtthread", "tables")
        with open(os.path.join(tables, "images.txt"), encoding="utf-8") as f:
            note = f.read()
        assert note.startswith("stand-in linux of "), note
        sizes = image_sizes(os.path.join(tables, "gen", "cells.c"))
        assert sizes["rtthread"] == os.path.getsize(image) and sizes["linux"] > 0x1000000, sizes
        shutil.rmtree(prove_dir)

    def t_canned_recorded_passes():
        rc, out = judge(ctx, "recorded", CANNED_RECORD)
        assert rc == 0 and "prove canned: ok: 1 alarms, 1 recorded" in out, out

    def t_canned_unrecorded_fails():
        rc, out = judge(ctx, "unrecorded", "")
        assert rc != 0 and "unrecorded alarm: src/core/vplic.c:54 in best_source: index_bound `vhart < 8`" in out, out

    def t_canned_stale_record_fails():
        rc, out = judge(ctx, "stale", CANNED_RECORD + CANNED_STALE)
        assert rc != 0 and "stale record PA-02" in out, out

    def t_canned_dead_precondition_passes():
        # A callee's precondition at a call site EVA shows unreachable ("Dead")
        # is no alarm; the same precondition left Unknown is one.
        dead = "src/core\tirq_direct.c\t41\tcomplete\tprecondition of bh_cell_phys_hart\tDead\tcell < 2\n"
        rc, out = judge(ctx, "dead", CANNED_RECORD, extra_csv=dead)
        assert rc == 0 and "prove canned: ok: 1 alarms, 1 recorded" in out, out
        rc, out = judge(ctx, "dead-unknown", CANNED_RECORD, extra_csv=dead.replace("\tDead\t", "\tUnknown\t"))
        assert rc != 0 and "unrecorded alarm: src/core/irq_direct.c:41 in complete: precondition of " \
            "bh_cell_phys_hart `cell < 2`" in out, out

    def t_canned_fewer_statements_fails():
        rc, out = judge(ctx, "fewer", CANNED_RECORD, minimum=121)
        assert rc != 0 and "120 statements reached, fewer than the recorded 121" in out, out

    def t_wp_contracts():
        p = make_wp(ctx.root, ctx.build)
        out = p.stdout + p.stderr
        assert p.returncode == 0 and re.search(r"prove wp: ok: .*context_vhart (\d+)/\1[, ]", out), \
            f"WP did not prove every contract:\n{out[-3000:]}"
        for function in functions:
            assert re.search(rf"\b{function} (\d+)/\1\b", out), f"no proof of {function} in:\n{out[-3000:]}"

    def make_wp_planted(name):
        path, old, new, function, expected = WP_PLANTED[name]

        def test():
            scratch = scratch_copy(ctx, f"prove-planted-wp-{name}", path, old, new)
            p = make_wp(scratch, os.path.join(scratch, "build"), function)
            out = p.stdout + p.stderr
            assert p.returncode != 0, f"{function}: proved with the bug planted in {path}:\n{out[-3000:]}"
            assert re.search(expected, out), ("the proof failed, but not on what the planted bug breaks "
                                              f"({expected}):\n{out[-3000:]}")
            shutil.rmtree(scratch)
        return test

    return [(f"gate/{c}", make_gate_test(c)) for c in configs] + [
        ("planted_off_by_one", t_planted_off_by_one),
        ("stand_in/largest", t_stand_in_largest),
        ("stand_in/rtthread_image", t_stand_in_rtthread_image),
        ("canned/recorded_passes", t_canned_recorded_passes),
        ("canned/unrecorded_fails", t_canned_unrecorded_fails),
        ("canned/stale_record_fails", t_canned_stale_record_fails),
        ("canned/fewer_statements_fails", t_canned_fewer_statements_fails),
        ("canned/dead_precondition_passes", t_canned_dead_precondition_passes),
        ("wp/contracts", t_wp_contracts),
    ] + [(f"wp/planted_{name}", make_wp_planted(name)) for name in WP_PLANTED]
