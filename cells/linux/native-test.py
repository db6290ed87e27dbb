#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot the Linux cell image natively (QEMU virt + OpenSBI, no hypervisor)
and drive its init and BusyBox's shell: the reference the hypervisor's
Linux cell is held to.

  cells/linux/native-test.py [--image build/images/linux.bin]
                             [--console ttyS0|hvc0] [--aia] [--smp 2]
                             [--log FILE]

Checks the banner, `uname:`, `cpus: <smp>`, `memtotal-kb:`, the
/proc/interrupts dump, then sends `echo`, `cat`, an unknown command and
`poweroff` to the shell, and requires QEMU to exit by itself (SBI SRST
shutdown).
Exit status 0 when every check passed; the console log is printed.
"""
import argparse
import os
import re
import select
import shlex
import subprocess
import sys
import time

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"


class Console:
    def __init__(self, proc):
        self.proc = proc
        self.buf = b""

    def read_until(self, pattern, timeout):
        """Waits until the regex `pattern` (bytes) matches new output."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.5))
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    m = rx.search(self.buf)
                    return m
                self.buf += chunk

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--image", default="build/images/linux.bin")
    ap.add_argument("--console", choices=["ttyS0", "hvc0"], default="ttyS0")
    ap.add_argument("--aia", action="store_true", help="-M virt,aia=aplic-imsic")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--log", help="also write the console log here")
    args = ap.parse_args()

    machine = "virt,aia=aplic-imsic" if args.aia else "virt"
    # earlycon: the NS16550 named by stdout-path, or the SBI debug console.
    earlycon = "earlycon" if args.console == "ttyS0" else "earlycon=sbi"
    cmd = ["qemu-system-riscv64", "-M", machine, "-cpu", "rv64",
           "-smp", str(args.smp), "-m", args.mem, "-bios", OPENSBI,
           "-kernel", args.image, "-append",
           f"console={args.console} {earlycon}",
           "-serial", "stdio", "-display", "none", "-monitor", "none",
           "-no-reboot"]
    print("+ " + shlex.join(cmd), flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    con = Console(proc)
    failures = []

    def expect(pattern, what, timeout=30.0):
        m = con.read_until(pattern, timeout)
        if m is None:
            failures.append(what)
        return m

    log_parts = []
    ok = expect(rb"linux# ", "prompt after the boot report", args.timeout)
    boot_s = time.monotonic() - t0
    if ok:
        expect(rb"bulkhead-linux: init started\r*\n", "banner", 1)
        expect(rb"uname: Linux 6\.12\.\S+ riscv64\r*\n", "uname line", 1)
        expect(rb"\ncpus: %d\r*\n" % args.smp, f"cpus: {args.smp}", 1)
        expect(rb"\nmemtotal-kb: [1-9][0-9]*\r*\n", "memtotal-kb", 1)
        expect(rb"interrupts:\r*\n\s+CPU0", "/proc/interrupts", 1)
        log_parts.append(con.buf)
        # One command at a time: each waits for the prompt that follows it.
        for line, answer, what in (
                ("echo hello bulkhead", rb"\nhello bulkhead\r*\n", "echo"),
                ("cat /proc/version", rb"\nLinux version 6\.12", "cat /proc/version"),
                ("frobnicate now", rb"\nsh: frobnicate: not found\r*\n",
                 "unknown command")):
            con.buf = b""
            con.send(line + "\n")
            if expect(answer, what):
                expect(rb"linux# ", f"prompt after {line}")
            log_parts.append(con.buf)
        con.buf = b""
        con.send("poweroff\n")
        expect(rb"reboot: Power down", "poweroff message")
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        failures.append("QEMU still running after poweroff")
        proc.kill()
        proc.wait()
    con.read_until(rb"(?!)", 0.2)  # collect what is left
    log_parts.append(con.buf)
    log = b"".join(log_parts).decode(errors="replace")
    sys.stdout.write(log)
    if args.log:
        with open(args.log, "w") as f:
            f.write(log)
    total_s = time.monotonic() - t0
    print(f"\nnative-test: console={args.console} aia={args.aia} "
          f"prompt after {boot_s:.1f} s, QEMU exited {proc.returncode} "
          f"after {total_s:.1f} s")
    if failures:
        print("native-test: FAILED: " + ", ".join(failures))
        return 1
    print("native-test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
