# SPDX-License-Identifier: Apache-2.0
"""What the runner knows about a built system: build/<name>/system.json and
the platform's QEMU options (dts/<platform>.qemu)."""

import json
import os
import shlex
import shutil
from dataclasses import dataclass, field
from typing import List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULT_SWITCH_KEY = 0x14  # Ctrl-T, CONFIG_CONSOLE_SWITCH_KEY's default
HYPERVISOR_TAG = "bulkhead"
# Files the runner writes into logs/ beside the per-cell logs; a cell with one
# of these names would overwrite them.
RESERVED_NAMES = ("hypervisor", "console.raw", "input", HYPERVISOR_TAG, "hyp")
# Per-system QEMU options in the build directory, same format as dts/<platform>.qemu.
EXTRA_QEMU_FILE = "extra.qemu"
# In a .qemu file, this word stands for the system's build directory: a file
# that make puts there, e.g. the big platforms' firmware
# (-bios {build}/fw_dynamic-big-heap.bin, tools/firmware/firmware.mk).
BUILD_DIR_WORD = "{build}"


class RunnerError(Exception):
    """The system cannot be run: a missing or broken input, or QEMU did not start."""


@dataclass
class Cell:
    index: int
    name: str
    harts: List[int] = field(default_factory=list)


@dataclass
class System:
    name: str
    platform: str
    build_dir: str
    switch_key: int
    cells: List[Cell]

    @property
    def elf(self) -> str:
        return os.path.join(self.build_dir, "bulkhead.elf")

    @property
    def logs_dir(self) -> str:
        return os.path.join(self.build_dir, "logs")

    @property
    def firmware_dtb(self) -> str:
        """The platform tree as the firmware gets it (bhconfig's firmware.dtb:
        harts that run nothing disabled, so OpenSBI sizes itself by the used ones)."""
        return os.path.join(self.build_dir, "firmware.dtb")

    @property
    def extra_qemu_file(self) -> str:
        """The system's own QEMU options (a copy of configs/<name>.qemu made by the
        Makefile, empty if there is none), e.g. the devices its cells drive."""
        return os.path.join(self.build_dir, EXTRA_QEMU_FILE)

    def cell(self, name: str) -> Optional[Cell]:
        for c in self.cells:
            if c.name == name:
                return c
        return None

    def cell_names(self) -> List[str]:
        return [c.name for c in self.cells]

    def focus_keys(self, index: int) -> bytes:
        """What moves the hypervisor's input focus to cell `index`: the switch key
        and the cell's number, with Enter where a longer number starts with it
        (the hypervisor acts on a number once no further digit could name a cell)."""
        complete = index == 0 or index * 10 >= len(self.cells)
        return bytes([self.switch_key]) + str(index).encode() + (b"" if complete else b"\r")


def _int(value, what, path):
    if isinstance(value, bool):
        raise RunnerError(f"{path}: {what} must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            pass
    raise RunnerError(f"{path}: {what} must be a number, not {value!r}")


def load_system(build_dir: str) -> System:
    """Read <build_dir>/system.json (written by the config compiler)."""
    build_dir = os.path.abspath(build_dir)
    path = os.path.join(build_dir, "system.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        name = os.path.basename(build_dir)
        raise RunnerError(f"{path} not found: build the system first (make CONFIG={name})") from None
    except (OSError, ValueError) as e:
        raise RunnerError(f"{path}: cannot read: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or not data["cells"]:
        raise RunnerError(f"{path}: no \"cells\" list")
    cells = []
    for pos, c in enumerate(data["cells"]):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"]:
            raise RunnerError(f"{path}: cell #{pos} has no name")
        name = c["name"]
        if name in RESERVED_NAMES:
            raise RunnerError(f"{path}: cell name '{name}' clashes with the runner's own "
                              f"log files and keywords ({', '.join(RESERVED_NAMES)})")
        if any(ch in name for ch in "/\\[] \t") or name.startswith("."):
            raise RunnerError(f"{path}: cell name '{name}' cannot be used as a log file name or tag")
        index = _int(c.get("index", pos), f"cell '{name}' index", path)
        harts = [_int(h, f"cell '{name}' hart", path) for h in c.get("harts", [])]
        cells.append(Cell(index=index, name=name, harts=harts))
    cells.sort(key=lambda c: c.index)
    seen = set()
    for c in cells:
        if c.name in seen:
            raise RunnerError(f"{path}: two cells are named '{c.name}'")
        seen.add(c.name)
    if [c.index for c in cells] != list(range(len(cells))):
        raise RunnerError(f"{path}: cell indices must be 0..{len(cells) - 1}, "
                          f"got {[c.index for c in cells]}")
    key = _int(data.get("console_switch_key", DEFAULT_SWITCH_KEY), "console_switch_key", path)
    if not 0x01 <= key <= 0x1F:
        raise RunnerError(f"{path}: console_switch_key 0x{key:x} is not a control character")
    return System(name=str(data.get("system") or os.path.basename(build_dir)),
                  platform=str(data.get("platform") or "qemu-virt"),
                  build_dir=build_dir, switch_key=key, cells=cells)


def default_platform_file(system: System) -> str:
    return os.path.join(ROOT, "dts", system.platform + ".qemu")


def read_platform_options(path: str) -> List[str]:
    """Every non-comment line of a .qemu file, split like a shell would
    (dts/<platform>.qemu and build/<name>/extra.qemu alike)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise RunnerError(f"cannot read QEMU options: {e}") from None
    args = []
    for number, line in enumerate(lines, 1):
        try:
            args += shlex.split(line, comments=True)
        except ValueError as e:
            raise RunnerError(f"{path}:{number}: {e}") from None
    return args


def read_system_options(system: System) -> List[str]:
    """The system's extra QEMU options (build/<name>/extra.qemu); none if the
    file is absent (a build from before the Makefile wrote it)."""
    path = system.extra_qemu_file
    if not os.path.isfile(path):
        return []
    return read_platform_options(path)


def qemu_binary() -> List[str]:
    """BULKHEAD_QEMU (a command, split like a shell would) or qemu-system-riscv64."""
    value = os.environ.get("BULKHEAD_QEMU", "").strip()
    return shlex.split(value) if value else ["qemu-system-riscv64"]


def split_extra(extra) -> List[str]:
    if not extra:
        return []
    if isinstance(extra, str):
        return shlex.split(extra)
    out = []
    for item in extra:
        out += shlex.split(item) if isinstance(item, str) else [str(item)]
    return out


def qemu_command(system: System, platform_file: Optional[str] = None, icount=False,
                 gdb=False, extra=None, qemu=None) -> List[str]:
    """The full QEMU command line: the platform's options, the system's own
    (build/<name>/extra.qemu), each with {build} replaced by the system's build
    directory, the runner's fixed ones, then `extra`. The UART is
    QEMU's stdin/stdout directly; no monitor, so every byte typed (Ctrl-A
    included) reaches the hypervisor."""
    cmd = list(qemu) if qemu else qemu_binary()
    options = read_platform_options(platform_file or default_platform_file(system))
    options += read_system_options(system)
    cmd += [a.replace(BUILD_DIR_WORD, system.build_dir) for a in options]
    cmd += ["-display", "none", "-serial", "stdio", "-monitor", "none",
            "-kernel", system.elf]
    if os.path.isfile(system.firmware_dtb):
        cmd += ["-dtb", system.firmware_dtb]
    if icount:
        cmd += ["-icount", "shift=0"]
    if gdb:
        cmd += ["-s", "-S"]
    cmd += split_extra(extra)
    return cmd


def key_name(key: int) -> str:
    """0x14 -> 'Ctrl-T'."""
    return "Ctrl-" + chr(0x40 + key) if 0x01 <= key <= 0x1F else f"0x{key:02x}"


def banner(system: System) -> str:
    k = key_name(system.switch_key)
    cells = ", ".join(f"{c.index}={c.name} (hart{'s' if len(c.harts) != 1 else ''} "
                      f"{','.join(str(h) for h in c.harts) or '-'})" for c in system.cells)
    last = len(system.cells) - 1
    return (f"bulkhead: {system.name} on {system.platform}: cells {cells}. "
            f"Input goes to {system.cells[0].name}; {k} 0..{last} switches it"
            f"{' (Enter ends a number that a longer one starts with)' if last >= 10 else ''}, "
            f"{k} s statistics, {k} h help, {k} {k} types {k}; Ctrl-C quits QEMU.")


def gdb_hint(system: System) -> str:
    gdb = next((g for g in ("gdb-multiarch", "riscv64-unknown-elf-gdb", "riscv64-linux-gnu-gdb")
                if shutil.which(g)), None)
    note = "" if gdb else " (install the Debian package gdb-multiarch)"
    gdb = gdb or "gdb-multiarch"
    return (f"bulkhead: QEMU is stopped before the first instruction and waits for gdb on "
            f"localhost:1234; attach with{note}:\n"
            f"  {gdb} {system.elf} -ex 'target remote localhost:1234'\n"
            f"  (every hart is a gdb thread: 'info threads', 'thread N'; 'continue' starts the system)")
