# SPDX-License-Identifier: Apache-2.0
"""Config compiler cases: run build/host/bhconfig on every file of tests/configs.

tests/configs/bad/<case>.dts   one mistake each; <case>.expect is the exact stderr
                               ($ROOT stands for the repository path), exit 1, and
                               nothing may appear in --out.
tests/configs/good/<case>.dts  must compile (exit 0); its stderr must be exactly
                               <case>.warnings ($ROOT as above), or empty without
                               that file: warnings are asserted, never ignored.
                               <case>.check lists facts about
                               the outputs (guest DTBs via fdtget, system.json,
                               generated text), one per line:
    dtb <cell> <node> <property> = <fdtget output>
    dtbx <cell> <node> <property> = <fdtget -tx output: hex cells without 0x>
    nodes <cell> <node> = <child> <child> ...      (fdtget -l, in order)
    noprop <cell> <node> <property>                (property absent)
    json <dotted.path> = <JSON value>              (in system.json)
    text <file under --out> = <substring>
A case may bring <case>.config; otherwise tests/configs/test.config is used.
The platform is dts/<name>.dts for the case's `bulkhead,platform` (as the Makefile picks it).
Images come from tests/configs/images (4 KiB and 8 KiB).
The generated C is also compiled against src/include (the cell_config.h contract).
"""

import glob
import json
import os
import re
import subprocess
import tempfile

CONFIGS = os.path.join("tests", "configs")
PLATFORM = os.path.join("dts", "qemu-virt.dts")
PLATFORM_PROP = re.compile(r'^\s*bulkhead,platform = "([^"]*)";', re.M)


def platform_of(root, dts):
    """dts/<bulkhead,platform>.dts, or qemu-virt's for a case that names none (or cannot be read)."""
    try:
        with open(os.path.join(root, dts), encoding="utf-8", errors="replace") as f:
            m = PLATFORM_PROP.search(f.read())
    except OSError:
        return PLATFORM
    path = os.path.join("dts", m.group(1) + ".dts") if m else PLATFORM
    return path if os.path.exists(os.path.join(root, path)) else PLATFORM
IMAGES = os.path.join(CONFIGS, "images")


class Case:
    def __init__(self, ctx, dts):
        self.ctx = ctx
        self.root = os.path.abspath(ctx.root)
        self.dts = os.path.relpath(dts, self.root)
        self.name = os.path.splitext(os.path.basename(dts))[0]
        config = os.path.splitext(dts)[0] + ".config"
        self.kconfig = os.path.relpath(config if os.path.exists(config)
                                       else os.path.join(self.root, CONFIGS, "test.config"), self.root)
        warnings = os.path.splitext(dts)[0] + ".warnings"
        self.warnings = ""  # the exact stderr of an accepted run
        if os.path.exists(warnings):
            with open(warnings) as f:
                self.warnings = f.read()


def bhconfig_path(ctx):
    build = ctx.build if os.path.isabs(ctx.build) else os.path.join(ctx.root, ctx.build)
    return os.path.join(build, "host", "bhconfig")


def run_bhconfig(ctx, args):
    exe = bhconfig_path(ctx)
    if not os.access(exe, os.X_OK):
        raise AssertionError(f"{exe} is missing: run 'make bhconfig' first")
    return subprocess.run([exe] + args, cwd=ctx.root, capture_output=True, text=True, timeout=60)


def compile_args(case, out, image_dir=IMAGES, system=None):
    return ["--system", system or case.dts, "--platform", platform_of(case.root, system or case.dts),
            "--kconfig", case.kconfig,
            "--image-dir", image_dir, "--out", out]


def files_under(path):
    found = []
    for base, dirs, files in os.walk(path):
        found += [os.path.relpath(os.path.join(base, f), path) for f in files]
        found += [os.path.relpath(os.path.join(base, d), path) + "/" for d in dirs]
    return sorted(found)


def bad_case(case):
    def test():
        with open(os.path.splitext(os.path.join(case.root, case.dts))[0] + ".expect") as f:
            expected = f.read()
        with tempfile.TemporaryDirectory(prefix="bhconfig-bad-") as out:
            r = run_bhconfig(case.ctx, compile_args(case, out))
            got = r.stderr.replace(case.root, "$ROOT")
            assert r.returncode == 1, (f"{case.dts}: exit status {r.returncode}, expected 1; "
                                       f"stderr:\n{got}")
            if got != expected:
                raise AssertionError(f"{case.dts}: stderr differs from {case.name}.expect\n"
                                     f"--- expected\n{expected}--- got\n{got}---")
            left = files_under(out)
            assert not left, f"{case.dts}: failed run left files in --out: {left}"
            assert r.stdout == "", f"{case.dts}: unexpected stdout: {r.stdout!r}"
    return test


def check_line(out, line, where):
    kind, rest = line.split(None, 1)
    if kind == "json":
        path, want = [s.strip() for s in rest.split("=", 1)]
        with open(os.path.join(out, "system.json")) as f:
            value = json.load(f)
        for key in path.split("."):
            value = value[int(key)] if isinstance(value, list) else value[key]
        assert value == json.loads(want), f"{where}: system.json {path} is {value!r}, expected {want}"
        return
    if kind == "text":
        name, want = [s.strip() for s in rest.split("=", 1)]
        with open(os.path.join(out, name)) as f:
            text = f.read()
        assert want in text, f"{where}: {name} does not contain {want!r}"
        return
    head, _, want = rest.partition("=")
    parts = head.split()
    dtb = os.path.join(out, "cells", parts[0] + ".dtb")
    assert os.path.isfile(dtb), f"{where}: {dtb} missing"
    if kind == "nodes":
        r = subprocess.run(["fdtget", "-l", dtb, parts[1]], capture_output=True, text=True)
        got = r.stdout.split()
        assert r.returncode == 0 and got == want.split(), \
            f"{where}: children of {parts[1]} are {got} ({r.stderr.strip()}), expected {want.split()}"
    elif kind in ("dtb", "dtbx"):
        fmt = ["-t", "x"] if kind == "dtbx" else []
        r = subprocess.run(["fdtget"] + fmt + [dtb, parts[1], parts[2]], capture_output=True, text=True)
        got = r.stdout.strip()
        assert r.returncode == 0 and got == want.strip(), \
            f"{where}: {parts[1]} {parts[2]} is {got!r} ({r.stderr.strip()}), expected {want.strip()!r}"
    elif kind == "noprop":
        r = subprocess.run(["fdtget", dtb, parts[1], parts[2]], capture_output=True, text=True)
        assert r.returncode != 0, f"{where}: {parts[1]} {parts[2]} exists: {r.stdout.strip()!r}"
    else:
        raise AssertionError(f"{where}: unknown check '{kind}'")


def compile_generated(ctx, out, where):
    """The generated sources build against the hypervisor's headers."""
    include = os.path.join(os.path.abspath(ctx.root), "src", "include")
    gen = os.path.join(out, "gen")
    for src in ("cells.c", "gstage.c"):
        r = subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only",
                            "-I", gen, "-I", include, os.path.join(gen, src)],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"{where}: gen/{src} does not compile:\n{r.stderr}"
    obj = os.path.join(out, "images.o")
    r = subprocess.run(["gcc", "-c", "-o", obj, os.path.join(gen, "images.S")],
                       capture_output=True, text=True)
    assert r.returncode == 0, f"{where}: gen/images.S does not assemble:\n{r.stderr}"
    os.unlink(obj)
    # The linker script's view (the Makefile runs `gcc -E -P -x c` on it): plain numbers ld can parse.
    r = subprocess.run(["gcc", "-E", "-P", "-x", "c", "-I", gen, "-"],
                       input='#include "config.h"\n. = BH_HYP_BASE + BH_GSTAGE_PAGES * 4096;\n',
                       capture_output=True, text=True)
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    assert r.returncode == 0 and re.fullmatch(r"\. = 0x[0-9a-f]+ \+ [0-9]+ \* 4096;", last), \
        f"{where}: config.h in a linker script gives {last!r} {r.stderr}"


def expected_outputs(out):
    with open(os.path.join(out, "system.json")) as f:
        cells = [c["name"] for c in json.load(f)["cells"]]
    return sorted(["gen/config.h", "gen/cells.c", "gen/gstage.c", "gen/images.S", "memory-map.txt",
                   "system.json", "firmware.dtb", "gen/", "cells/"] + [f"cells/{c}.dtb" for c in cells])


def check_outputs(ctx, r, out, where, warnings=""):
    """An accepted run: exit 0, stderr exactly `warnings`, every output, generated C that builds."""
    assert r.returncode == 0, f"{where}: exit status {r.returncode}; stderr:\n{r.stderr}"
    got = r.stderr.replace(os.path.abspath(ctx.root), "$ROOT")
    assert got == warnings, f"{where}: stderr differs from the expected warnings\n--- expected\n{warnings}" \
                            f"--- got\n{got}---"
    assert files_under(out) == expected_outputs(out), \
        f"{where}: --out holds {files_under(out)}, expected {expected_outputs(out)}"
    compile_generated(ctx, out, where)


def good_case(case):
    def test():
        check = os.path.splitext(os.path.join(case.root, case.dts))[0] + ".check"
        with tempfile.TemporaryDirectory(prefix="bhconfig-good-") as out:
            r = run_bhconfig(case.ctx, compile_args(case, out))
            check_outputs(case.ctx, r, out, case.dts, case.warnings)
            with open(check) as f:
                for number, line in enumerate(f, 1):
                    line = line.strip()
                    if line and not line.startswith("#"):
                        check_line(out, line, f"{case.name}.check:{number}")
    return test


def rerun_refreshes_outputs(ctx, case):
    """Every output is rewritten: objects from gen/images.S depend on .incbin'd
    files make cannot see, so they must get a fresh timestamp."""
    def test():
        with tempfile.TemporaryDirectory(prefix="bhconfig-rerun-") as out:
            r = run_bhconfig(ctx, compile_args(case, out))
            check_outputs(ctx, r, out, case.dts, case.warnings)
            for f in files_under(out):
                if not f.endswith("/"):
                    os.utime(os.path.join(out, f), (1000, 1000))
            r = run_bhconfig(ctx, compile_args(case, out))
            check_outputs(ctx, r, out, case.dts, case.warnings)
            stale = [f for f in files_under(out)
                     if not f.endswith("/") and os.stat(os.path.join(out, f)).st_mtime == 1000]
            assert not stale, f"a second run left {stale} with their old timestamps"
            assert files_under(out) == expected_outputs(out), files_under(out)
    return test


def failed_run_keeps_old_outputs(ctx, good, bad):
    def test():
        with tempfile.TemporaryDirectory(prefix="bhconfig-keep-") as out:
            r = run_bhconfig(ctx, compile_args(good, out))
            check_outputs(ctx, r, out, good.dts, good.warnings)
            before = {f: open(os.path.join(out, f), "rb").read() for f in files_under(out) if not f.endswith("/")}
            r = run_bhconfig(ctx, compile_args(bad, out))
            assert r.returncode == 1, f"{bad.dts} should fail: {r.stderr}"
            after = {f: open(os.path.join(out, f), "rb").read() for f in files_under(out) if not f.endswith("/")}
            assert before == after, "a failed run changed the previous outputs"
    return test


def hart_limit_asserted(ctx, case):
    """cell_config.h refuses to build with hart ids >= BH_HART_ID_LIMIT (1024), whatever
    produced gen/config.h: the hypervisor's per-hart tables are indexed by hart id."""
    def test():
        include = os.path.join(os.path.abspath(ctx.root), "src", "include")
        with tempfile.TemporaryDirectory(prefix="bhconfig-harts-") as out:
            r = run_bhconfig(ctx, compile_args(case, out))
            check_outputs(ctx, r, out, case.dts, case.warnings)
            config_h = os.path.join(out, "gen", "config.h")
            with open(config_h) as f:
                text = f.read()
            assert re.search(r"^#define BH_NUM_HARTS +4$", text, re.M), "BH_NUM_HARTS is not 4"
            for harts, builds in ((64, True), (65, True), (1024, True), (1025, False)):
                with open(config_h, "w") as f:
                    f.write(re.sub(r"^(#define BH_NUM_HARTS +)4$", rf"\g<1>{harts}", text, flags=re.M))
                r = subprocess.run(["gcc", "-std=c11", "-fsyntax-only", "-I", os.path.join(out, "gen"),
                                    "-I", include, "-x", "c", "-"],
                                   input='#include "bulkhead/cell_config.h"\n', capture_output=True, text=True)
                if builds:
                    assert r.returncode == 0, f"BH_NUM_HARTS {harts} does not build:\n{r.stderr}"
                else:
                    assert r.returncode != 0 and "hart ids must be below BH_HART_ID_LIMIT" in r.stderr, \
                        f"BH_NUM_HARTS {harts} was not refused by the static assertion:\n{r.stderr}"
    return test


def list_images(ctx, case, expected):
    def test():
        r = run_bhconfig(ctx, ["--system", case.dts, "--list-images"])
        assert r.returncode == 0, r.stderr
        assert r.stdout.split() == expected, f"--list-images printed {r.stdout.split()}, expected {expected}"
    return test


def baremetal_pair(ctx):
    """The project's real config, with 4 KiB dummy images."""
    def test():
        case = Case(ctx, os.path.join(ctx.root, "configs", "baremetal-pair.dts"))
        case.kconfig = os.path.join(CONFIGS, "test.config")
        with tempfile.TemporaryDirectory(prefix="bhconfig-pair-") as tmp:
            images = os.path.join(tmp, "images")
            out = os.path.join(tmp, "out")
            os.mkdir(images)
            r = run_bhconfig(ctx, ["--system", case.dts, "--list-images"])
            assert r.returncode == 0, r.stderr
            for name in r.stdout.split():
                with open(os.path.join(images, name + ".bin"), "wb") as f:
                    f.write(b"\x6f\x00\x00\x00" + bytes(4092))
            r = run_bhconfig(ctx, compile_args(case, out, image_dir=images))
            check_outputs(ctx, r, out, case.dts)
            with open(os.path.join(out, "system.json")) as f:
                data = json.load(f)
            assert [c["name"] for c in data["cells"]] == ["rtos", "probe"], data["cells"]
            assert [c["harts"] for c in data["cells"]] == [[0], [1, 2]]
    return test


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "bad/*": ["CFG-8"],
    "bad/bad-*": ["CFG-1"],
    "bad/duplicate-property": ["CFG-1"],
    "bad/missing-properties": ["CFG-1"],
    "bad/platform-mismatch": ["CFG-1"],
    "bad/syntax-error": ["CFG-1"],
    "bad/unknown-property": ["CFG-1"],
    "bad/too-many-cells": ["CFG-2"],
    "bad/hart-*": ["CFG-3"],
    "bad/too-many-harts": ["CFG-3"],
    "cell-config-asserts-hart-limit": ["CFG-3"],
    "bad/device-*": ["CFG-4"],
    "bad/too-many-devices": ["CFG-4"],
    "bad/dma-*": ["ISO-DMA-1"],
    "good/dma-unconfined": ["ISO-DMA-1"],
    "bad/ram-*": ["CFG-5"],
    "bad/region-*": ["CFG-5"],
    "bad/guest-overlap*": ["CFG-5"],
    "bad/too-many-regions": ["CFG-5"],
    "bad/image-*": ["CFG-6"],
    "bad/entry-*": ["CFG-6"],
    "bad/dtb-*": ["CFG-6"],
    "bad/hypervisor-*": ["CFG-7"],
    "bad/many-errors": ["CFG-8"],
    "bad/no-console-hart": ["CFG-9"],
    "failed-run-keeps-old-outputs": ["CFG-8"],
    "good/*": ["CFG-9"],
    "rerun-refreshes-outputs": ["CFG-9"],
    "list-images": ["CFG-9"],
    "baremetal-pair": ["CFG-9"],
    "bad/channel-*": ["CFG-13"],
    "bad/doorbell-*": ["CFG-13"],
    "good/channels": ["CFG-13", "ISO-SHM-1"],
    "bad/pci-*": ["CFG-15"],
    "good/pci-functions": ["CFG-15", "ISO-DMA-2"],
    "bad/aia-*": ["CFG-14"],
    "good/aia-*": ["CFG-14"],
    "good/aia-mixed": ["CFG-14", "IRQ-AIA-2"],
    "bad/aia-imsic-overlap": ["CFG-14", "IRQ-AIA-2"],
}


def collect(ctx):
    root = os.path.abspath(ctx.root)
    bad = sorted(glob.glob(os.path.join(root, CONFIGS, "bad", "*.dts")))
    good = sorted(glob.glob(os.path.join(root, CONFIGS, "good", "*.dts")))
    tests = [(f"bad/{Case(ctx, d).name}", bad_case(Case(ctx, d))) for d in bad]
    tests += [(f"good/{Case(ctx, d).name}", good_case(Case(ctx, d))) for d in good]
    two = Case(ctx, os.path.join(root, CONFIGS, "good", "two-cells.dts"))
    tests += [
        ("rerun-refreshes-outputs", rerun_refreshes_outputs(ctx, two)),
        ("failed-run-keeps-old-outputs",
         failed_run_keeps_old_outputs(ctx, two, Case(ctx, os.path.join(root, CONFIGS, "bad", "many-errors.dts")))),
        ("list-images", list_images(ctx, two, ["img4k", "img8k"])),
        ("cell-config-asserts-hart-limit", hart_limit_asserted(ctx, two)),
        ("baremetal-pair", baremetal_pair(ctx)),
    ]
    return tests
