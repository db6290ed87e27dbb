# SPDX-License-Identifier: Apache-2.0
"""Bulkhead runner library, shared by tools/run.py and the system tests.

    import sys; sys.path.insert(0, "<repo>/tools")
    from bulkhead_run import run_headless
    r = run_headless("build/baremetal-pair", 8, ["wait-for rtos ^tick", "at 0 rtos hello"],
                     stop_when=lambda r: any("echo: hello" in l for l in r.cells["rtos"]))
    r.cells["rtos"], r.hypervisor
"""

from .demux import HYP_SOURCE, Demux, Listener, tagged, terminal_safe
from .headless import KEYSTROKE_DELAY, Console, RunResult, run_headless
from .link import QemuLink, SerialLink
from .script import Action, ScriptError, load_script, parse_script
from .system import (ROOT, Cell, RunnerError, System, banner, default_platform_file,
                     gdb_hint, key_name, load_system, qemu_command, read_platform_options,
                     read_system_options)

__all__ = ["Action", "Cell", "Console", "Demux", "HYP_SOURCE", "KEYSTROKE_DELAY", "Listener",
           "QemuLink", "ROOT", "RunResult", "RunnerError", "ScriptError", "SerialLink", "System",
           "banner", "default_platform_file", "gdb_hint", "key_name", "load_script",
           "load_system", "parse_script", "qemu_command", "read_platform_options",
           "read_system_options", "run_headless", "tagged", "terminal_safe"]
