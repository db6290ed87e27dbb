#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Run a built Bulkhead system under QEMU, interactively or headless."""

import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bulkhead_run import (QemuLink, RunnerError, ScriptError, SerialLink,  # noqa: E402
                          banner, gdb_hint, load_script, load_system, qemu_command,
                          run_headless)
from bulkhead_run.split import run_split  # noqa: E402
from bulkhead_run.system import DEFAULT_SWITCH_KEY, key_name  # noqa: E402
from bulkhead_run.terminal import run_interactive  # noqa: E402

K = key_name(DEFAULT_SWITCH_KEY)

EPILOG = f"""\
modes:
  interactive (no --seconds): the console on this terminal, keys to the UART as typed
    (raw mode: a key reaches the cell in focus at once). Every line shows its source:
    "[<cell>] ..." for a cell, "[bulkhead] ..." for the hypervisor; "[<cell>]+ ..."
    continues a cell's line that another source interrupted. Input goes to the cell
    in focus (cell 0 at boot). The logs below are written too.
  --view split: one tmux pane per cell, each showing only that cell's console, and
    one for the hypervisor's lines; keys typed into a cell's pane go to that cell,
    keys typed into the hypervisor's pane are console commands ({K} + the key).
    Ctrl-B arrows (or a mouse click) moves between panes; Ctrl-B d ends the run.
  headless (--seconds N): QEMU runs on pipes for N seconds of wall time (or until it
    exits); the console is split into BUILD/logs/<cell>.log (tags stripped, one per
    cell, empty if the cell printed nothing; a prompt is there at once, before its
    line ends), BUILD/logs/hypervisor.log ("[bulkhead]" lines and untagged lines
    such as OpenSBI's banner), BUILD/logs/console.raw.log (the bytes as received)
    and BUILD/logs/input.log (what --input sent, when).
  --serial PATH: the same views on a board's serial port (a tty such as
    /dev/ttyUSB0 at --baud, default 115200, or any path such as a pty) instead of
    QEMU; BUILD/system.json names the cells.

console keys (the command key is console_switch_key from system.json, default {K}):
  {K + " <digit>":<16} input focus to the cell with that index
  {K + " s":<16} hypervisor prints per-cell statistics
  {K + " h":<16} hypervisor prints the keys and the cells
  {K + " " + K:<16} sends {K} itself to the cell in focus
  {"Ctrl-C":<16} quits QEMU (interactive mode; it never reaches a cell:
  {"":<16} a script sends it with '!key 03')

input script (--input FILE, headless only): one action per line, '#' comments
  at <seconds> <cell> <text>          focus <cell>, type <text>, then Enter (\\r)
  at <seconds> <cell> !key <hex>...   focus <cell>, send raw byte(s), e.g. !key 03
                                      (the command key goes twice, so the cell gets it)
  at <seconds> hyp <letter>           command key + <letter>, e.g. 'at 9 hyp s'
  wait-for <cell|hyp> <regex> [timeout]
                                      pause until a new line of that cell's log
                                      (hyp: hypervisor log) matches the regex
  Times count from QEMU's start and start again when a wait-for matches ('at 0'
  after a wait-for = at once); they may not go back otherwise. A final number on
  a wait-for line is its timeout in seconds; a timed-out wait-for ends the script.
  Characters are typed 2 ms apart. Cells are named as in system.json.
  Example:
    wait-for rtos ^tick \\d+ 10
    at 0 rtos hello
    at 0.5 probe !key 03
    at 2 hyp s

QEMU options: dts/<platform>.qemu, then BUILD/extra.qemu (the system's own options,
  copied from configs/<name>.qemu by make; same format), then the runner's, then
  --extra-qemu. {{build}} in a .qemu file stands for BUILD (e.g. the big
  platforms' firmware, -bios {{build}}/fw_dynamic-big-heap.bin).
environment: BULKHEAD_QEMU  QEMU command to use (default qemu-system-riscv64)
exit status: 0 if QEMU ran (also when stopped at the deadline), 1 if it could not
  be run (missing build, bad script, QEMU failed to start). Interactive mode
  exits with QEMU's status.
See docs/runner.md.
"""


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="tools/run.py", description=__doc__, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True, metavar="DIR",
                   help="build directory of the system, e.g. build/baremetal-pair")
    p.add_argument("--platform-qemu", metavar="FILE",
                   help="QEMU options of the platform (default: dts/<platform>.qemu)")
    p.add_argument("--seconds", type=float, metavar="N",
                   help="run headless for N seconds of wall time, logs into BUILD/logs/")
    p.add_argument("--input", metavar="FILE", help="input script (headless only)")
    p.add_argument("--icount", action="store_true",
                   help="add -icount shift=0 (deterministic instruction counts)")
    p.add_argument("--extra-qemu", action="append", default=[], metavar="ARGS",
                   help="more QEMU arguments, split like a shell would (repeatable)")
    p.add_argument("--gdb", action="store_true",
                   help="add -s -S: QEMU waits for gdb on localhost:1234")
    p.add_argument("--quiet", action="store_true",
                   help="headless: do not echo the console to stdout while running")
    p.add_argument("--print-command", action="store_true",
                   help="print the QEMU command line and exit")
    p.add_argument("--view", choices=("plain", "split"), default="plain",
                   help="interactive view: plain (one terminal) or split (tmux, a pane per cell)")
    p.add_argument("--serial", metavar="PATH",
                   help="a board's serial port (tty or pty path) instead of QEMU")
    p.add_argument("--baud", type=int, default=115200, metavar="N",
                   help="baud rate of a --serial tty (default 115200)")
    p.add_argument("--tmux-server", metavar="NAME",
                   help="split view: tmux server socket name (tmux -L NAME; default one per run)")
    p.add_argument("--detached", action="store_true",
                   help="split view: leave the tmux session detached (for scripts and tests); "
                        "the run ends when the session is closed")
    # QEMU options start with '-'; take the word after --extra-qemu as its value
    # whatever it looks like (argparse would otherwise read it as an option).
    fixed = []
    i = 0
    while i < len(argv):
        if argv[i] == "--extra-qemu" and i + 1 < len(argv):
            fixed.append("--extra-qemu=" + argv[i + 1])
            i += 2
        else:
            fixed.append(argv[i])
            i += 1
    args = p.parse_args(fixed)
    if args.input and args.seconds is None:
        p.error("--input needs --seconds: scripted input is for headless runs")
    if args.seconds is not None and args.seconds <= 0:
        p.error("--seconds must be positive")
    if args.view == "split" and args.seconds is not None:
        p.error("--view split is interactive: it does not go with --seconds")
    if args.serial and (args.gdb or args.icount or args.extra_qemu or args.print_command):
        p.error("--serial replaces QEMU: --gdb, --icount, --extra-qemu and --print-command "
                "do not apply")
    return args


def interactive(args, system):
    if args.view == "split" and not args.detached and not (os.isatty(0) and os.isatty(1)):
        raise RunnerError("the split view needs a terminal (run it from one, or use "
                          "--detached and attach with tmux)")
    if args.serial:
        link = SerialLink(args.serial, args.baud)
    else:
        cmd = qemu_command(system, args.platform_qemu, icount=args.icount, gdb=args.gdb,
                           extra=args.extra_qemu)
        if not os.path.isfile(system.elf):
            raise RunnerError(f"{system.elf} not found: build it first "
                              f"(make CONFIG={system.name})")
    print(banner(system) if args.view == "plain" else split_banner(system), file=sys.stderr)
    if args.gdb:
        print(gdb_hint(system), file=sys.stderr)
    sys.stderr.flush()
    if not args.serial:
        link = QemuLink(cmd)
    if args.view == "split":
        status = run_split(system, link, attach=not args.detached, server=args.tmux_server)
    else:
        status = run_interactive(system, link)
    report_stderr(link.stderr_text(), stopped=True)
    return status


def split_banner(system):
    k = key_name(system.switch_key)
    return (f"bulkhead: {system.name}: tmux panes {', '.join(c.name for c in system.cells)} "
            f"and bulkhead; keys go to the pane's cell ({k} commands in the bulkhead pane); "
            f"Ctrl-B arrows move between panes, Ctrl-B d ends the run.")


def report_stderr(err, stopped):
    if stopped:
        # QEMU's own note about the SIGTERM we sent it.
        err = "\n".join(l for l in err.splitlines() if "terminating on signal" not in l)
    if err.strip():
        print("qemu: " + err.strip().replace("\n", "\nqemu: "), file=sys.stderr)


def headless(args, system):
    actions = load_script(args.input, system) if args.input else None
    if args.gdb:
        print(gdb_hint(system), file=sys.stderr)

    last = [b"\n"]

    def stream(data):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        last[0] = data[-1:] or last[0]

    r = run_headless(args.build, args.seconds, actions, args.extra_qemu,
                     platform_qemu=args.platform_qemu, icount=args.icount, gdb=args.gdb,
                     stream=None if args.quiet else stream, serial=args.serial, baud=args.baud)
    if last[0] != b"\n":
        sys.stdout.buffer.write(b"\r\n")   # a partial last line ends before the summary
        sys.stdout.flush()
    report_stderr(r.qemu_stderr, stopped=r.stopped != "exited")
    if r.script_error:
        print(f"bulkhead: input script stopped: {r.script_error}", file=sys.stderr)
    elif actions and not r.script_done:
        print("bulkhead: the run ended before the input script did", file=sys.stderr)
    print("bulkhead: " + r.summary(), file=sys.stderr)
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        system = load_system(args.build)
        if args.print_command:
            print(shlex.join(qemu_command(system, args.platform_qemu, icount=args.icount,
                                        gdb=args.gdb, extra=args.extra_qemu)))
            return 0
        if args.seconds is None:
            return interactive(args, system)
        return headless(args, system)
    except (RunnerError, ScriptError) as e:
        print(f"tools/run.py: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # headless run cut short; QEMU has been stopped
        print("tools/run.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
