#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A stand-in for qemu-system-riscv64 that talks like Bulkhead's console, for the
runner's self-tests (tests/suites/runner_selftest.py, console_views.py). Use it
through BULKHEAD_QEMU="/usr/bin/python3 tests/lib/fake_qemu.py" or
run_headless(qemu=[...]).

It reads system.json beside the -kernel file and then, on stdout, speaks the
hypervisor's console stream (docs/runner.md, "The console stream"): bytes go
out as soon as a "cell" prints them, under "[<cell>] "; when another source
must print while a cell's line is open, that physical line is ended with
"\r\n" and the cell's next bytes come under "[<cell>]+ ".
  - prints an untagged firmware banner and "[bulkhead] ..." boot lines;
  - prints "[<cell>] <cell>: boot hart <h>" for every cell not named silent*;
  - cell 0 prints "tick <n>" (n = 1, 2, ...) every -fake-tick seconds (default 0.1);
  - writes its output in small pieces, like a slow UART.
On stdin it implements the hypervisor's console keys (src/core/console.c):
  key <cell number> focus -> "[bulkhead] console: input goes to cell <name>" (the
  number ends by itself once no further digit could name a cell, else with Enter);
  key s -> "[bulkhead] stats: ..." lines; key key -> the key byte to the focused cell;
  key <other> -> help lines. A cell echoes each input line ended by \r or \n as
  "[<cell>] echo: <line>" and reports control bytes as "[<cell>] key 0x<hex>".
  A shell cell (-fake-shell) instead behaves like a serial shell: it prints the
  prompt "<cell>> " without a newline, echoes every key as typed, answers
  Backspace (0x7f or 0x08) with "\b \b", and on Enter prints a newline,
  "echo: <line>" and the prompt again.
Options (besides QEMU's, which are accepted and ignored):
  -fake-fail            complain like QEMU about a bad option and exit 1 at once
  -fake-exit-after S    exit 0 after S seconds, like a guest shutting the machine down,
                        after printing "[<last cell>] last words" without a newline
  -fake-ignore-term     ignore SIGTERM (the runner must then kill it)
  -fake-tick S          tick period of cell 0
  -fake-shell A,B       the cells that behave as shells
  -fake-prompt-at S     when the shells print their first prompt (default 0.3 s)
Environment: FAKE_QEMU_ARGV=<file> gets the argument list as JSON;
FAKE_QEMU_INPUT=<file> gets every input byte as received, and <file>.times one
line "<time> <hex bytes>" per read; FAKE_QEMU_EVENTS=<file> gets a line
"<time.time()> prompt <cell>" when a shell's first prompt has been written.
"""

import json
import os
import signal
import sys
import threading
import time

CHUNKS = (1, 4, 2, 7, 3, 5)


class Mux:
    """The hypervisor's side of the console stream: who has the open physical
    line, which sources have a logical line that is not ended."""

    def __init__(self):
        self.lock = threading.RLock()
        self.open = None          # source whose physical line is open
        self.segment = 0          # characters on that physical line
        self.unended = set()      # sources whose last logical line has not ended
        self.pieces = 0

    def emit(self, source, text):
        out = []
        with self.lock:
            for ch in text:
                if ch == "\b" and (self.open != source or self.segment == 0):
                    continue      # a backspace never reaches the tag
                if source != self.open:
                    if self.open is not None:
                        out.append("\r\n")
                    plus = "+" if source in self.unended else ""
                    out.append(f"[{source}]{plus} ")
                    self.open, self.segment = source, 0
                if ch == "\n":
                    out.append("\r\n")
                    self.open = None
                    self.unended.discard(source)
                    continue
                if ch == "\b":
                    self.segment -= 1
                else:
                    self.segment += 1
                self.unended.add(source)
                out.append(ch)
            self.write("".join(out).encode("utf-8"))

    def write(self, data):
        with self.lock:
            i = 0
            while i < len(data):
                size = CHUNKS[self.pieces % len(CHUNKS)]
                os.write(1, data[i:i + size])
                i += size
                self.pieces += 1


class Fake:
    def __init__(self, system, input_log, shells=(), events=None):
        self.cells = sorted(system["cells"], key=lambda c: c.get("index", 0))
        self.key = int(system.get("console_switch_key", 0x14))
        self.focus = 0
        self.number = None       # a cell number being typed after the key
        self.pending = False
        self.lines = {c["name"]: b"" for c in self.cells}
        self.mux = Mux()
        self.lock = self.mux.lock
        self.input_log = input_log
        self.shells = set(shells)
        self.events = events

    def write_line(self, tag, text):
        if tag:
            self.mux.emit(tag, text + "\n")
        else:
            self.mux.write(f"{text}\r\n".encode())

    def prompt(self, name, first=False):
        self.mux.emit(name, f"{name}> ")
        if first and self.events:
            with open(self.events, "a", encoding="ascii") as f:
                f.write(f"{time.time():.6f} prompt {name}\n")

    def deliver(self, byte):
        name = self.cells[self.focus]["name"]
        if name in self.shells:
            self.shell_key(name, byte)
        elif byte in (0x0D, 0x0A):
            self.write_line(name, "echo: " + self.lines[name].decode("utf-8", "replace"))
            self.lines[name] = b""
        elif byte < 0x20 or byte == 0x7F:
            self.write_line(name, f"key 0x{byte:02x}")
        else:
            self.lines[name] += bytes([byte])

    def shell_key(self, name, byte):
        with self.lock:
            if byte in (0x0D, 0x0A):
                line = self.lines[name].decode("utf-8", "replace")
                self.lines[name] = b""
                self.mux.emit(name, f"\necho: {line}\n")
                self.prompt(name)
            elif byte in (0x7F, 0x08):
                if self.lines[name]:
                    text = self.lines[name].decode("utf-8", "replace")[:-1]
                    self.lines[name] = text.encode("utf-8")
                    self.mux.emit(name, "\b \b")
            elif byte < 0x20:
                self.mux.emit(name, f"\nkey 0x{byte:02x}\n")
                self.prompt(name)
            else:
                self.lines[name] += bytes([byte])
                self.mux.emit(name, chr(byte))

    def focus_cell(self, n):
        if n < len(self.cells):
            self.focus = n
            self.write_line("bulkhead", "console: input goes to cell " + self.cells[n]["name"])
        else:
            self.write_line("bulkhead", f"console: no cell {n} (0-{len(self.cells) - 1})")

    def number_digit(self, byte):
        self.number = (self.number or 0) * 10 + byte - ord("0")
        if self.number == 0 or self.number * 10 >= len(self.cells):
            n, self.number = self.number, None
            self.focus_cell(n)

    def receive(self, byte):
        digit = ord("0") <= byte <= ord("9")
        if self.number is not None:
            if digit:
                self.number_digit(byte)
                return
            n, self.number = self.number, None
            if byte in (0x0A, 0x0D):
                self.focus_cell(n)
            else:
                self.write_line("bulkhead", "console: help: key then cell number, s, h")
        elif self.pending:
            self.pending = False
            if digit:
                self.number_digit(byte)
            elif byte == ord("s"):
                for c in self.cells:
                    self.write_line("bulkhead", f"stats: {c['name']}: sbi 0 mmio 0 faults 0")
            elif byte == self.key:
                self.deliver(byte)
            else:
                self.write_line("bulkhead", "console: help: key then cell number, s, h")
        elif byte == self.key:
            self.pending = True
        else:
            self.deliver(byte)

    def read_input(self):
        while True:
            try:
                data = os.read(0, 256)
            except OSError:
                return
            if not data:
                return
            if self.input_log:
                with open(self.input_log, "ab") as f:
                    f.write(data)
                with open(self.input_log + ".times", "a", encoding="ascii") as f:
                    f.write(f"{time.time():.6f} {data.hex()}\n")
            for b in data:
                self.receive(b)


def main(argv):
    opts = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-fake-fail", "-fake-ignore-term", "-S", "-s"):
            opts[a] = True
            i += 1
        elif a.startswith("-") and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            opts[a] = argv[i + 1]
            i += 2
        else:
            opts[a] = True
            i += 1
    if os.environ.get("FAKE_QEMU_ARGV"):
        with open(os.environ["FAKE_QEMU_ARGV"], "w", encoding="utf-8") as f:
            json.dump(argv, f)
    if "-fake-fail" in opts:
        sys.stderr.write("qemu-system-riscv64: -fake-fail: invalid option\n")
        return 1
    kernel = opts.get("-kernel")
    if not isinstance(kernel, str) or not os.path.isfile(kernel):
        sys.stderr.write(f"qemu-system-riscv64: could not load kernel '{kernel}'\n")
        return 1
    with open(os.path.join(os.path.dirname(kernel), "system.json"), encoding="utf-8") as f:
        system = json.load(f)

    if "-fake-ignore-term" in opts:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        def on_term(signum, frame):
            sys.stderr.write(f"qemu-system-riscv64: terminating on signal {signum}\n")
            sys.stderr.flush()
            os._exit(0)
        signal.signal(signal.SIGTERM, on_term)

    shells = [n for n in str(opts.get("-fake-shell", "")).split(",") if n]
    fake = Fake(system, os.environ.get("FAKE_QEMU_INPUT"), shells,
                os.environ.get("FAKE_QEMU_EVENTS"))
    tick = float(opts.get("-fake-tick", 0.1))
    exit_after = float(opts["-fake-exit-after"]) if "-fake-exit-after" in opts else None
    prompt_at = float(opts.get("-fake-prompt-at", 0.3))
    prompted = not shells
    start = time.monotonic()
    try:
        fake.mux.write(b"\r\nOpenSBI v1.5.1 (fake)\r\n")
        fake.write_line(None, "Platform Name             : riscv-virtio,qemu (fake)")
        fake.write_line("bulkhead", f"Bulkhead (fake) booting {len(fake.cells)} cells")
        for c in fake.cells:
            if not c["name"].startswith("silent"):
                harts = c.get("harts") or [0]
                fake.write_line(c["name"], f"{c['name']}: boot hart {harts[0]}")
        threading.Thread(target=fake.read_input, daemon=True).start()
        n = 0
        next_tick = 0.0
        never = float("inf")
        while True:
            now = time.monotonic() - start
            if exit_after is not None and now >= exit_after:
                fake.mux.emit(fake.cells[-1]["name"], "last words")
                return 0
            if not prompted and now >= prompt_at:
                prompted = True
                for name in shells:
                    fake.prompt(name, first=True)
            if now >= next_tick:
                n += 1
                fake.write_line(fake.cells[0]["name"], f"tick {n}")
                next_tick += tick
            wake = min(next_tick, never if prompted else prompt_at,
                       never if exit_after is None else exit_after)
            time.sleep(max(0.0, wake - (time.monotonic() - start)))
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
