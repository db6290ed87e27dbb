# SPDX-License-Identifier: Apache-2.0
"""Build options: every limit is checked where it is set, never dropped.

  - tools/kconfig.py (the step that turns configs/<name>.defconfig into
    build/<name>/.config) refuses a value outside a Kconfig range, an unknown
    symbol and a malformed value, naming the file, the option, the value and
    the range: kconfiglib alone would fall back on the default without a word;
  - a defconfig changed after a first build reaches the .config (its values
    win; what menuconfig set elsewhere stays);
  - bhconfig's own range of each limit is Kconfig's (the two must never
    disagree, or a value Kconfig accepts is refused later, or the reverse).
"""

import os
import re
import subprocess
import tempfile
import time


PYTHON = "/usr/bin/python3"
PLATFORM = os.path.join("dts", "qemu-virt.dts")
IMAGES = os.path.join("tests", "configs", "images")
LIMITS = ("MAX_CELL_HARTS", "MAX_CELLS", "MAX_CELL_REGIONS", "MAX_CELL_DEVICES", "MAX_CELL_IRQS")


VERIFIES = {
    "bhconfig_ranges_are_kconfigs": ["CFG-11"],
    "defconfig_*": ["CFG-11", "CFG-8"],
    "hart_stacks_checked_against_code_region": ["CFG-12", "CFG-8"],
    "firmware_hart_limit_checked": ["CFG-12", "CFG-8"],
}

def olddefconfig(ctx, defconfig, dotconfig):
    return subprocess.run([PYTHON, "tools/kconfig.py", "olddefconfig", "Kconfig", defconfig, dotconfig],
                          cwd=ctx.root, capture_output=True, text=True, timeout=60)


def kconfig_range(ctx, name):
    """(lo, hi) of an int symbol, as kconfiglib reads the top-level Kconfig."""
    out = subprocess.run(
        [PYTHON, "-c", "import sys, kconfiglib\n"
         "k = kconfiglib.Kconfig('Kconfig', warn=False)\n"
         "lo, hi, _ = k.syms[sys.argv[1]].ranges[0]\n"
         "print(lo.str_value, hi.str_value)", name],
        cwd=ctx.root, capture_output=True, text=True, timeout=60, check=True).stdout.split()
    return int(out[0], 0), int(out[1], 0)


def config_value(path, name):
    with open(path, encoding="utf-8") as f:
        m = re.search(rf"^CONFIG_{name}=(.*)$", f.read(), re.M)
    return m.group(1) if m else None


def write(path, text, mtime=None):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def refused(ctx, text, *needles):
    def test():
        with tempfile.TemporaryDirectory(prefix="bh-kconfig-") as d:
            defconfig, dotconfig = os.path.join(d, "x.defconfig"), os.path.join(d, ".config")
            write(defconfig, text)
            r = olddefconfig(ctx, defconfig, dotconfig)
            assert r.returncode == 1, f"exit {r.returncode} for {text!r}; stderr: {r.stderr}"
            assert not os.path.exists(dotconfig), "a .config was written despite the error"
            for n in needles:
                assert n.replace("$F", defconfig) in r.stderr, f"stderr lacks {n!r}: {r.stderr}"
            assert "Traceback" not in r.stderr, r.stderr
    return test


def collect(ctx):
    def t_ranges_agree():
        build = ctx.build if os.path.isabs(ctx.build) else os.path.join(ctx.root, ctx.build)
        exe = os.path.join(build, "host", "bhconfig")
        assert os.access(exe, os.X_OK), f"{exe} is missing: run 'make bhconfig' first"
        with open(os.path.join(ctx.root, "tests", "configs", "test.config"), encoding="utf-8") as f:
            base = f.read()
        for name in LIMITS:
            lo, hi = kconfig_range(ctx, name)
            for bad in (lo - 1, hi + 1):
                with tempfile.TemporaryDirectory(prefix="bh-limits-") as d:
                    cfg = os.path.join(d, ".config")
                    write(cfg, re.sub(rf"^CONFIG_{name}=.*$", f"CONFIG_{name}={bad}", base, flags=re.M))
                    r = subprocess.run([exe, "--system", "tests/configs/good/two-cells.dts",
                                        "--platform", PLATFORM, "--kconfig", cfg,
                                        "--image-dir", IMAGES, "--out",
                                        os.path.join(d, "out")],
                                       cwd=ctx.root, capture_output=True, text=True, timeout=60)
                    want = f'CONFIG: {name}: "{bad}" is not a number in {lo}..{hi}'
                    assert r.returncode == 1 and want in r.stderr, (
                        f"Kconfig's range of {name} is {lo}..{hi}; bhconfig given {bad} said "
                        f"(exit {r.returncode}): {r.stderr.strip() or '(nothing)'}")

    def bhconfig_run(d, config_text, system="tests/configs/good/two-cells.dts",
                     platform=PLATFORM, images=IMAGES):
        build = ctx.build if os.path.isabs(ctx.build) else os.path.join(ctx.root, ctx.build)
        cfg = os.path.join(d, ".config")
        write(cfg, config_text)
        return subprocess.run([os.path.join(build, "host", "bhconfig"), "--system", system,
                               "--platform", platform, "--kconfig", cfg, "--image-dir", images,
                               "--out", os.path.join(d, "out")],
                              cwd=ctx.root, capture_output=True, text=True, timeout=60)

    def t_hart_stacks():
        """64 one-hart cells: the code region grows with the stacks (one per hart that runs
        something, 2 MiB steps); a hypervisor region too small for it is refused before
        anything is built, with the figures."""
        with open(os.path.join(ctx.root, "tests", "configs", "test.config"), encoding="utf-8") as f:
            base = re.sub(r"^CONFIG_MAX_CELLS=.*$", "CONFIG_MAX_CELLS=64", f.read(), flags=re.M)
        rtos = os.path.join(ctx.build if os.path.isabs(ctx.build) else os.path.join(ctx.root, ctx.build),
                            "images")
        assert os.path.isfile(os.path.join(rtos, "rtos-contract.bin")), \
            f"{rtos}/rtos-contract.bin missing: build a system with the rtos-contract cell first"
        # 0x80000 code and data + 64 x 0x400 hart data + 64 x (stack + 4 KiB guard), rounded up to 2 MiB
        for size, code in (("0x4000", 0x200000), ("0x5000", 0x400000), ("0x40000", 0x1200000)):
            with tempfile.TemporaryDirectory(prefix="bh-stacks-") as d:
                text = re.sub(r"^CONFIG_HART_STACK_SIZE=.*$", f"CONFIG_HART_STACK_SIZE={size}", base,
                              flags=re.M)
                r = bhconfig_run(d, text, "configs/rtos64.dts", "dts/qemu-virt-64.dts", rtos)
                assert r.returncode == 0, f"stacks {size} refused: {r.stderr}"
                with open(os.path.join(d, "out", "gen", "config.h"), encoding="utf-8") as f:
                    config_h = f.read()
                m = re.search(r"^#define BH_HYP_CODE_SIZE +(0x[0-9a-f]+)", config_h, re.M)
                assert m and int(m.group(1), 16) == code, \
                    f"stacks {size}: code region {m.group(1) if m else '(none)'}, expected {code:#x}"
                assert re.search(r"^#define BH_NUM_STACK_SLOTS +64$", config_h, re.M), \
                    "64 harts run cells, none idle: 64 stack slots and no boot slot"
        with tempfile.TemporaryDirectory(prefix="bh-stacks-") as d:
            with open(os.path.join(ctx.root, "configs", "rtos64.dts"), encoding="utf-8") as f:
                small = f.read().replace("reg = <0x0 0x80200000 0x0 0x03e00000>;",
                                         "reg = <0x0 0x80200000 0x0 0x00400000>;")
            system = os.path.join(d, "rtos64-small.dts")
            write(system, small)
            text = re.sub(r"^CONFIG_HART_STACK_SIZE=.*$", "CONFIG_HART_STACK_SIZE=0x40000", base, flags=re.M)
            r = bhconfig_run(d, text, system, "dts/qemu-virt-64.dts", rtos)
            want = (f"{system}: hypervisor: reg: size 0x400000 is too small: needs 0x")
            detail = ("(code region 0x1200000 = code and data 0x80000 + 64 hart ids of qemu-virt-64 x 0x400 + "
                      "64 stacks x 0x41000 (CONFIG_HART_STACK_SIZE + 4 KiB guard); G-stage tables 0x")
            assert r.returncode == 1 and want in r.stderr and detail in r.stderr, r.stderr
        with tempfile.TemporaryDirectory(prefix="bh-stacks-") as d:
            r = bhconfig_run(d, base.replace("CONFIG_HART_STACK_SIZE=0x4000", "CONFIG_HART_STACK_SIZE=0x1800"))
            assert r.returncode == 1 and \
                'CONFIG: HART_STACK_SIZE: "0x1800" is not a multiple of 4 KiB in 0x1000..0x40000' in r.stderr, \
                r.stderr

    def t_defconfig_change_reaches_config():
        with tempfile.TemporaryDirectory(prefix="bh-kconfig-") as d:
            defconfig, dotconfig = os.path.join(d, "x.defconfig"), os.path.join(d, ".config")
            now = time.time()
            write(defconfig, "CONFIG_MAX_CELLS=4\n", now - 100)
            r = olddefconfig(ctx, defconfig, dotconfig)
            assert r.returncode == 0, r.stderr
            os.utime(dotconfig, (now - 90, now - 90))
            assert config_value(dotconfig, "MAX_CELLS") == "4"
            # menuconfig's edit of another option, then the defconfig raises a limit
            with open(dotconfig, encoding="utf-8") as f:
                text = f.read()
            write(dotconfig, re.sub(r"^CONFIG_MAX_CELL_IRQS=.*$", "CONFIG_MAX_CELL_IRQS=40", text,
                                    flags=re.M), now - 90)
            write(defconfig, "CONFIG_MAX_CELLS=32\n", now - 80)
            r = olddefconfig(ctx, defconfig, dotconfig)
            assert r.returncode == 0, r.stderr
            assert config_value(dotconfig, "MAX_CELLS") == "32", \
                "the raised CONFIG_MAX_CELLS of the defconfig did not reach the .config"
            assert config_value(dotconfig, "MAX_CELL_IRQS") == "40", "menuconfig's edit was lost"
            assert f"updated from {defconfig}" in r.stdout, r.stdout
            # An unchanged defconfig leaves the .config alone.
            write(dotconfig, open(dotconfig, encoding="utf-8").read().replace(
                "CONFIG_MAX_CELLS=32", "CONFIG_MAX_CELLS=8"))
            r = olddefconfig(ctx, defconfig, dotconfig)
            assert r.returncode == 0 and config_value(dotconfig, "MAX_CELLS") == "8", r.stderr

    def t_firmware_harts():
        """The 128-hart platform's firmware starts at most 107 harts (bulkhead,max-harts on its
        reserved-memory node): a system that needs 108 is refused before the build, naming the
        count, the limit, the platform file and the first hart past it; 107 are accepted; a
        malformed limit in a platform is refused."""
        with open(os.path.join(ctx.root, "tests", "configs", "test.config"), encoding="utf-8") as f:
            base = re.sub(r"^CONFIG_MAX_CELL_HARTS=.*$", "CONFIG_MAX_CELL_HARTS=64", f.read(), flags=re.M)
        rtos = os.path.join(ctx.build if os.path.isabs(ctx.build) else os.path.join(ctx.root, ctx.build),
                            "images")
        platform = os.path.join("dts", "qemu-virt-128.dts")

        def system(second_harts):
            cells = ""
            for i, harts in enumerate((range(0, 54), range(54, 54 + second_harts))):
                cells += f"""
                c{i} {{
                    harts = <{" ".join(str(h) for h in harts)}>;
                    image = "rtos-contract";
                    image-address = <0x0 0x80200000>;
                    entry = <0x0 0x80200000>;
                    console = "ns16550";
                    memory@80000000 {{
                        guest-address = <0x0 0x80000000>;
                        host-address = <0x0 {0x88000000 + i * 0x8000000:#x}>;
                        size = <0x0 0x08000000>;
                        access = "rwx";
                    }};
                }};"""
            return ('/dts-v1/;\n/ {\n compatible = "bulkhead,system";\n model = "fw-harts";\n'
                    ' bulkhead,platform = "qemu-virt-128";\n hypervisor { reg = <0x0 0x80200000 0x0 0x03e00000>; };\n'
                    f" cells {{{cells}\n }};\n}};\n")

        for second, ok in ((52, True), (53, False)):
            with tempfile.TemporaryDirectory(prefix="bh-fw-harts-") as d:
                path = os.path.join(d, "fw-harts.dts")
                write(path, system(second))
                r = bhconfig_run(d, base, path, platform, rtos)
                if ok:
                    assert r.returncode == 0, f"106 cell harts and the console hart refused: {r.stderr}"
                else:
                    want = (f"{path}: /cells: harts: the system needs 108 harts started by the firmware (its "
                            "cells' harts, the console hart and the boot hart); the firmware of platform "
                            "qemu-virt-128 starts at most 107 (dts/qemu-virt-128.dts: "
                            "/reserved-memory/firmware@80000000 bulkhead,max-harts), so hart 0x6b")
                    assert r.returncode == 1 and want in r.stderr, r.stderr
        with tempfile.TemporaryDirectory(prefix="bh-fw-harts-") as d:
            with open(os.path.join(ctx.root, platform), encoding="utf-8") as f:
                text = f.read()
            assert text.count("bulkhead,max-harts = <0x6b>;") == 1, f"{platform} states no firmware hart limit"
            bad = os.path.join(d, "qemu-virt-128.dts")
            write(bad, text.replace("bulkhead,max-harts = <0x6b>;", "bulkhead,max-harts = <0x0>;"))
            path = os.path.join(d, "fw-harts.dts")
            write(path, system(1))
            r = bhconfig_run(d, base, path, bad, rtos)
            want = f"{bad}: /reserved-memory/firmware@80000000: bulkhead,max-harts: must be one cell, a hart count"
            assert r.returncode == 1 and want in r.stderr, r.stderr

    return [
        ("bhconfig_ranges_are_kconfigs", t_ranges_agree),
        ("defconfig_out_of_range_refused",
         refused(ctx, "CONFIG_MAX_CELLS=65\n", "$F: CONFIG_MAX_CELLS=65 is outside 1..64 (Maximum cells)")),
        ("defconfig_below_range_refused",
         refused(ctx, "CONFIG_MAX_CELL_HARTS=0\n", "$F: CONFIG_MAX_CELL_HARTS=0 is outside 1..64")),
        ("defconfig_unknown_option_refused",
         refused(ctx, "CONFIG_STATS=y\nCONFIG_MAX_HARTS=4\n", "$F:2:", "undefined symbol MAX_HARTS")),
        ("defconfig_malformed_value_refused",
         refused(ctx, "CONFIG_MAX_CELL_IRQS=many\n", "$F: ", "'many'", "MAX_CELL_IRQS")),
        ("defconfig_change_reaches_config", t_defconfig_change_reaches_config),
        ("hart_stacks_checked_against_code_region", t_hart_stacks),
        ("firmware_hart_limit_checked", t_firmware_harts),
        ("defconfig_stack_size_out_of_range_refused",
         refused(ctx, "CONFIG_HART_STACK_SIZE=0x800\n", "$F: CONFIG_HART_STACK_SIZE=0x800 is outside 0x1000..0x40000")),
    ]
