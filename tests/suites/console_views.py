# SPDX-License-Identifier: Apache-2.0
"""The runner's views of the console stream against a fake QEMU
(tests/lib/fake_qemu.py) and a fake board on a pty: a prompt without a newline
reaches the headless log within 50 ms and satisfies a wait-for; typed keys,
Backspace and interrupted lines end up right in the logs; --serial works on a
pty; the split view under tmux sends keys typed into a pane to that cell only
and shows each cell's answer in its own pane."""

import json
import os
import pty
import select
import re
import shutil
import subprocess
import threading
import time
import tty

from bhtest import FAKE_QEMU, PYTHON, ROOT, Skip, excerpt, run_headless

FAKE = [PYTHON, FAKE_QEMU]
RUN_PY = os.path.join(ROOT, "tools", "run.py")
SYSTEM = {
    "system": "fakeviews", "platform": "qemu-virt", "console_switch_key": 20,
    "cells": [
        {"index": 0, "name": "alpha", "harts": [0]},
        {"index": 1, "name": "beta", "harts": [1]},
        {"index": 2, "name": "silent", "harts": [2]},
    ],
}
PROMPT_LATENCY = 0.050   # seconds: the bound for a prompt to reach the log


class Env:
    def __init__(self, build):
        self.dir = os.path.join(build, "console-views")
        self.sys = os.path.join(self.dir, "sys")
        os.makedirs(self.sys, exist_ok=True)
        with open(os.path.join(self.sys, "system.json"), "w", encoding="utf-8") as f:
            json.dump(SYSTEM, f)
        with open(os.path.join(self.sys, "bulkhead.elf"), "wb") as f:
            f.write(b"\x7fELF fake")
        self.platform = os.path.join(self.dir, "platform.qemu")
        with open(self.platform, "w", encoding="utf-8") as f:
            f.write("-machine virt\n")
        self.logs = os.path.join(self.sys, "logs")

    def log(self, name):
        with open(os.path.join(self.logs, name + ".log"), encoding="utf-8") as f:
            return f.read().splitlines()


_env = None


def env(ctx):
    global _env
    if _env is None:
        _env = Env(ctx.build)
    return _env


def t_prompt_reaches_log(ctx):
    e = env(ctx)
    events = os.path.join(e.dir, "events.txt")
    if os.path.exists(events):
        os.unlink(events)
    shutil.rmtree(e.logs, ignore_errors=True)    # the watcher must not see an old run's log
    log = os.path.join(e.logs, "beta.log")
    raw = os.path.join(e.logs, "console.raw.log")
    seen = {}
    done = threading.Event()

    def watch():
        # Poll the log as a person's `tail -f` would, every millisecond.
        while not done.is_set():
            try:
                with open(log, encoding="utf-8") as f:
                    text = f.read()
                if "beta> " in text:
                    seen["at"] = time.time()
                    seen["log"] = text
                    with open(raw, "rb") as f:
                        seen["raw"] = f.read()
                    return
            except OSError:
                pass
            time.sleep(0.001)

    w = threading.Thread(target=watch, daemon=True)
    w.start()
    # Nothing else prints after the prompt (cell 0 ticks every 10 s), so its
    # physical line stays open: only partial-line handling can show it.
    r = run_headless(e.sys, 5, None, ["-fake-shell", "beta", "-fake-tick", "10",
                                      "-fake-prompt-at", "0.5"],
                     stop_when=lambda r: "at" in seen, platform_qemu=e.platform, qemu=FAKE,
                     env=dict(os.environ, FAKE_QEMU_EVENTS=events))
    done.set()
    w.join(2)
    assert "at" in seen, "beta.log never showed the prompt; " + excerpt(r.cells["beta"], title="beta")
    with open(events, encoding="ascii") as f:
        printed = float(f.read().split()[0])
    delay = seen["at"] - printed
    # (The fake notes the time just after writing, so a few microseconds early is fine.)
    assert delay > -0.005, f"the prompt was in beta.log {-delay:.3f} s before it was printed"
    assert delay < PROMPT_LATENCY, f"the prompt reached beta.log {delay * 1000:.1f} ms after " \
        f"the cell printed it (bound {PROMPT_LATENCY * 1000:.0f} ms)"
    assert seen["log"].splitlines()[-1] == "beta> ", repr(seen["log"])
    assert not seen["raw"].endswith(b"\r\n"), \
        f"the prompt's line was ended, not a partial line: {seen['raw'][-80:]!r}"
    assert r.cells["beta"][-1] == "beta> ", r.cells["beta"]


def t_wait_for_prompt_and_editing(ctx):
    e = env(ctx)
    r = run_headless(e.sys, 10, [
        "wait-for beta ^beta> $ 5",
        "at 0.3 beta !key 6c 78 7f 73 0d",          # l x Backspace s Enter
        "wait-for beta ^echo: ls$ 5",
        "at 0 beta !key 6f 6b 08 08 6e 6f 0d",      # o k BS BS n o Enter
        "wait-for beta ^echo: no$ 5",
    ], ["-fake-shell", "beta", "-fake-tick", "0.05", "-fake-prompt-at", "0.2"],
        stop_when=lambda r: r.script_done, platform_qemu=e.platform, qemu=FAKE,
        # Keys in one go: a tick between a character and its Backspace would
        # end the physical line, and a backspace never crosses a tag (the
        # line would then rightly keep the character).
        keystroke_delay=0)
    assert r.script_error is None, r.script_error + "; " + excerpt(r.cells["beta"], title="beta")
    beta = e.log("beta")
    assert beta == r.cells["beta"], (beta, r.cells["beta"])
    # The prompt and the echo of what was typed are one line, Backspace applied,
    # although alpha's ticks ended the physical line again and again.
    assert beta[1:6] == ["beta> ls", "echo: ls", "beta> no", "echo: no", "beta> "], beta
    with open(os.path.join(e.logs, "console.raw.log"), "rb") as f:
        raw = f.read()
    assert b"[beta]+ " in raw, "no interrupted line in this run: the test proves nothing"
    assert not any(l.startswith("[") for l in r.cells["alpha"]), "a tag left in alpha's lines"
    assert "[beta] beta> ls" in r.raw and "[beta] echo: no" in r.raw, excerpt(r.raw)


class FakeBoard:
    """A board on the far side of a pty: prints a hypervisor line and a prompt,
    echoes what it is sent under its cell's tag, closes after `seconds`."""

    def __init__(self, seconds):
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)    # a UART does not echo; the runner sets raw mode too
        self.path = os.ttyname(self.slave)
        self.got = bytearray()
        self.command = False
        self.seconds = seconds
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        os.write(self.master, b"[bulkhead] board up\r\n[alpha] alpha> ")
        end = time.monotonic() + self.seconds
        while time.monotonic() < end:
            r, _, _ = select.select([self.master], [], [], 0.05)
            if not r:
                continue
            data = os.read(self.master, 1024)
            self.got += data
            # The cell in focus echoes printable keys at once; Ctrl-T and the
            # byte after it are the hypervisor's.
            echo = bytearray()
            for b in data:
                if self.command:
                    self.command = False
                elif b == 0x14:
                    self.command = True
                elif 0x20 <= b < 0x7F:
                    echo.append(b)
            if echo:
                os.write(self.master, bytes(echo))
        os.write(self.master, b"\r\n[bulkhead] board down\r\n")
        time.sleep(0.2)
        os.close(self.master)

    def start(self):
        self.thread.start()
        return self

    def close(self):
        self.thread.join(10)
        os.close(self.slave)


def t_serial_headless(ctx):
    e = env(ctx)
    board = FakeBoard(3).start()
    try:
        r = run_headless(e.sys, 10, ["wait-for alpha ^alpha> $ 3", "at 0 alpha !key 6c 73"],
                         stop_when=lambda r: r.cells["alpha"][-1:] == ["alpha> ls"],
                         serial=board.path)
    finally:
        board.close()
    assert r.stopped == "stop_when", f"{r.stopped}: " + excerpt(r.raw)
    assert r.cells["alpha"] == ["alpha> ls"], r.cells["alpha"]
    assert r.hypervisor[0] == "[bulkhead] board up", r.hypervisor
    assert bytes(board.got).startswith(b"\x140ls"), bytes(board.got)
    assert e.log("alpha") == ["alpha> ls"]


def t_serial_interactive_cli(ctx):
    e = env(ctx)
    board = FakeBoard(1.5).start()
    try:
        p = subprocess.run([PYTHON, RUN_PY, "--build", e.sys, "--serial", board.path],
                           input=b"pwd\r", capture_output=True, timeout=30)
    finally:
        board.close()
    out = p.stdout.decode("utf-8", "replace")
    assert p.returncode == 0, (p.returncode, p.stderr.decode())
    assert "[alpha] alpha> pwd" in out.splitlines(), out
    assert "[bulkhead] board down" in out.splitlines(), "the run ended before the board did"
    assert bytes(board.got) == b"pwd\r", f"keys sent {bytes(board.got)!r}, expected b'pwd\\r'"
    assert e.log("alpha") == ["alpha> pwd"], e.log("alpha")
    p = subprocess.run([PYTHON, RUN_PY, "--build", e.sys, "--serial",
                        os.path.join(e.dir, "no-such-tty"), "--seconds", "1"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1 and "cannot open serial port" in p.stderr and "no-such-tty" in \
        p.stderr, (p.returncode, p.stderr)


# ------------------------------------------------------------------ split view
class Split:
    """tools/run.py --view split on a fake QEMU, in a detached session of a
    private tmux server."""

    def __init__(self, e):
        self.server = f"bh-test-{os.getpid()}"
        self.session = SYSTEM["system"]
        environ = dict(os.environ, BULKHEAD_QEMU=f"{PYTHON} {FAKE_QEMU}")
        environ.setdefault("TERM", "xterm")
        environ.pop("TMUX", None)
        self.proc = subprocess.Popen(
            [PYTHON, RUN_PY, "--build", e.sys, "--platform-qemu", e.platform, "--view", "split",
             "--detached", "--tmux-server", self.server, "--extra-qemu",
             "-fake-shell alpha,beta -fake-tick 5 -fake-prompt-at 0.3"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environ)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.server] + list(args), capture_output=True,
                              text=True, timeout=10)

    def pane(self, i):
        p = self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", f"{self.session}:0.{i}")
        return p.stdout if p.returncode == 0 else ""

    def wait(self, i, regex, what, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if re.search(regex, self.pane(i), re.M):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{what}: pane {i} never showed /{regex}/; it shows:\n"
                             f"{self.pane(i)}\nrunner: {self.stderr()}")

    def stderr(self):
        if self.proc.poll() is None:
            return "(running)"
        return self.proc.stderr.read().decode("utf-8", "replace")

    def close(self):
        self.tmux("kill-session", "-t", self.session)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the runner did not end when its tmux session was closed")
        self.tmux("kill-server")


def t_split_view(ctx):
    if shutil.which("tmux") is None:
        raise Skip("tmux is not installed (ci/install-deps.sh installs it)")
    e = env(ctx)
    s = Split(e)
    try:
        # Each pane shows its own cell, without tags.
        s.wait(0, r"^alpha: boot hart 0$", "alpha's boot line")
        s.wait(1, r"^beta: boot hart 1$", "beta's boot line")
        s.wait(3, r"^\[bulkhead\] Bulkhead \(fake\) booting 3 cells$", "the hypervisor's line")
        s.wait(1, r"^beta> $", "beta's prompt (a partial line)")
        panes = s.tmux("list-panes", "-t", f"{s.session}:0", "-F", "#{pane_index} #{pane_title}")
        titles = panes.stdout.split("\n")
        assert len([t for t in titles if t]) == 4, f"want 3 cell panes and 1 for the " \
            f"hypervisor: {panes.stdout!r}"
        # Type into beta's pane: cell 0 has the focus, so the runner moves it.
        s.tmux("send-keys", "-t", f"{s.session}:0.1", "-l", "hellp")
        s.tmux("send-keys", "-t", f"{s.session}:0.1", "BSpace")
        s.tmux("send-keys", "-t", f"{s.session}:0.1", "-l", "o")
        s.wait(1, r"^beta> hello$", "beta's echo of the keys, Backspace applied")
        s.tmux("send-keys", "-t", f"{s.session}:0.1", "Enter")
        s.wait(1, r"^echo: hello$", "beta's answer")
        s.wait(3, r"input goes to cell beta$", "the focus switch in the hypervisor's pane")
        for i in (0, 2):
            assert "hello" not in s.pane(i), f"pane {i} shows beta's conversation:\n{s.pane(i)}"
        assert "input goes to" not in s.pane(1), "a hypervisor line in beta's pane"
        assert not re.search(r"^\[", s.pane(1), re.M), f"a tag in beta's pane:\n{s.pane(1)}"
        # Now alpha's pane: the focus goes back, the answer is alpha's alone.
        s.tmux("send-keys", "-t", f"{s.session}:0.0", "-l", "abc")
        s.tmux("send-keys", "-t", f"{s.session}:0.0", "Enter")
        s.wait(0, r"^echo: abc$", "alpha's answer")
        s.wait(3, r"input goes to cell alpha$", "the focus switch back to alpha")
        assert "abc" not in s.pane(1), f"beta's pane shows alpha's input:\n{s.pane(1)}"
        assert s.pane(1).count("echo: hello") == 1, s.pane(1)
        # Keys in the hypervisor's pane are console commands.
        s.tmux("send-keys", "-t", f"{s.session}:0.3", "-l", "s")
        s.wait(3, r"stats: beta: sbi 0", "statistics asked for in the hypervisor's pane")
    finally:
        s.close()
    assert s.proc.returncode == 0, (s.proc.returncode, s.stderr())
    # The logs are written in this view too, tags stripped, lines whole.
    beta = e.log("beta")
    assert "beta> hello" in beta and "echo: hello" in beta, beta
    assert not os.path.exists(os.path.join(e.sys, "console.sock")), "socket left behind"


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "headless_prompt_in_log_within_50ms": ["CON-7", "TOOL-RUN-1"],
    "headless_wait_for_prompt_backspace_continuation": ["CON-1", "CON-3", "TOOL-RUN-2"],
    "serial_pty_*": ["TOOL-RUN-3"],
    "split_view_tmux": ["TOOL-RUN-3"],
}


def collect(ctx):
    tests = [
        ("headless_prompt_in_log_within_50ms", t_prompt_reaches_log),
        ("headless_wait_for_prompt_backspace_continuation", t_wait_for_prompt_and_editing),
        ("serial_pty_headless", t_serial_headless),
        ("serial_pty_interactive_cli", t_serial_interactive_cli),
        ("split_view_tmux", t_split_view),
    ]
    return [(name, (lambda f: lambda: f(ctx))(fn)) for name, fn in tests]
