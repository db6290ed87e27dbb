"""Headless runs: QEMU on pipes for a bounded time, the tagged UART output split
into one log per cell, scripted input typed into the cells."""

import os
import re
import signal
import subprocess
import threading
import time
from typing import Callable, Dict, List, Optional

from .script import HYP, Action, as_actions
from .system import (HYPERVISOR_TAG, RunnerError, System, default_platform_file,
                     load_system, qemu_command)

KEYSTROKE_DELAY = 0.002   # seconds between typed characters
TERM_GRACE = 2.0          # seconds QEMU gets to exit after SIGTERM before SIGKILL
_TAG = re.compile(r"^\[([^\]\s]+)\] ?(.*)$")


class RunResult:
    """What a headless run saw. Lists grow while the run is going (stop_when sees
    them live); after run_headless returns they are complete.

    cells       name -> list of that cell's console lines, tag stripped
    hypervisor  '[bulkhead] ...' lines and untagged lines (OpenSBI), as received
    raw         every line of the UART in order, as received (tags kept)
    stopped     'deadline', 'stop_when' or 'exited' (QEMU ended by itself)
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
        self.raw: List[str] = []
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


class _Console:
    """Splits the UART byte stream into lines and routes them (caller holds the lock)."""

    def __init__(self, result: RunResult, files, raw_file, echo):
        self.result = result
        self.files = files
        self.raw_file = raw_file
        self.echo = echo
        self.partial = b""
        self.bytes_seen = 0
        self.eof = False

    def feed(self, data: bytes):
        self.bytes_seen += len(data)
        self.raw_file.write(data)
        self.raw_file.flush()
        self.partial += data
        *complete, self.partial = self.partial.split(b"\n")
        for line in complete:
            self._route(line)

    def finish(self):
        if self.partial:
            self._route(self.partial)
            self.partial = b""
        self.eof = True

    def _route(self, line: bytes):
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        r = self.result
        r.raw.append(text)
        m = _TAG.match(text)
        if m and m.group(1) in r.cells:
            r.cells[m.group(1)].append(m.group(2))
            f = self.files[m.group(1)]
            f.write(m.group(2) + "\n")
        else:
            r.hypervisor.append(text)
            f = self.files[HYP]
            f.write(text + "\n")
        f.flush()
        if self.echo is not None:
            self.echo(text)


def _prepare_logs(system: System, logs_dir: str):
    os.makedirs(logs_dir, exist_ok=True)
    for name in os.listdir(logs_dir):
        if name.endswith(".log"):
            os.unlink(os.path.join(logs_dir, name))
    files = {c.name: open(os.path.join(logs_dir, c.name + ".log"), "w", encoding="utf-8")
             for c in system.cells}
    files[HYP] = open(os.path.join(logs_dir, "hypervisor.log"), "w", encoding="utf-8")
    raw = open(os.path.join(logs_dir, "console.raw.log"), "wb")
    trace = open(os.path.join(logs_dir, "input.log"), "w", encoding="utf-8")
    return files, raw, trace


class _Script(threading.Thread):
    """Carries out the input actions in order against the live console."""

    def __init__(self, actions: List[Action], system: System, result: RunResult,
                 cond: threading.Condition, stop: threading.Event, stdin, trace_file,
                 delay: float):
        super().__init__(name="bulkhead-input", daemon=True)
        self.actions = actions
        self.system = system
        self.result = result
        self.cond = cond
        self.stop = stop
        self.stdin = stdin
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
            self.stdin.write(data[i:i + 1])
            self.stdin.flush()
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
                    self.cursor[key] = len(lines)  # later only new lines can match
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
                # The hypervisor takes '0' + index, so cell 10 is ':' and so on.
                self._write(key + bytes([ord("0") + a.cell_index]), self.delay)
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
                 keystroke_delay: float = KEYSTROKE_DELAY, env=None) -> RunResult:
    """Run build_dir/bulkhead.elf under QEMU for at most `seconds` of wall time.

    input_actions: None, input-script text, or a list of script lines / Action objects
    (see bulkhead_run.script). extra_qemu: extra QEMU arguments (string or list).
    stop_when(result) is called whenever output arrives (and a few times a second);
    returning True ends the run early. platform_qemu defaults to
    dts/<platform>.qemu; qemu (a command as a list) overrides BULKHEAD_QEMU.
    Logs go to build_dir/logs/. Raises RunnerError if the system cannot be run or
    QEMU fails to start; ScriptError for a bad input script.
    """
    system = load_system(build_dir)
    actions = as_actions(input_actions, system)
    if not os.path.isfile(system.elf):
        raise RunnerError(f"{system.elf} not found: build it first (make CONFIG={system.name})")
    cmd = qemu_command(system, platform_qemu or default_platform_file(system), icount=icount,
                       gdb=gdb, extra=extra_qemu, qemu=qemu)
    files, raw_file, trace_file = _prepare_logs(system, system.logs_dir)
    result = RunResult(system, system.logs_dir, cmd)
    cond = threading.Condition()
    stop = threading.Event()
    console = _Console(result, files, raw_file, echo)
    stderr_chunks: List[bytes] = []
    proc = None
    script = None
    threads = []
    try:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, bufsize=0, env=env,
                                    start_new_session=True)
        except OSError as e:
            raise RunnerError(f"cannot start QEMU ({cmd[0]}): {e.strerror or e}") from None
        result.started = time.monotonic()

        def read_stdout():
            fd = proc.stdout.fileno()
            while True:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                with cond:
                    if data:
                        console.feed(data)
                    else:
                        console.finish()
                    cond.notify_all()
                if not data:
                    return

        def read_stderr():
            for chunk in iter(lambda: proc.stderr.read(4096), b""):
                stderr_chunks.append(chunk)

        threads = [threading.Thread(target=read_stdout, name="bulkhead-uart", daemon=True),
                   threading.Thread(target=read_stderr, name="bulkhead-stderr", daemon=True)]
        for t in threads:
            t.start()
        if actions:
            script = _Script(actions, system, result, cond, stop, proc.stdin, trace_file,
                             keystroke_delay)
            script.start()

        deadline = result.started + seconds
        with cond:
            while True:
                if stop_when is not None and stop_when(result):
                    result.stopped = "stop_when"
                    break
                if console.eof or proc.poll() is not None:
                    result.stopped = "exited"
                    break
                now = time.monotonic()
                if now >= deadline:
                    result.stopped = "deadline"
                    break
                cond.wait(min(deadline - now, 0.25))
            if result.stopped != "exited":
                _final_stats(result, system, proc, cond)
    finally:
        stop.set()
        with cond:
            cond.notify_all()
        if script is not None:
            script.join(5)
        if proc is not None:
            _stop_qemu(proc)
            for t in threads:
                t.join(5)
            with cond:
                if not console.eof:
                    console.finish()
                cond.notify_all()
            result.qemu_status = proc.returncode
        result.elapsed = time.monotonic() - result.started
        for f in list(files.values()) + [raw_file, trace_file]:
            f.close()
    result.qemu_stderr = b"".join(stderr_chunks).decode("utf-8", errors="replace")
    if result.stopped == "exited" and result.qemu_status != 0 and console.bytes_seen == 0:
        err = result.qemu_stderr.strip() or "no message"
        raise RunnerError(f"QEMU failed to start (exit status {result.qemu_status}): {err}\n"
                          f"command: {' '.join(cmd)}")
    return result


FINAL_STATS_WAIT = 1.0    # seconds the hypervisor gets to print its statistics at the end


def _final_stats(result: RunResult, system: System, proc: subprocess.Popen, cond):
    """Ask the hypervisor for every cell's counters before QEMU is stopped, so
    the hypervisor log of every headless run ends with them. Called with cond held."""
    expected = sum(len(c.harts) for c in system.cells)
    before = sum(1 for line in result.hypervisor if "stats request" in line)
    try:
        proc.stdin.write(bytes([system.switch_key]) + b"s")
        proc.stdin.flush()
    except (OSError, ValueError):
        return
    until = time.monotonic() + FINAL_STATS_WAIT
    while time.monotonic() < until and proc.poll() is None:
        seen = sum(1 for line in result.hypervisor if "stats request" in line) - before
        if seen >= expected:
            return
        cond.wait(0.05)


def _stop_qemu(proc: subprocess.Popen):
    """Terminate, then kill; close its input either way."""
    try:
        proc.stdin.close()
    except OSError:
        pass
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(TERM_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        except ProcessLookupError:
            proc.wait()
