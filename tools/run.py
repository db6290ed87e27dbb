#!/usr/bin/python3
"""Run a built Bulkhead system under QEMU, interactively or headless."""

import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bulkhead_run import (RunnerError, ScriptError, banner, gdb_hint,  # noqa: E402
                          load_script, load_system, qemu_command, run_headless)
from bulkhead_run.system import DEFAULT_SWITCH_KEY, key_name  # noqa: E402

K = key_name(DEFAULT_SWITCH_KEY)

EPILOG = f"""\
modes:
  interactive (no --seconds): QEMU takes over the terminal; the UART is stdin/stdout.
    Every line shows its source: "[<cell>] ..." for a cell, "[bulkhead] ..." for the
    hypervisor. Typed input goes to the cell in focus (cell 0 at boot).
  headless (--seconds N): QEMU runs on pipes for N seconds of wall time (or until it
    exits); the console is split into BUILD/logs/<cell>.log (tags stripped, one per
    cell, empty if the cell printed nothing), BUILD/logs/hypervisor.log ("[bulkhead]"
    lines and untagged lines such as OpenSBI's banner), BUILD/logs/console.raw.log
    (the bytes as received) and BUILD/logs/input.log (what --input sent, when).

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
  --extra-qemu.
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
    return args


def interactive(args, system):
    cmd = qemu_command(system, args.platform_qemu, icount=args.icount, gdb=args.gdb,
                       extra=args.extra_qemu)
    if not os.path.isfile(system.elf):
        raise RunnerError(f"{system.elf} not found: build it first (make CONFIG={system.name})")
    print(banner(system), file=sys.stderr)
    if args.gdb:
        print(gdb_hint(system), file=sys.stderr)
    sys.stderr.flush()
    try:
        os.execvp(cmd[0], cmd)
    except OSError as e:
        raise RunnerError(f"cannot start QEMU ({cmd[0]}): {e.strerror or e}") from None


def headless(args, system):
    actions = load_script(args.input, system) if args.input else None
    if args.gdb:
        print(gdb_hint(system), file=sys.stderr)

    def echo(line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    r = run_headless(args.build, args.seconds, actions, args.extra_qemu,
                     platform_qemu=args.platform_qemu, icount=args.icount, gdb=args.gdb,
                     echo=None if args.quiet else echo)
    err = r.qemu_stderr
    if r.stopped != "exited":
        # QEMU's own note about the SIGTERM we sent it at the deadline.
        err = "\n".join(l for l in err.splitlines() if "terminating on signal" not in l)
    if err.strip():
        print("qemu: " + err.strip().replace("\n", "\nqemu: "), file=sys.stderr)
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
