#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Builds RT-Thread's bsp/qemu-virt64-riscv, S-mode, from a user's checkout with
Debian's toolchain (gcc-riscv64-unknown-elf and its C library, picolibc).

  build.py --src CHECKOUT --out DIR [--jobs N]

The checkout is only read. The BSP directory is copied to DIR/bsp and built
there by RT-Thread's own SConstruct (RTT_ROOT pointing at the checkout, so the
kernel, libcpu and components are compiled from it into DIR/bsp/build); the
copy gets what the picolibc route and the cell need (docs/cells/rtthread.md,
"How the build works"):

  rtconfig.py   the BSP's own, run as it is, then -march gains _zicsr_zifencei
                (GCC 12 spells them out) and picolibc's specs and DIR/picolibc
                (reent.h) are added
  rtconfig.h    the BSP's own plus RISCV_S_MODE (and .config CONFIG_RISCV_S_MODE=y),
                so SConstruct links at 0x80200000 and startup runs in S-mode
  link.lds      the BSP's own with an 8-byte slot for boot_hartid at the start
                of .text: RT-Thread 5.0.0's startup_gcc.S declares it with a
                bare `.int` (no bytes), so its store of a0 would overwrite the
                first instruction of whatever code the linker puts next
  applications/bulkhead_picolibc.c   picolibc's stdout, printing via rt_kprintf

The result is DIR/rtthread.elf. A fingerprint of the checkout (paths, sizes,
modification times), of these build files and of the tools is kept in
DIR/fingerprint; while it matches, nothing is rebuilt. After linking, the ELF
is checked for the boot_hartid overlap. Failures are one `rtthread:` line.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BSP = os.path.join("bsp", "qemu-virt64-riscv")
CROSS = os.environ.get("CROSS", "riscv64-unknown-elf-")
# What a build run inside the checkout leaves in the BSP directory: not copied.
BSP_OUTPUTS = {"build", "rtthread.elf", "rtthread.bin", "rtthread.map", "rtthread.asm",
               "link_stacksize.lds", ".sconsign.dblite", "compile_commands.json",
               "cconfig.h", "__pycache__"}
# Kept in DIR/bsp between builds so scons recompiles only what changed.
KEEP_IN_COPY = {"build", ".sconsign.dblite"}
# The files of the project this build depends on (besides the tools).
OWN_FILES = [os.path.abspath(__file__), os.path.join(HERE, "picolibc", "reent.h"),
             os.path.join(HERE, "picolibc", "bulkhead_picolibc.c")]
CHECKOUT_HINT = ("RT-Thread's public repository, tag v5.0.0 or a later 5.0.x: "
                 "`git clone -b v5.0.0 https://github.com/RT-Thread/rt-thread.git ../rt-thread "
                 "&& make CONFIG=linux-rtthread RTTHREAD_SRC=../rt-thread run`")


def fail(msg):
    sys.stderr.write(f"rtthread: {msg}\n")
    sys.exit(1)


def tool_version(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError:
        return None
    return (p.stdout.splitlines() or [""])[0] if p.returncode == 0 else None


def check_checkout(src):
    if not os.path.isdir(src):
        fail(f"RTTHREAD_SRC={src} is not a directory; expected a checkout of {CHECKOUT_HINT}")
    for f in ("SConstruct", "rtconfig.py", "rtconfig.h", "link.lds"):
        if not os.path.isfile(os.path.join(src, BSP, f)):
            fail(f"RTTHREAD_SRC={src} has no {os.path.join(BSP, f)}: not an RT-Thread checkout; "
                 f"expected a checkout of {CHECKOUT_HINT}")
    rtdef = os.path.join(src, "include", "rtdef.h")
    if os.path.isfile(rtdef):
        with open(rtdef, encoding="utf-8", errors="replace") as f:
            text = f.read()
        m = (re.search(r"#define\s+RT_VERSION_MAJOR\s+(\d+)", text)
             or re.search(r"#define\s+RT_VERSION\s+(\d+)L?\b", text))
        if m and int(m.group(1)) != 5:
            fail(f"{rtdef}: RT-Thread {m.group(1)}.x; the cell's BSP is RT-Thread 5.0.x "
                 f"({CHECKOUT_HINT})")


def check_tools():
    if shutil.which("scons") is None:
        fail("scons not found: `make deps` installs it (Debian package scons)")
    gcc = shutil.which(CROSS + "gcc")
    if gcc is None:
        fail(f"{CROSS}gcc not found: `make deps` installs it (gcc-riscv64-unknown-elf)")
    specs = subprocess.run([gcc, "-print-file-name=picolibc.specs"], capture_output=True,
                           text=True).stdout.strip()
    if not os.path.isabs(specs):
        fail(f"{CROSS}gcc has no picolibc.specs: `make deps` installs it "
             "(picolibc-riscv64-unknown-elf)")
    return gcc


def fingerprint(src, gcc):
    """Digest of everything the build reads: the checkout without other BSPs and
    without outputs of builds run in it, the project's files, the tools."""
    h = hashlib.sha256()
    h.update(os.path.realpath(src).encode())
    for f in OWN_FILES:
        with open(f, "rb") as fh:
            h.update(f.encode() + b"\0" + hashlib.sha256(fh.read()).digest())
    for cmd in ([gcc, "--version"], ["scons", "--version"]):
        h.update((tool_version(cmd) or "").encode())
    bsp_dir = os.path.join(src, BSP)
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        dirs[:] = sorted(d for d in dirs if d != ".git"
                         and not (rel == "bsp" and d != os.path.basename(BSP))
                         and not (os.path.join(root, d).startswith(bsp_dir)
                                  and root == bsp_dir and d in BSP_OUTPUTS))
        for name in sorted(files):
            if root == bsp_dir and name in BSP_OUTPUTS:
                continue
            p = os.path.join(root, name)
            try:
                st = os.stat(p)
            except OSError:
                continue
            h.update(f"{os.path.relpath(p, src)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def copy_bsp(src, copy):
    """DIR/bsp := the checkout's BSP directory, keeping scons' own state."""
    os.makedirs(copy, exist_ok=True)
    for name in os.listdir(copy):
        if name in KEEP_IN_COPY:
            continue
        p = os.path.join(copy, name)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.remove(p)
    bsp_dir = os.path.join(src, BSP)
    for name in os.listdir(bsp_dir):
        if name in BSP_OUTPUTS:
            continue
        s, d = os.path.join(bsp_dir, name), os.path.join(copy, name)
        if os.path.isdir(s):
            shutil.copytree(s, d, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(s, d)
            os.chmod(d, os.stat(d).st_mode | 0o200)


def write(path, text):
    if os.path.exists(path):
        os.remove(path)  # the copy of a read-only checkout file
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def gen_rtconfig_py(copy, src, gcc, stubs):
    orig = os.path.join(os.path.realpath(src), BSP, "rtconfig.py")
    write(os.path.join(copy, "rtconfig.py"), f'''\
# Generated by Bulkhead (cells/rtthread/build.py). The BSP's own rtconfig.py,
# {orig},
# runs first, unchanged; then the picolibc route's changes:
#  - compiling: GCC 12 wants zicsr/zifencei spelled out in -march; picolibc's
#    specs; reent.h for RT-Thread's newlib glue ({stubs});
#  - linking: -march/-mabi of the C library build (multilib) with the same ABI
#    and the most of the extensions the BSP's -march has, the toolchain's
#    default build (no directory of its own: rv64imafdc/lp64d in Debian's)
#    included; e.g. rv64imac for RT-Thread after 5.0.0 (rv64imafdc/lp64: Debian's
#    toolchain has no such build, and GCC would fall back to its lp64d default);
#    -lsupc++ only if the toolchain has it (Debian's has no C++ library for
#    this target).
import os
import re
import subprocess

__file__ = {orig!r}
with open(__file__) as _f:
    exec(compile(_f.read(), __file__, "exec"))

RTT_ROOT = {os.path.realpath(src)!r}
EXEC_PATH = {os.path.dirname(gcc)!r}
_BULKHEAD_CC = os.path.join(EXEC_PATH, CC)
_BULKHEAD_ADD = " --specs=picolibc.specs -I{stubs}"


def _bulkhead_march(flags):
    return re.sub(r"-march=(rv64[a-z]+)(?=\\s|$)", r"-march=\\1_zicsr_zifencei", flags)


def _bulkhead_gcc(*args):
    return subprocess.run([_BULKHEAD_CC] + list(args), capture_output=True, text=True).stdout


def _bulkhead_builds():
    """(extensions, ABI) of every rv64 C library build of the toolchain: the
    multilib directories, and the default build (".") at GCC's default
    -march/-mabi."""
    builds = []
    for line in _bulkhead_gcc("-print-multi-lib").splitlines():
        m = re.match(r"[^;]*;@march=rv64([a-z]+)@mabi=(\\w+)$", line)
        if m:
            builds.append((m.group(1), m.group(2)))
    target = _bulkhead_gcc("-Q", "--help=target")
    march = re.search(r"^\\s*-march=\\s+rv64([a-z]+)", target, re.M)
    mabi = re.search(r"^\\s*-mabi=\\s+(\\w+)", target, re.M)
    if march and mabi:
        builds.append((march.group(1).replace("g", "imafd"), mabi.group(1)))
    return builds


def _bulkhead_link(flags):
    march = re.search(r"-march=rv64([a-z]+)", flags)
    mabi = re.search(r"-mabi=(\\w+)", flags)
    if march and mabi:
        have = set(march.group(1).replace("g", "imafd"))
        best = None
        for ext, abi in _bulkhead_builds():
            if abi == mabi.group(1) and set(ext) <= have:
                if best is None or len(ext) > len(best):
                    best = ext
        if best is not None:
            flags = re.sub(r"-march=\\S+", "-march=rv64" + best, flags)
    if not os.path.isabs(_bulkhead_gcc("-print-file-name=libsupc++.a").strip()):
        flags = re.sub(r"\\s-lsupc\\+\\+(?=\\s|$)", "", flags)
    return flags + " --specs=picolibc.specs"


LFLAGS = _bulkhead_link(LFLAGS)
DEVICE = _bulkhead_march(DEVICE) + _BULKHEAD_ADD
CFLAGS = _bulkhead_march(CFLAGS) + _BULKHEAD_ADD
AFLAGS = _bulkhead_march(AFLAGS) + _BULKHEAD_ADD
if "CXXFLAGS" in globals():
    CXXFLAGS = _bulkhead_march(CXXFLAGS) + _BULKHEAD_ADD
''')


def gen_rtconfig_h(copy):
    path = os.path.join(copy, "rtconfig.h")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not re.search(r"^\s*#define\s+RISCV_S_MODE\b", text, re.M):
        block = ("\n/* Bulkhead: S-mode build, linked and entered at 0x80200000 "
                 "(cells/rtthread/build.py) */\n#define RISCV_S_MODE\n\n")
        i = text.rfind("#endif")
        text = text[:i] + block + text[i:] if i >= 0 else text + block
    write(path, text)
    path = os.path.join(copy, ".config")
    text = ""
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
    text = re.sub(r"^# CONFIG_RISCV_S_MODE is not set$", "CONFIG_RISCV_S_MODE=y", text,
                  flags=re.M)
    if not re.search(r"^CONFIG_RISCV_S_MODE=y$", text, re.M):
        text += "CONFIG_RISCV_S_MODE=y\n"
    write(path, text)


def gen_link_lds(copy, src):
    path = os.path.join(copy, "link.lds")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\s*\.text\s*:\s*\{", text, re.M)
    if not m:
        fail(f"{os.path.join(src, BSP, 'link.lds')}: no `.text : {{` output section to "
             "put the boot_hartid slot in (docs/cells/rtthread.md)")
    slot = ("\n        /* Bulkhead: startup_gcc.S's boot_hartid is a label on no bytes;"
            "\n           give it 8 bytes of its own before any code. */"
            "\n        . = ALIGN(8);"
            "\n        KEEP(*startup_gcc.o(.text))"
            "\n        . = ALIGN(8);"
            "\n        . += 8;\n")
    write(path, text[:m.end()] + slot + text[m.end():])


def run_scons(copy, src, gcc, jobs, log):
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env.update(RTT_ROOT=os.path.realpath(src), RTT_EXEC_PATH=os.path.dirname(gcc),
               RTT_CC="gcc", PYTHONDONTWRITEBYTECODE="1")
    print(f"  SCONS   {os.path.join(src, BSP)} -> {copy} (log {log})", flush=True)
    with open(log, "w", encoding="utf-8") as f:
        p = subprocess.run(["scons", f"-j{jobs}"], cwd=copy, env=env, stdout=f,
                           stderr=subprocess.STDOUT)
    if p.returncode != 0:
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        first = next((l for l in lines if re.search(r"\berror\b", l, re.I)),
                     lines[-1] if lines else "no output")
        fail(f"scons failed in {copy} (exit {p.returncode}): {first.strip()} (full log: {log})")


SLOT_REMEDY = ("the build's slot (KEEP(*startup_gcc.o(.text)) in link.lds) did not take it "
               "(docs/cells/rtthread.md)")


def check_boot_hartid(elf, remedy=SLOT_REMEDY):
    """boot_hartid must not share its first 4 bytes with code (the 5.0.0 store
    `sw a0, boot_hartid` would overwrite that code's first instruction).
    Returns its address, or None for an image without the symbol."""
    p = subprocess.run([CROSS + "nm", "-n", "-S", "--defined-only", elf], capture_output=True,
                       text=True)
    if p.returncode != 0:
        fail(f"{elf}: nm cannot read it: {(p.stderr.splitlines() or [''])[0]}")
    syms = []
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) == 4:
            syms.append((int(f[0], 16), int(f[1], 16), f[2], f[3]))
        elif len(f) == 3:
            syms.append((int(f[0], 16), 0, f[1], f[2]))
    slot = [s for s in syms if s[3] == "boot_hartid"]
    if not slot:
        return None
    addr, size = slot[0][0], slot[0][1]
    if size >= 4:
        return addr
    for a, sz, t, name in syms:
        if name == "boot_hartid" or t not in "tTwW" or name.startswith(".L"):
            continue
        if addr <= a < addr + 4 or (sz and a <= addr < a + sz):
            fail(f"{elf}: boot_hartid ({addr:#x}) shares its bytes with {name} ({a:#x}): "
                 "RT-Thread 5.0.0's startup_gcc.S declares it with a bare `.int` and its store "
                 f"of the hart id would overwrite {name}'s first instruction; {remedy}")
    return addr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", required=True, help="RT-Thread checkout")
    ap.add_argument("--out", required=True, help="build directory of RT-Thread")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    src = args.src.rstrip("/") or "/"
    out = os.path.abspath(args.out)

    check_checkout(src)
    gcc = check_tools()
    elf = os.path.join(out, "rtthread.elf")
    stamp = os.path.join(out, "fingerprint")
    digest = fingerprint(src, gcc)
    if os.path.isfile(elf) and os.path.isfile(stamp):
        with open(stamp, encoding="utf-8") as f:
            if f.read().strip() == digest:
                print(f"rtthread: {src} unchanged since the last build, using {elf}")
                return 0

    copy = os.path.join(out, "bsp")
    stubs = os.path.join(out, "picolibc")
    os.makedirs(stubs, exist_ok=True)
    shutil.copyfile(os.path.join(HERE, "picolibc", "reent.h"), os.path.join(stubs, "reent.h"))
    copy_bsp(src, copy)
    apps = os.path.join(copy, "applications")
    if not os.path.isdir(apps):
        fail(f"{os.path.join(src, BSP)} has no applications/ directory for picolibc's stdout "
             "(docs/cells/rtthread.md)")
    shutil.copyfile(os.path.join(HERE, "picolibc", "bulkhead_picolibc.c"),
                    os.path.join(apps, "bulkhead_picolibc.c"))
    gen_rtconfig_py(copy, src, gcc, stubs)
    gen_rtconfig_h(copy)
    gen_link_lds(copy, src)
    if os.path.exists(stamp):
        os.remove(stamp)
    run_scons(copy, src, gcc, args.jobs, os.path.join(out, "scons.log"))

    built = os.path.join(copy, "rtthread.elf")
    if not os.path.isfile(built):
        fail(f"scons ended without {built} (log {os.path.join(out, 'scons.log')})")
    slot = check_boot_hartid(built)
    shutil.copy2(built, elf)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(digest + "\n")
    where = f", boot_hartid in its own slot at {slot:#x}" if slot is not None else ""
    print(f"rtthread: built {elf} from {src}{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
