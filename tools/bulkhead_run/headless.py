# SPDX-License-Identifier: Apache-2.0
"""Headless runs: QEMU on pipes (or a board's serial port) for a bounded time,
the console stream split into one log per cell, scripted input typed into the
cells."""

import os
import threading
import time
from typing import Callable, Dict, List, Optional

from .demux import HYP as _HYP_SOURCE, Demux, Listener, tagged, terminal_safe
from .link import QemuLink, SerialLink, read_chunk, wait_readable
from .logs import LogWriter, prepare_logs_dir
from .script import HYP, Action, as_actions
from .stats import stats_lines
from .system import (HYPERVISOR_TAG, RunnerError, System, default_platform_file,
                     load_system, qemu_command)

KEYSTROKE_DELAY = 0.002   # seconds between typed characters


class RunResult:
    """What a run saw. Lists grow while the run is going (stop_when and wait-for
    see them live, a partial line such as a prompt included); after run_headless
    returns they are complete.

    cells       name -> list of that cell's logical console lines, tag stripped; the
                last one may still be open (a prompt) and change as text arrives
    hypervisor  '[bulkhead] ...' lines and untagged lines (OpenSBI), as received
    raw         every logical line of every source, in the order they started,
                tagged: '[cell] text' (a continuation after an interruption is
                part of its line), '[bulkhead] ...', untagged lines as they are
    raw_times   time.monotonic() at which each line of raw started (same index)
    stopped     'deadline', 'stop_when' or 'exited' (QEMU ended by itself, or the
                serial port closed)
    qemu_status QEMU's exit status (negative: killed by that signal)
    qemu_stderr what QEMU wrote to its stderr
    script_error  None, or why the input script stopped early (a wait-for timed out,
                  QEMU closed its input)
    script_done   True once every input action was carried out
    input_trace   list of (seconds since start, description) of what was sent / matched
    """

    def __init__(self, system: System, logs_dir: str, command: List[str]):
        self.system = system
        self.logs_dir = logs_dir
        self.command = command
        self.cells: Dict[str, List[str]] = {c.name: [] for c in system.cells}
        self.hypervisor: List[str] = []
        self.hypervisor_ended = 0   # how many hypervisor lines their "\r\n" has ended
        self.raw: List[str] = []
        self.raw_times: List[float] = []
        self.stopped = ""
        self.qemu_status: Optional[int] = None
        self.qemu_stderr = ""
        self.script_error: Optional[str] = None
        self.script_done = False
        self.script_done_at: Optional[float] = None
        self.input_trace: List[tuple] = []
        self.started = time.monotonic()
        self.elapsed = 0.0

    def lines(self, target: str) -> List[str]:
        """Lines of a cell by name, or of the hypervisor log ('hyp' or 'hypervisor')."""
        if target in (HYP, "hypervisor", HYPERVISOR_TAG):
            return self.hypervisor
        return self.cells[target]

    def log_path(self, target: str) -> str:
        name = "hypervisor" if target in (HYP, "hypervisor", HYPERVISOR_TAG) else target
        return os.path.join(self.logs_dir, name + ".log")

    def since_script_done(self) -> float:
        """Seconds since the input script finished (0 if it has not)."""
        if self.script_done_at is None:
            return 0.0
        return time.monotonic() - self.script_done_at

    def summary(self) -> str:
        parts = [f"{n}.log {len(l)} lines" for n, l in self.cells.items()]
        parts.append(f"hypervisor.log {len(self.hypervisor)} lines")
        how = {"deadline": "stopped at the deadline", "stop_when": "stopped early: condition met",
               "exited": f"QEMU exited with status {self.qemu_status}"}.get(self.stopped, self.stopped)
        return f"ran {self.elapsed:.1f} s ({how}); logs in {self.logs_dir}: " + ", ".join(parts)


class _Recorder(Listener):
    """Keeps a RunResult's line lists up to date (caller holds the lock)."""

    def __init__(self, result: RunResult):
        self.result = result
        self.raw_index: Dict[str, int] = {}   # source -> index in raw of its last line

    def _list(self, source):
        return self.result.hypervisor if source == _HYP_SOURCE else self.result.cells[source]

    def line(self, source, text, new):
        r = self.result
        lines = self._list(source)
        if new:
            lines.append(text)
            self.raw_index[source] = len(r.raw)
            r.raw.append(tagged(source, text))
            r.raw_times.append(time.monotonic())
        else:
            lines[-1] = text
            r.raw[self.raw_index[source]] = tagged(source, text)

    def end(self, source, physical):
        if source == _HYP_SOURCE:
            self.result.hypervisor_ended = len(self.result.hypervisor)


class _EchoLines(Listener):
    def __init__(self, echo):
        self.echo = echo

    def end(self, source, physical):
        self.echo(physical)


class Console:
    """The receiving end of the console stream: the raw log, the demultiplexer
    and what it feeds (caller holds the lock)."""

    def __init__(self, system: System, logs_dir: str, result: Optional[RunResult] = None,
                 echo: Optional[Callable[[str], None]] = None,
                 stream: Optional[Callable[[bytes], None]] = None,
                 listeners: Optional[List[Listener]] = None):
        prepare_logs_dir(logs_dir)
        self.logs = LogWriter(logs_dir, system.cell_names())
        self.raw_file = open(os.path.join(logs_dir, "console.raw.log"), "wb")
        self.stream = stream
        more: List[Listener] = [self.logs]
        if result is not None:
            more.append(_Recorder(result))
        if echo is not None:
            more.append(_EchoLines(echo))
        self.demux = Demux(system.cell_names(), more + list(listeners or []))
        self.bytes_seen = 0
        self.eof = False

    def feed(self, data: bytes):
        self.bytes_seen += len(data)
        self.raw_file.write(data)
        self.raw_file.flush()
        self.demux.feed(data)
        if self.stream is not None:
            self.stream(terminal_safe(data))

    def finish(self):
        if not self.eof:
            self.demux.finish()
            self.eof = True

    def close(self):
        self.logs.close()
        self.raw_file.close()


class _Script(threading.Thread):
    """Carries out the input actions in order against the live console."""

    def __init__(self, actions: List[Action], system: System, result: RunResult,
                 cond: threading.Condition, stop: threading.Event, link, trace_file,
                 delay: float):
        super().__init__(name="bulkhead-input", daemon=True)
        self.actions = actions
        self.system = system
        self.result = result
        self.cond = cond
        self.stop = stop
        self.link = link
        self.trace_file = trace_file
        self.delay = delay
        self.cursor: Dict[str, int] = {}

    def trace(self, what: str):
        t = time.monotonic() - self.result.started
        with self.cond:
            self.result.input_trace.append((t, what))
            self.trace_file.write(f"{t:9.3f} {what}\n")
            self.trace_file.flush()

    def _write(self, data: bytes, delay: float):
        for i in range(len(data)):
            if self.stop.is_set():
                raise BrokenPipeError("run ended")
            self.link.write(data[i:i + 1])
            if delay > 0:
                time.sleep(delay)

    def _wait_for(self, a: Action) -> bool:
        key = "hyp" if a.target == HYP else a.target
        end = None if a.timeout is None else time.monotonic() + a.timeout
        matched = None
        with self.cond:
            while True:
                lines = self.result.lines(a.target)
                for i in range(self.cursor.get(key, 0), len(lines)):
                    if a.pattern.search(lines[i]):
                        matched = lines[i]
                        self.cursor[key] = i + 1
                        break
                else:
                    # Later only new lines can match, and the last line unless
                    # it matched already: it may still grow (a partial line, or
                    # one continued after an interruption).
                    self.cursor[key] = max(self.cursor.get(key, 0), len(lines) - 1)
                if matched is not None:
                    break
                if self.stop.is_set():
                    return False
                if self.result.stopped or self.result.qemu_status is not None:
                    return False
                now = time.monotonic()
                if end is not None and now >= end:
                    self.result.script_error = (f"{a.where()}: timed out after {a.timeout:g} s: "
                                                f"{a.describe()}")
                    break
                self.cond.wait(0.5 if end is None else min(0.5, end - now))
        if self.result.script_error:
            self.trace(f"{a.where()} TIMEOUT {a.describe()}")
            return False
        self.trace(f"{a.where()} matched {a.describe()}: {matched!r}")
        return True

    def run(self):
        base = self.result.started
        key = bytes([self.system.switch_key])
        try:
            for a in self.actions:
                if self.stop.is_set():
                    return
                if a.kind == "wait":
                    if not self._wait_for(a):
                        return
                    base = time.monotonic()
                    continue
                if self.stop.wait(max(0.0, base + a.at - time.monotonic())):
                    return
                self.trace(f"{a.where()} {a.describe()}")
                if a.kind == "hyp":
                    self._write(key + a.text.encode("utf-8"), self.delay)
                    continue
                self._write(self.system.focus_keys(a.cell_index), self.delay)
                data = a.data if a.kind == "key" else a.text.encode("utf-8") + b"\r"
                # The hypervisor passes the command key on only when it comes twice.
                self._write(data.replace(key, key + key), self.delay)
            with self.cond:
                self.result.script_done = True
                self.result.script_done_at = time.monotonic()
                self.cond.notify_all()
        except (BrokenPipeError, OSError, ValueError):
            if not self.stop.is_set():
                with self.cond:
                    self.result.script_error = "QEMU closed its input before the script ended"
                self.trace("QEMU closed its input")


def run_headless(build_dir: str, seconds: float, input_actions=None, extra_qemu=None,
                 stop_when: Optional[Callable[[RunResult], bool]] = None, *,
                 platform_qemu: Optional[str] = None, icount: bool = False, gdb: bool = False,
                 qemu: Optional[List[str]] = None, echo: Optional[Callable[[str], None]] = None,
                 stream: Optional[Callable[[bytes], None]] = None,
                 keystroke_delay: float = KEYSTROKE_DELAY, env=None,
                 serial: Optional[str] = None, baud: int = 115200) -> RunResult:
    """Run build_dir/bulkhead.elf under QEMU for at most `seconds` of wall time.

    input_actions: None, input-script text, or a list of script lines / Action objects
    (see bulkhead_run.script). extra_qemu: extra QEMU arguments (string or list).
    stop_when(result) is called whenever output arrives (and a few times a second);
    returning True ends the run early. platform_qemu defaults to
    dts/<platform>.qemu; qemu (a command as a list) overrides BULKHEAD_QEMU.
    echo(line) gets every physical line of the stream when it ends (as on the
    wire, tag included); stream(bytes) gets the bytes as they arrive, made safe
    for a terminal. serial: a board's serial port (a tty or pty path) instead of
    QEMU, at `baud` if it is a tty.
    Logs go to build_dir/logs/. Raises RunnerError if the system cannot be run or
    QEMU fails to start; ScriptError for a bad input script.
    """
    system = load_system(build_dir)
    actions = as_actions(input_actions, system)
    if serial is None:
        if not os.path.isfile(system.elf):
            raise RunnerError(f"{system.elf} not found: build it first (make CONFIG={system.name})")
        cmd = qemu_command(system, platform_qemu or default_platform_file(system), icount=icount,
                           gdb=gdb, extra=extra_qemu, qemu=qemu)
    else:
        cmd = ["serial", serial]
    result = RunResult(system, system.logs_dir, cmd)
    cond = threading.Condition()
    stop = threading.Event()
    console = Console(system, system.logs_dir, result, echo=echo, stream=stream)
    trace_file = open(os.path.join(system.logs_dir, "input.log"), "w", encoding="utf-8")
    link = None
    script = None
    reader = None
    try:
        link = SerialLink(serial, baud) if serial is not None else QemuLink(cmd, env)
        result.started = time.monotonic()

        def read_stream():
            fd = link.read_fd
            while True:
                # A serial port never ends by itself: look at `stop` now and then.
                if serial is not None and not wait_readable(fd, 0.2):
                    if stop.is_set():
                        return
                    continue
                data = read_chunk(fd)
                with cond:
                    if data:
                        console.feed(data)
                    else:
                        console.finish()
                        if serial is not None:
                            link.ended()
                    cond.notify_all()
                if not data:
                    return

        reader = threading.Thread(target=read_stream, name="bulkhead-uart", daemon=True)
        reader.start()
        if actions:
            script = _Script(actions, system, result, cond, stop, link, trace_file,
                             keystroke_delay)
            script.start()

        deadline = result.started + seconds
        with cond:
            while True:
                if stop_when is not None and stop_when(result):
                    result.stopped = "stop_when"
                    break
                if console.eof or link.poll() is not None:
                    result.stopped = "exited"
                    break
                now = time.monotonic()
                if now >= deadline:
                    result.stopped = "deadline"
                    break
                cond.wait(min(deadline - now, 0.25))
            if result.stopped != "exited":
                _final_stats(result, system, link, cond)
    finally:
        stop.set()
        with cond:
            cond.notify_all()
        if script is not None:
            script.join(5)
        if link is not None:
            if serial is None:
                link.close()          # QEMU stops; the reader sees the end of its output
                if reader is not None:
                    reader.join(5)
            else:
                if reader is not None:
                    reader.join(5)    # it looks at `stop` every 0.2 s
                link.close()
            with cond:
                console.finish()
                cond.notify_all()
            result.qemu_status = link.returncode
            result.qemu_stderr = link.stderr_text()
        result.elapsed = time.monotonic() - result.started
        console.close()
        trace_file.close()
    if (serial is None and result.stopped == "exited" and result.qemu_status != 0
            and console.bytes_seen == 0):
        err = result.qemu_stderr.strip() or "no message"
        raise RunnerError(f"QEMU failed to start (exit status {result.qemu_status}): {err}\n"
                          f"command: {' '.join(cmd)}")
    return result


FINAL_STATS_WAIT = 1.0    # seconds the hypervisor gets to print its statistics at the end


def _final_stats(result: RunResult, system: System, link, cond):
    """Ask the hypervisor for every cell's counters before QEMU is stopped, so
    the hypervisor log of every headless run ends with them. Called with cond held."""
    expected = sum(len(c.harts) for c in system.cells)
    # Only ended lines count: a statistics line cut short still parses as one.
    def requests():
        return len(stats_lines(result.hypervisor[:result.hypervisor_ended], "request"))

    before = requests()
    try:
        link.write(bytes([system.switch_key]) + b"s")
    except (OSError, ValueError):
        return
    until = time.monotonic() + FINAL_STATS_WAIT
    while time.monotonic() < until and link.poll() is None:
        seen = requests() - before
        if seen >= expected:
            return
        cond.wait(0.05)
