# SPDX-License-Identifier: Apache-2.0
"""Generated descriptions. Every committed dts/qemu-virt*.dts is what
tools/mkplatform.py makes from QEMU for the harts and RAM its .qemu file
gives (-smp, -m), so a platform can be regenerated and a larger one made the
same way. The QEMU version named in the header comment may differ.
configs/rtos64.dts is what tools/mkcells.py makes for 64 cells."""

import glob
import os
import re
import subprocess
import tempfile

PYTHON = "/usr/bin/python3"


VERIFIES = {
    "*_regenerates": ["TOOL-PLAT-1"],
}

def normalized(text):
    return re.sub(r"from QEMU \S+ by", "from QEMU <version> by", text)


def options(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    smp = re.search(r"^-smp (\d+)$", text, re.M)
    mem = re.search(r"^-m (\d+)G$", text, re.M)
    assert smp and mem, f"{path}: no '-smp N' or '-m NG' line"
    aia = re.search(r"^-machine virt,aia=aplic-imsic,aia-guests=(\d+)(,iommu-sys=on)?$", text, re.M)
    flags = ["--aclint"] if re.search(r"^-machine virt,aclint=on(,iommu-sys=on)?$", text, re.M) else []
    if aia:
        flags = ["--aia-guests", aia.group(1)]
    if re.search(r"^-machine virt\S*,iommu-sys=on$", text, re.M):
        flags.append("--iommu")
    return int(smp.group(1)), int(mem.group(1)), flags


def regenerates(ctx, dts):
    name = os.path.splitext(os.path.basename(dts))[0]

    def test():
        harts, ram, flags = options(os.path.join(ctx.root, "dts", name + ".qemu"))
        with tempfile.TemporaryDirectory(prefix="bh-platform-") as d:
            r = subprocess.run([PYTHON, "tools/mkplatform.py", "--harts", str(harts), "--ram-gib",
                                str(ram), "--name", name, "--out-dir", d] + flags,
                               cwd=ctx.root, capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr
            for ext in (".dts", ".qemu"):
                with open(os.path.join(d, name + ext), encoding="utf-8") as f:
                    made = f.read()
                with open(os.path.join(ctx.root, "dts", name + ext), encoding="utf-8") as f:
                    committed = f.read()
                if normalized(made) != normalized(committed):
                    diff = subprocess.run(["diff", os.path.join(ctx.root, "dts", name + ext),
                                           os.path.join(d, name + ext)],
                                          capture_output=True, text=True).stdout
                    raise AssertionError(f"dts/{name}{ext} differs from what tools/mkplatform.py "
                                         f"makes for {harts} harts, {ram} GiB:\n{diff[:2000]}")
    return test


def rtos64_regenerates(ctx):
    def test():
        made = subprocess.run([PYTHON, "tools/mkcells.py", "--cells", "64", "--platform",
                               "qemu-virt-64", "--name", "rtos64"],
                              cwd=ctx.root, capture_output=True, text=True, check=True).stdout
        with open(os.path.join(ctx.root, "configs", "rtos64.dts"), encoding="utf-8") as f:
            assert f.read() == made, "configs/rtos64.dts is not what tools/mkcells.py makes"
    return test


def collect(ctx):
    return [(f"{os.path.basename(p)[:-4]}_regenerates", regenerates(ctx, p))
            for p in sorted(glob.glob(os.path.join(ctx.root, "dts", "qemu-virt*.dts")))] + \
        [("rtos64_config_regenerates", rtos64_regenerates(ctx))]
