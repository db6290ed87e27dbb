# SPDX-License-Identifier: Apache-2.0
"""The RT-Thread cell's image: the check (cells/rtthread/image.py) and the build
from a checkout (RTTHREAD_SRC, cells/rtthread/build.py).

Image check, without QEMU: a missing file, ELFs linked at the wrong address or
whose first segment is elsewhere, the good case for ELF and raw binary, a
system config whose cell is linked at 0x90200000, a truncated ELF, a raw
M-mode build, a text file.

Build path, with no real RT-Thread checkout: tests/lib/fake_rtthread.py writes
a fake checkout shaped like RT-Thread 5.0.0 where the build touches it, under
<build>/rtthread-fake/. It is built through `make` (RTTHREAD_SRC=) into a
BUILD of its own there, must leave the checkout exactly as it was, is reused
until the checkout changes, and boots as cell `rtthread` next to the
rtos-contract guest: banner, printf through picolibc, the `msh />` prompt and
an answer to typed input. A variant whose startup file escapes the
boot_hartid slot must be refused with one line.

A real checkout, when `make test RTTHREAD_SRC=<checkout>` gives one (the
Makefile hands it over as BH_TEST_RTTHREAD_SRC), goes the same way: built
through make next to rtos-contract, the checkout unchanged, reused by a second
make, booted to its prompt, answering `version`, ticking. Without one these
two tests are skipped.
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import bhtest
import fake_rtthread
from bhtest import Skip, assert_line, assert_no_line, excerpt

CROSS = "riscv64-unknown-elf-"

TINY_S = """
    .section .text
    .globl _start
{pad}
_start:
{code}
"""

TINY_LD = """
OUTPUT_ARCH(riscv)
ENTRY(_start)
MEMORY {{ SRAM : ORIGIN = {origin:#x}, LENGTH = 0x4000000 }}
SECTIONS {{ .text : {{ *(.text) }} > SRAM }}
"""

# One cell, image "rtthread", at the given addresses (what image.py reads).
ONE_CELL_DTS = """/dts-v1/;
/ {{
	compatible = "bulkhead,system";
	model = "rtthread-at";
	bulkhead,platform = "qemu-virt";
	hypervisor {{ reg = <0x0 0x80200000 0x0 0x03e00000>; }};
	cells {{
		rtthread {{
			harts = <0>;
			image = "rtthread";
			image-address = <0x0 {load:#x}>;
			entry = <0x0 {entry:#x}>;
			console = "ns16550";
			memory@{base:x} {{
				guest-address = <0x0 {base:#x}>;
				host-address = <0x0 0x88000000>;
				size = <0x0 0x08000000>;
				access = "rwx";
			}};
		}};
	}};
}};
"""

# The fake RT-Thread (cell rtthread, as in configs/linux-rtthread.dts) next to
# the rtos-contract guest on hart 1 (128 MiB: it keeps RT-Thread's heap layout).
FAKE_SYSTEM_DTS = """/dts-v1/;
/ {
	compatible = "bulkhead,system";
	model = "linux-rtthread";
	bulkhead,platform = "qemu-virt";
	hypervisor { reg = <0x0 0x80200000 0x0 0x03e00000>; };
	cells {
		rtthread {
			harts = <0>;
			image = "rtthread";
			image-address = <0x0 0x80200000>;
			entry = <0x0 0x80200000>;
			console = "ns16550";
			fault-policy = "stop";
			memory@80000000 {
				guest-address = <0x0 0x80000000>;
				host-address = <0x0 0x88000000>;
				size = <0x0 0x08000000>;
				access = "rwx";
			};
		};
		rtos {
			harts = <1>;
			image = "rtos-contract";
			image-address = <0x0 0x80200000>;
			entry = <0x0 0x80200000>;
			console = "ns16550";
			fault-policy = "restart";
			memory@80000000 {
				guest-address = <0x0 0x80000000>;
				host-address = <0x0 0x90000000>;
				size = <0x0 0x08000000>;
				access = "rwx";
			};
		};
	};
};
"""

HINT_WORDS = ("rtthread:", "bsp/qemu-virt64-riscv", "docs/cells/rtthread.md")


REAL_SRC_ENV = "BH_TEST_RTTHREAD_SRC"


def make_env():
    """The environment without a surrounding `make test`'s variables."""
    return {k: v for k, v in os.environ.items()
            if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                         "RTTHREAD_SRC", "RTTHREAD_IMAGE")}


def one_line(err):
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, f"expected one error line, got {len(lines)}:\n{err}"
    assert lines[0].startswith("rtthread: "), f"not an `rtthread:` line: {lines[0]!r}"
    return lines[0]


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "rtthread_image/*": ["GST-RTT-1"],
    "rtthread_build/*": ["GST-RTT-2"],
    "rtthread_build/fake_boots_next_to_rtos_contract": ["BOOT-1"],
    "rtthread_real/*": ["GST-RTT-2"],
    "rtthread_real/boots_answers_and_ticks": ["BOOT-1"],
}


def collect(ctx):
    return image_check_tests(ctx) + build_tests(ctx) + real_checkout_tests(ctx)


# ---------------------------------------------------------------- image check

def image_check_tests(ctx):
    script = os.path.join(ctx.root, "cells", "rtthread", "image.py")
    system = os.path.join(ctx.root, "configs", "linux-rtthread.dts")

    def check(src, out, dts=system):
        p = subprocess.run([bhtest.PYTHON, script, "--system", dts, src or "", out],
                           capture_output=True, text=True, cwd=ctx.root, timeout=60)
        return p.returncode, p.stderr.strip()

    def tiny_elf(tmp, name, text_addr, pad=0, script=True, code="    j _start"):
        """A loop at text_addr + pad (the entry). With script, linked like
        RT-Thread's link.lds (a MEMORY region from text_addr, so no ELF header is
        loaded); without, by -Ttext alone (GNU ld then maps the headers in the page
        below text_addr)."""
        src = os.path.join(tmp, name + ".S")
        with open(src, "w", encoding="utf-8") as f:
            f.write(TINY_S.format(pad=f"    .org {pad:#x}" if pad else "", code=code))
        elf = os.path.join(tmp, name + ".elf")
        if script:
            lds = os.path.join(tmp, name + ".ld")
            with open(lds, "w", encoding="utf-8") as f:
                f.write(TINY_LD.format(origin=text_addr))
            link = ["-T", lds]
        else:
            link = [f"-Wl,-Ttext={text_addr:#x}"]
        subprocess.run([CROSS + "gcc", "-march=rv64imac_zicsr", "-mabi=lp64", "-nostdlib",
                        "-static", "-Wl,--no-warn-rwx-segments"] + link + ["-o", elf, src],
                       check=True, capture_output=True, text=True)
        return elf

    def refused(rc, err, out, *needles, addr="0x80200000"):
        assert rc != 0, f"accepted (exit 0): {err!r}"
        assert not os.path.exists(out), f"{out} was written although the image was refused"
        assert not os.path.exists(out + ".tmp"), f"{out}.tmp left behind"
        line = one_line(err)
        for n in HINT_WORDS + ("RTTHREAD_IMAGE", addr) + needles:
            assert n in line, f"message lacks {n!r}: {line!r}"

    def t_missing():
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "x.bin")
            rc, err = check("/nonexistent", out)
            refused(rc, err, out, "/nonexistent", "does not exist")
            rc, err = check(None, out)
            refused(rc, err, out, "no image given", "RTTHREAD_SRC=", "v5.0.0", "git clone")

    def t_wrong_entry():
        with tempfile.TemporaryDirectory() as tmp:
            elf = tiny_elf(tmp, "at80000000", 0x80000000, script=False)
            out = os.path.join(tmp, "x.bin")
            rc, err = check(elf, out)
            refused(rc, err, out, elf, "entry 0x80000000")

    def t_wrong_load():
        # entry at 0x80200000 but the first segment loads at 0x80100000
        with tempfile.TemporaryDirectory() as tmp:
            elf = tiny_elf(tmp, "load80100000", 0x80100000, pad=0x100000)
            out = os.path.join(tmp, "x.bin")
            rc, err = check(elf, out)
            refused(rc, err, out, "entry 0x80200000")
            assert re.search(r"first load address 0x0*80100000\b", err), err

    def t_good():
        with tempfile.TemporaryDirectory() as tmp:
            elf = tiny_elf(tmp, "at80200000", 0x80200000)
            out = os.path.join(tmp, "x.bin")
            rc, err = check(elf, out)
            assert rc == 0, f"a good ELF was refused: {err}"
            with open(out, "rb") as f:
                data = f.read()
            assert data == bytes.fromhex("01a0"), f"objcopy of the ELF gave {data.hex()}"
            # a raw binary is taken as it is; the same one twice leaves the file alone
            raw = os.path.join(tmp, "raw.bin")
            with open(raw, "wb") as f:
                f.write(b"\x6f\x00\x00\x00")
            rc, err = check(raw, out)
            assert rc == 0, err
            before = os.stat(out).st_mtime_ns
            time.sleep(0.02)
            rc, err = check(raw, out)
            assert rc == 0 and os.stat(out).st_mtime_ns == before, \
                "an unchanged image rewrote the output (would rebuild the hypervisor)"

    def t_config_address():
        # The addresses come from the system config: a cell linked at 0x90200000
        # takes an image linked there and refuses one linked at 0x80200000.
        with tempfile.TemporaryDirectory() as tmp:
            dts = os.path.join(tmp, "at90200000.dts")
            with open(dts, "w", encoding="utf-8") as f:
                f.write(ONE_CELL_DTS.format(load=0x90200000, entry=0x90200000, base=0x90000000))
            out = os.path.join(tmp, "x.bin")
            rc, err = check(tiny_elf(tmp, "at90200000", 0x90200000), out, dts)
            assert rc == 0, f"an ELF linked at the cell's 0x90200000 was refused: {err}"
            os.remove(out)
            rc, err = check(tiny_elf(tmp, "at80200000", 0x80200000), out, dts)
            refused(rc, err, out, "entry 0x80200000", dts, addr="0x90200000")
            # image-address and entry may differ; the message names both
            with open(dts, "w", encoding="utf-8") as f:
                f.write(ONE_CELL_DTS.format(load=0x90200000, entry=0x90200100, base=0x90000000))
            rc, err = check(tiny_elf(tmp, "at90200000b", 0x90200000), out, dts)
            refused(rc, err, out, "entered at 0x90200100", addr="loaded at 0x90200000")

    def t_truncated():
        with tempfile.TemporaryDirectory() as tmp:
            elf = tiny_elf(tmp, "good", 0x80200000)
            with open(elf, "rb") as f:
                data = f.read()
            out = os.path.join(tmp, "x.bin")
            for n in (20, 100, len(data) // 2 + 1):
                cut = os.path.join(tmp, f"cut{n}.elf")
                with open(cut, "wb") as f:
                    f.write(data[:n])
                rc, err = check(cut, out)
                refused(rc, err, out, cut, "ELF")
                assert "readelf" not in err and "objcopy:" not in err, err

    def t_m_mode_raw():
        # The first instructions of an M-mode build touch M-mode CSRs; a raw
        # binary of one is refused, naming the CSR.
        with tempfile.TemporaryDirectory() as tmp:
            elf = tiny_elf(tmp, "mmode", 0x80200000,
                           code="    csrw sie, zero\n    csrr a0, mhartid\n    j _start")
            raw = os.path.join(tmp, "mmode.bin")
            subprocess.run([CROSS + "objcopy", "-O", "binary", elf, raw], check=True)
            out = os.path.join(tmp, "x.bin")
            rc, err = check(raw, out)
            refused(rc, err, out, raw, "M-mode", "mhartid")
            rc, err = check(elf, out)
            refused(rc, err, out, elf, "M-mode", "mhartid")
            # the same start without the M-mode CSR is taken
            elf = tiny_elf(tmp, "smode", 0x80200000, code="    csrw sie, zero\n    j _start")
            rc, err = check(elf, out)
            assert rc == 0, err

    def t_text():
        with tempfile.TemporaryDirectory() as tmp:
            txt = os.path.join(tmp, "rtthread.bin")
            with open(txt, "w", encoding="utf-8") as f:
                f.write("version https://git-lfs.github.com/spec/v1\noid sha256:00\n")
            out = os.path.join(tmp, "x.bin")
            rc, err = check(txt, out)
            refused(rc, err, out, txt, "text file")

    def t_make():
        # Through make, into a throw-away BUILD, so build/ stays untouched.
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "images", "rtthread.bin")
            p = subprocess.run(["make", "--no-print-directory", f"BUILD={tmp}",
                                "CONFIG=linux-rtthread", "RTTHREAD_IMAGE=/nonexistent", out],
                               capture_output=True, text=True, cwd=ctx.root, timeout=120,
                               env=make_env())
            assert p.returncode != 0, "make accepted RTTHREAD_IMAGE=/nonexistent"
            assert "RTTHREAD_IMAGE=/nonexistent does not exist" in p.stderr, p.stderr[-800:]
            assert "bsp/qemu-virt64-riscv" in p.stderr, p.stderr[-800:]
            assert not os.path.exists(out)

    def need_tools():
        for t in ("gcc", "objcopy"):
            if shutil.which(CROSS + t) is None:
                raise AssertionError(f"{CROSS}{t} not found (make deps installs it)")
        for t in ("dtc", "fdtget"):
            if shutil.which(t) is None:
                raise AssertionError(f"{t} not found (make deps installs device-tree-compiler)")

    def wrap(fn):
        def run():
            need_tools()
            fn()
        return run

    return [(f"rtthread_image/{n}", wrap(f)) for n, f in (
        ("missing_file_refused", t_missing),
        ("elf_entry_not_0x80200000_refused", t_wrong_entry),
        ("elf_loaded_below_0x80200000_refused", t_wrong_load),
        ("good_elf_and_raw_binary_accepted", t_good),
        ("addresses_from_the_system_config", t_config_address),
        ("truncated_elf_one_line", t_truncated),
        ("m_mode_build_refused", t_m_mode_raw),
        ("text_file_refused", t_text),
        ("make_names_expected_image", t_make),
    )]


# ---------------------------------------------------------------- build path

class FakeBuild:
    """The fake checkout built once through make into <build>/rtthread-fake/build."""

    def __init__(self, ctx, top="rtthread-fake"):
        self.ctx = ctx
        self.top = os.path.join(os.path.abspath(ctx.build), top)
        self.src = os.path.join(self.top, "rt-thread")
        self.build = os.path.join(self.top, "build")
        self.dts = os.path.join(self.top, "fake-system.dts")
        self.o = os.path.join(self.build, "linux-rtthread")
        self.image = os.path.join(self.build, "images", "rtthread.bin")
        self.elf = os.path.join(self.build, "rtthread", "rtthread.elf")
        self.before = None
        self.shared = bhtest.CachedRun(self._make_all)
        self.boot = bhtest.CachedRun(self._boot)

    def make(self, *args, src=None, timeout=600):
        cmd = ["make", "--no-print-directory", f"BUILD={self.build}", "CONFIG=linux-rtthread",
               f"SYSTEM_DTS={self.dts}", f"RTTHREAD_SRC={src or self.src}", "RTTHREAD_JOBS=2"]
        return subprocess.run(cmd + list(args), capture_output=True, text=True,
                              cwd=self.ctx.root, timeout=timeout, env=make_env())

    def _make_all(self):
        if os.path.isdir(self.top):
            shutil.rmtree(self.top)
        os.makedirs(self.top)
        fake_rtthread.write_tree(self.src)
        with open(self.dts, "w", encoding="utf-8") as f:
            f.write(FAKE_SYSTEM_DTS)
        self.before = fake_rtthread.snapshot(self.src)
        p = self.make("-j2", "all")
        assert p.returncode == 0, (f"make ... RTTHREAD_SRC={self.src} all failed:\n"
                                   + (p.stdout + p.stderr)[-1500:])
        return p

    def _boot(self):
        self.shared.get()
        script = [
            "wait-for rtthread ^Hello\\sRISC-V!$ 20",
            "wait-for rtthread ^printf\\svia\\spicolibc:\\s21$ 5",
            "at 0.5 rtthread version",
            "wait-for rtthread ^fake\\sRT-Thread\\s5\\.0\\.0,\\sboot\\shart\\s0$ 10",
            "wait-for rtos ^tick\\s2$ 10",
        ]
        return bhtest.run_headless(self.o, 40, script,
                                   stop_when=lambda r: r.script_done or r.script_error)


def build_tests(ctx):
    fb = FakeBuild(ctx)

    def t_builds():
        p = fb.shared.get()
        out = p.stdout + p.stderr
        assert "SCONS" in out, "the build did not run scons:\n" + out[-800:]
        assert re.search(r"boot_hartid in its own slot at 0x[0-9a-f]+", out), out[-800:]
        assert os.path.isfile(fb.image), f"{fb.image} missing"
        flat = fb.image + ".check"
        subprocess.run([CROSS + "objcopy", "-O", "binary", fb.elf, flat], check=True)
        with open(flat, "rb") as a, open(fb.image, "rb") as b:
            assert a.read() == b.read(), f"{fb.image} is not the flattened {fb.elf}"
        os.remove(flat)
        after = fake_rtthread.snapshot(fb.src)
        changed = sorted(k for k in set(fb.before) | set(after)
                         if fb.before.get(k) != after.get(k))
        assert not changed, f"the build wrote into the checkout {fb.src}: {changed[:8]}"

    def t_s_mode_and_slot():
        fb.shared.get()
        copy = os.path.join(fb.build, "rtthread", "bsp")
        with open(os.path.join(copy, "rtconfig.h"), encoding="utf-8") as f:
            assert re.search(r"^#define RISCV_S_MODE$", f.read(), re.M), "no RISCV_S_MODE"
        p = subprocess.run([CROSS + "nm", "-n", fb.elf], capture_output=True, text=True,
                           check=True)
        addr = {l.split()[2]: int(l.split()[0], 16) for l in p.stdout.splitlines()
                if len(l.split()) == 3}
        assert addr["_start"] == 0x80200000, f"_start at {addr['_start']:#x}"
        slot, nxt = addr["boot_hartid"], addr["fake_lshr"]
        assert slot % 8 == 0 and nxt >= slot + 8, \
            f"boot_hartid {slot:#x} has no 8-byte slot before fake_lshr {nxt:#x}"

    def t_cached():
        fb.shared.get()
        mtime = os.stat(fb.elf).st_mtime_ns
        p = fb.make(fb.image)
        assert p.returncode == 0, p.stderr[-800:]
        assert "SCONS" not in p.stdout and "unchanged" in p.stdout, \
            "an unchanged checkout was rebuilt:\n" + p.stdout[-800:]
        assert os.stat(fb.elf).st_mtime_ns == mtime, f"{fb.elf} was rewritten"
        main_c = os.path.join(fb.src, "bsp", "qemu-virt64-riscv", "applications", "main.c")
        with open(main_c, "a", encoding="utf-8") as f:
            f.write("/* changed by the test */\n")
        p = fb.make(fb.image)
        assert p.returncode == 0, p.stderr[-800:]
        assert "SCONS" in p.stdout, "a changed checkout was not rebuilt:\n" + p.stdout[-800:]

    def t_slot_escaped():
        src = os.path.join(fb.top, "rt-thread-renamed")
        if os.path.isdir(src):
            shutil.rmtree(src)
        fake_rtthread.write_tree(src, rename_startup=True)
        os.makedirs(fb.top, exist_ok=True)
        if not os.path.isfile(fb.dts):
            with open(fb.dts, "w", encoding="utf-8") as f:
                f.write(FAKE_SYSTEM_DTS)
        build = os.path.join(fb.top, "build-renamed")
        out = os.path.join(build, "images", "rtthread.bin")
        p = subprocess.run(["make", "--no-print-directory", f"BUILD={build}",
                            "CONFIG=linux-rtthread", f"SYSTEM_DTS={fb.dts}",
                            f"RTTHREAD_SRC={src}", out],
                           capture_output=True, text=True, cwd=ctx.root, timeout=300,
                           env=make_env())
        assert p.returncode != 0, "an image whose boot_hartid overlaps code was accepted"
        errs = [l for l in p.stderr.splitlines() if l.startswith("rtthread:")]
        assert len(errs) == 1, p.stderr[-1000:]
        for n in ("boot_hartid", "fake_lshr", "startup_gcc.S", "docs/cells/rtthread.md"):
            assert n in errs[0], f"message lacks {n!r}: {errs[0]}"
        assert not os.path.exists(out)
        # the same ELF passed as a prebuilt image is refused by the image check
        elf = os.path.join(build, "rtthread", "bsp", "rtthread.elf")
        p = subprocess.run([bhtest.PYTHON, os.path.join(ctx.root, "cells", "rtthread", "image.py"),
                            "--system", fb.dts, elf, out], capture_output=True, text=True,
                           cwd=ctx.root, timeout=60)
        assert p.returncode != 0, "a prebuilt ELF whose boot_hartid overlaps code was accepted"
        line = one_line(p.stderr)
        for n in ("boot_hartid", "fake_lshr", "RTTHREAD_SRC="):
            assert n in line, f"message lacks {n!r}: {line}"
        assert not os.path.exists(out)

    def t_no_source():
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "images", "rtthread.bin")
            base = ["make", "--no-print-directory", f"BUILD={tmp}", "CONFIG=linux-rtthread"]
            p = subprocess.run(base + [out], capture_output=True, text=True, cwd=ctx.root,
                               timeout=120, env=make_env())
            assert p.returncode != 0
            line = one_line("\n".join(l for l in p.stderr.splitlines()
                                      if not l.startswith("make")))
            for n in ("RTTHREAD_SRC=", "RTTHREAD_IMAGE=", "v5.0.0", "git clone",
                      "github.com/RT-Thread/rt-thread", "make CONFIG=linux-rtthread"):
                assert n in line, f"message lacks {n!r}: {line}"
            for src, needle in (("/nonexistent", "is not a directory"),
                                (tmp, "not an RT-Thread checkout")):
                p = subprocess.run(base + [f"RTTHREAD_SRC={src}", out], capture_output=True,
                                   text=True, cwd=ctx.root, timeout=120, env=make_env())
                assert p.returncode != 0 and needle in p.stderr, p.stderr[-600:]
                assert "v5.0.0" in p.stderr, p.stderr[-600:]
            p = subprocess.run(base + [f"RTTHREAD_SRC={tmp}", "RTTHREAD_IMAGE=/x.bin", out],
                               capture_output=True, text=True, cwd=ctx.root, timeout=120,
                               env=make_env())
            assert p.returncode != 0 and "give one" in p.stderr, p.stderr[-600:]

    def t_link_flags():
        # The rtconfig.py the build generates, evaluated as SConstruct imports it,
        # for 5.0.0's flags (lp64d, -lc -lm) and the later tree's (lp64, -lsupc++):
        # the link takes the C library build of the BSP's ABI with the most of the
        # BSP's extensions (GCC's default build, which has no directory, counts),
        # and a program linked with those flags has the BSP's ABI and no other
        # extension; -lsupc++ only if the toolchain has it.
        spec = importlib.util.spec_from_file_location(
            "rtthread_build_py", os.path.join(ctx.root, "cells", "rtthread", "build.py"))
        build_py = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build_py)
        gcc = shutil.which(CROSS + "gcc")
        assert gcc, f"{CROSS}gcc not found (make deps installs it)"
        builds = set()
        for line in subprocess.run([gcc, "-print-multi-lib"], capture_output=True, text=True,
                                   check=True).stdout.splitlines():
            m = re.match(r"[^;]*;@march=rv64([a-z]+)@mabi=(\w+)$", line)
            if m:
                builds.add((m.group(1), m.group(2)))
        target = subprocess.run([gcc, "-Q", "--help=target"], capture_output=True,
                                text=True).stdout
        default = (re.search(r"^\s*-march=\s+rv64([a-z]+)", target, re.M),
                   re.search(r"^\s*-mabi=\s+(\w+)", target, re.M))
        assert all(default), f"{gcc} -Q --help=target names no default -march/-mabi"
        builds.add((default[0].group(1).replace("g", "imafd"), default[1].group(1)))
        has_supcxx = os.path.isabs(subprocess.run(
            [gcc, "-print-file-name=libsupc++.a"], capture_output=True, text=True).stdout.strip())
        with tempfile.TemporaryDirectory() as tmp:
            src = fake_rtthread.write_tree(os.path.join(tmp, "rt-thread"))
            bsp_rtconfig = os.path.join(src, "bsp", "qemu-virt64-riscv", "rtconfig.py")
            for variant, abi, libs in (("5.0.0", "lp64d", ["-lc", "-lm"]),
                                       ("later", "lp64", ["-lgcc"])):
                if variant == "later":
                    with open(bsp_rtconfig, "w", encoding="utf-8") as f:
                        f.write(fake_rtthread.later_rtconfig_py())
                copy = os.path.join(tmp, "copy-" + variant)
                os.makedirs(copy)
                build_py.gen_rtconfig_py(copy, src, gcc, os.path.join(tmp, "stubs"))
                p = subprocess.run([bhtest.PYTHON, "-c", "import json, rtconfig; print(json.dumps("
                                    "[rtconfig.CFLAGS, rtconfig.AFLAGS, rtconfig.LFLAGS]))"],
                                   capture_output=True, text=True, cwd=copy, timeout=60,
                                   env=dict(make_env(), PYTHONDONTWRITEBYTECODE="1"))
                assert p.returncode == 0, f"{variant}: generated rtconfig.py fails:\n{p.stderr}"
                cflags, aflags, lflags = json.loads(p.stdout)
                for name, flags in (("CFLAGS", cflags), ("AFLAGS", aflags)):
                    assert "-march=rv64imafdc_zicsr_zifencei" in flags.split(), \
                        f"{variant} {name}: {flags}"
                    assert f"-mabi={abi}" in flags.split() and "--specs=picolibc.specs" in flags, \
                        f"{variant} {name}: {flags}"
                march = re.findall(r"-march=rv64([a-z]+)(?:\s|$)", lflags)
                mabi = re.findall(r"-mabi=(\S+)", lflags)
                assert len(march) == 1 and mabi == [abi], f"{variant} LFLAGS: {lflags}"
                fits = [e for e, a in builds if a == abi and set(e) <= set("imafdc")]
                assert march[0] in fits and len(march[0]) == max(map(len, fits)), \
                    (f"{variant}: links rv64{march[0]}/{abi}; the toolchain's builds for "
                     f"{abi} within rv64imafdc: {sorted(fits)}")
                prog = os.path.join(tmp, variant + ".c")
                with open(prog, "w", encoding="utf-8") as f:
                    f.write("#include <stdio.h>\nint main(void) { char b[24]; "
                            "return snprintf(b, sizeof b, \"%ld\", (long)b * 7 / 3); }\n")
                elf = prog[:-2] + ".elf"
                p = subprocess.run([gcc, f"-march=rv64{march[0]}", f"-mabi={abi}",
                                    "-mcmodel=medany", "--specs=picolibc.specs", "-O1", "-o",
                                    elf, prog], capture_output=True, text=True, timeout=120)
                assert p.returncode == 0, f"{variant}: linking with {lflags}:\n{p.stderr}"
                attrs = subprocess.run([CROSS + "readelf", "-A", "-h", elf], capture_output=True,
                                       text=True, check=True).stdout
                arch = re.search(r'Tag_RISCV_arch: "rv64([^"]*)"', attrs)
                assert arch, f"{variant}: no Tag_RISCV_arch in {elf}"
                exts = set(re.findall(r"(?:^|_)([a-z])\d", arch.group(1)))
                assert exts <= set("imafdc"), f"{variant}: {elf} is rv64{arch.group(1)}"
                float_abi = {"lp64": "soft-float", "lp64f": "single-float", "lp64d": "double-float"}
                assert f"{float_abi[abi]} ABI" in attrs, f"{variant}: {elf} lacks {abi}:\n{attrs}"
                words = lflags.split()
                assert "--specs=picolibc.specs" in words and all(l in words for l in libs), \
                    f"{variant} LFLAGS: {lflags}"
                assert ("-lsupc++" in words) == (has_supcxx and variant == "later"), \
                    f"{variant} LFLAGS: {lflags}"

    def t_boots():
        r = fb.boot.get()
        rt = r.cells["rtthread"]
        assert r.script_error is None, (f"input script: {r.script_error}; "
                                        + excerpt(rt, title="rtthread.log"))
        assert_line(rt, r"^- RT -     Thread Operating System", "rtthread.log")
        assert_line(rt, r"msh />", "rtthread.log (prompt)")
        assert_line(r.cells["rtos"], r"^tick \d+$", "rtos.log")
        # rtos-contract shows a "msh />" of its own: only RT-Thread's banner tells them apart
        assert_no_line(r.cells["rtos"], r"fake RT-Thread|^- RT -", "rtos.log")
        assert_no_line(r.hypervisor, r"PANIC|FAULT|fault", "hypervisor log")

    return [(f"rtthread_build/{n}", f) for n, f in (
        ("fake_tree_builds_through_make_checkout_untouched", t_builds),
        ("s_mode_and_boot_hartid_slot", t_s_mode_and_slot),
        ("cached_until_the_checkout_changes", t_cached),
        ("boot_hartid_overlap_refused", t_slot_escaped),
        ("missing_or_wrong_source_names_checkout", t_no_source),
        ("link_flags_for_5_0_0_and_later_trees", t_link_flags),
        ("fake_boots_next_to_rtos_contract", t_boots),
    )]


# ---------------------------------------------------------------- real checkout

def checkout_state(src):
    """{relative path: (size, mtime_ns)} of every file of a checkout but .git."""
    out = {}
    for d, dirs, files in os.walk(src):
        dirs[:] = [x for x in dirs if not (d == src and x == ".git")]
        for name in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            p = os.path.join(d, name)
            st = os.lstat(p)
            out[os.path.relpath(p, src)] = (st.st_size, st.st_mtime_ns)
    return out


class RealBuild(FakeBuild):
    """A real RT-Thread checkout built like the fake one (cell rtthread next to
    rtos-contract), into <build>/rtthread-real/build."""

    def __init__(self, ctx, src):
        super().__init__(ctx, top="rtthread-real")
        self.src = os.path.abspath(src)
        self.state = None

    def _make_all(self):
        os.makedirs(self.top, exist_ok=True)
        with open(self.dts, "w", encoding="utf-8") as f:
            f.write(FAKE_SYSTEM_DTS)
        self.state = checkout_state(self.src)
        return self.make("-j2", "all", timeout=1200)

    def _boot(self):
        self.shared.get()
        script = [
            "wait-for rtthread ^msh\\s/>$ 30",
            "at 0.5 rtthread version",
            "wait-for rtthread Copyright\\sby\\sRT-Thread\\steam 10",
            "at 0.5 rtthread list_timer",
            "wait-for rtthread current\\stick:0x[0-9a-f]+ 10",
            "at 3 rtthread list_timer",
            "wait-for rtthread current\\stick:0x[0-9a-f]+ 10",
        ]
        return bhtest.run_headless(self.o, 60, script,
                                   stop_when=lambda r: r.script_done or r.script_error)


def real_checkout_tests(ctx):
    src = os.environ.get(REAL_SRC_ENV, "").strip()
    rb = RealBuild(ctx, src) if src else None

    def need():
        if rb is None:
            raise Skip("no RT-Thread checkout: `make test RTTHREAD_SRC=<checkout>` runs it")

    def t_builds():
        need()
        p = rb.shared.get()
        out = p.stdout + p.stderr
        assert p.returncode == 0, f"make ... RTTHREAD_SRC={rb.src} all failed:\n{out[-1500:]}"
        assert re.search(r"boot_hartid in its own slot at 0x[0-9a-f]+", out) or \
            "unchanged since the last build" in out, out[-800:]
        after = checkout_state(rb.src)
        changed = sorted(k for k in set(rb.state) | set(after) if rb.state.get(k) != after.get(k))
        assert not changed, f"the build wrote into the checkout {rb.src}: {changed[:8]}"
        mtime = os.stat(rb.elf).st_mtime_ns
        p = rb.make(rb.image)
        assert p.returncode == 0, p.stderr[-800:]
        assert "SCONS" not in p.stdout and "unchanged" in p.stdout, \
            "an unchanged checkout was rebuilt:\n" + p.stdout[-800:]
        assert os.stat(rb.elf).st_mtime_ns == mtime, f"{rb.elf} was rewritten"

    def t_boots():
        need()
        p = rb.shared.get()
        assert p.returncode == 0, "the build failed (previous test)"
        r = rb.boot.get()
        rt = r.cells["rtthread"]
        assert r.script_error is None, (f"input script: {r.script_error}; "
                                        + excerpt(rt, title="rtthread.log"))
        assert_line(rt, r"^- RT -     Thread Operating System", "rtthread.log")
        assert len(bhtest.matching(rt, r"Copyright by RT-Thread team")) >= 2, \
            "no banner in answer to `version`; " + excerpt(rt, title="rtthread.log")
        ticks = [int(m.group(1), 16) for m in bhtest.matching(rt, r"current tick:0x([0-9a-f]+)")]
        assert len(ticks) == 2, f"list_timer answers: {ticks}"
        # 3 s apart at 100 Hz; a loaded host delays ticks, so a third of that will do.
        assert ticks[1] - ticks[0] >= 100, f"RT-Thread ticked {ticks[1] - ticks[0]} times in 3 s"
        assert_line(r.cells["rtos"], r"^tick \d+$", "rtos.log")
        assert_no_line(r.cells["rtos"], r"RT-Thread|^- RT -", "rtos.log")
        assert_no_line(r.hypervisor, r"PANIC|FAULT|fault", "hypervisor log")

    return [(f"rtthread_real/{n}", f) for n, f in (
        ("checkout_builds_untouched_and_cached", t_builds),
        ("boots_answers_and_ticks", t_boots),
    )]
