# SPDX-License-Identifier: Apache-2.0
"""The side-by-side view (`make run VIEW=split`): one tmux pane per cell showing
only that cell's console, and one pane for the hypervisor's own lines.

The runner owns the console stream (QEMU's UART or a board's serial port) and
serves the panes over a unix socket; each pane runs the thin client
bulkhead_run.pane, which names its source, shows the bytes it is sent and sends
back the keys typed into it. Keys typed into a cell's pane go to that cell: when
the hypervisor's input focus is elsewhere, the runner first sends the command
key and the cell's number. Keys typed into the hypervisor's pane are console
commands (s statistics, h help, a cell number moves the focus). Closing the tmux
session (or detaching from it) ends the run and stops QEMU; QEMU ending closes
the session.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Dict, List, Optional

from .demux import HYP, Listener
from .headless import Console
from .link import SerialLink, read_chunk
from .system import ROOT, RunnerError, System, key_name

HISTORY_LIMIT = 1 << 20     # bytes of each pane's past output kept for a pane (re)connecting
SEND_TIMEOUT = 2.0          # a pane that does not take its output for this long is dropped
_FOCUS = re.compile(r"^\[bulkhead\] console: input goes to cell (\S+)$")


class PaneStreams(Listener):
    """Turns the demultiplexed stream into one terminal stream per source.

    A physical line break on the wire is not always a line break of the
    source (another source may have interrupted it), so a pane's newline is
    written only when its source starts its next logical line; a continuation
    goes on where the text stopped. Backspaces pass through (the cell's own
    echo is "\\b \\b")."""

    def __init__(self, sources: List[str], send):
        self.send = send                   # send(source, bytes), called in stream order
        self.history: Dict[str, bytearray] = {s: bytearray() for s in sources}
        self.started = {s: False for s in sources}

    def _out(self, source: str, data: bytes):
        h = self.history[source]
        h += data
        if len(h) > HISTORY_LIMIT:
            cut = h.find(b"\r\n", len(h) - HISTORY_LIMIT)
            del h[:cut + 2 if cut >= 0 else len(h) - HISTORY_LIMIT]
        self.send(source, data)

    def start(self, source, continued):
        if not continued and self.started[source]:
            self._out(source, b"\r\n")
        self.started[source] = True

    def text(self, source, text):
        self._out(source, text.encode("utf-8"))

    def backspace(self, source):
        self._out(source, b"\b")


class FocusTracker(Listener):
    """Which cell the hypervisor sends input to, as far as the runner knows:
    cell 0 at boot (the firmware's untagged banner means a boot), then what the
    hypervisor announces. Announcements answering our own switches are only
    counted, so a late one cannot undo a newer switch."""

    def __init__(self, system: System):
        self.system = system
        self.focus = 0
        self.expected = 0        # announcements still due for switches the runner sent

    def start(self, source, continued):
        pass

    def end(self, source, physical):
        if source != HYP:
            return
        if not physical.startswith("["):
            self.focus, self.expected = 0, 0
            return
        m = _FOCUS.match(physical)
        if not m:
            return
        if self.expected > 0:
            self.expected -= 1
            return
        cell = self.system.cell(m.group(1))
        if cell is not None:
            self.focus = cell.index


class SplitServer:
    """The runner's side of the panes: the console, the socket, the keys."""

    def __init__(self, system: System, link, socket_path: str):
        self.system = system
        self.link = link
        self.socket_path = socket_path
        self.lock = threading.Lock()
        self.clients: Dict[str, List[socket.socket]] = {c.name: [] for c in system.cells}
        self.clients[HYP] = []
        self.focus = FocusTracker(system)
        self.hyp_number = ""     # digits of a cell number typed into the hypervisor's pane
        self.panes = PaneStreams(list(self.clients), self._send)
        self.console = Console(system, system.logs_dir, listeners=[self.panes, self.focus])
        self.ended = threading.Event()
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(socket_path)
        os.chmod(socket_path, 0o600)
        self.listener.listen(16)
        self.threads = [threading.Thread(target=self._accept, daemon=True, name="split-accept"),
                        threading.Thread(target=self._read_stream, daemon=True,
                                         name="split-uart")]

    def start(self):
        for t in self.threads:
            t.start()

    # ------------------------------------------------------------ output
    def _send(self, source: str, data: bytes):
        for c in list(self.clients[source]):
            try:
                c.sendall(data)
            except OSError:
                self.clients[source].remove(c)
                c.close()

    def _read_stream(self):
        while True:
            data = read_chunk(self.link.read_fd)
            with self.lock:
                if data:
                    self.console.feed(data)
                else:
                    self.console.finish()
            if not data:
                if isinstance(self.link, SerialLink):
                    self.link.ended()
                self.ended.set()
                return

    # ------------------------------------------------------------ panes
    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True,
                             name="split-pane").start()

    def _serve(self, conn: socket.socket):
        # The timeout bounds sends (a stuck pane must not stall the stream);
        # the key loop below just waits again when a recv times out.
        conn.settimeout(SEND_TIMEOUT)
        source = None
        try:
            hello = b""
            while not hello.endswith(b"\n") and len(hello) < 256:
                part = conn.recv(1)
                if not part:
                    break
                hello += part
            name = hello.decode("utf-8", "replace").strip()
            if name not in self.clients:
                conn.sendall(f"bulkhead: no console named '{name}' (cells: "
                             f"{', '.join(self.system.cell_names())}; or {HYP})\r\n".encode())
                conn.close()
                return
            source = name
            with self.lock:
                conn.sendall(bytes(self.panes.history[source]))
                self.clients[source].append(conn)
            while True:
                try:
                    keys = conn.recv(1024)
                except socket.timeout:
                    continue
                if not keys:
                    break
                self.keys(source, keys)
        except OSError:
            pass
        with self.lock:
            if source is not None and conn in self.clients[source]:
                self.clients[source].remove(conn)
        conn.close()

    def _hyp_key(self, b: int) -> bytes:
        """One key of the hypervisor's pane as console command bytes: a cell
        number's later digits and its Enter continue the command they belong to."""
        key = self.system.switch_key
        if b == key:
            return b""
        if self.hyp_number and (0x30 <= b <= 0x39 or b in (0x0A, 0x0D)):
            self.hyp_number = "" if b in (0x0A, 0x0D) else self.hyp_number + chr(b)
            out = bytes([b])
        else:
            self.hyp_number = chr(b) if 0x30 <= b <= 0x39 else ""
            out = bytes([key, b])
        if self.hyp_number and bytes([key]) + self.hyp_number.encode() == \
                self.system.focus_keys(int(self.hyp_number)):
            self.hyp_number = ""   # complete: the hypervisor has acted on it
        return out

    def keys(self, source: str, data: bytes):
        """Keys typed into a pane: to its cell (switching the focus first if
        needed), or, from the hypervisor's pane, console commands."""
        key = self.system.switch_key
        out = bytearray()
        with self.lock:
            if source == HYP:
                for b in data:
                    out += self._hyp_key(b)
            else:
                index = self.system.cell(source).index
                if self.focus.focus != index:
                    out += self.system.focus_keys(index)
                    self.focus.focus = index
                    self.focus.expected += 1
                # The hypervisor passes the command key on only when it comes twice.
                out += data.replace(bytes([key]), bytes([key, key]))
            try:
                self.link.write(bytes(out))
            except (OSError, ValueError):
                pass

    def close(self):
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            for conns in self.clients.values():
                for c in conns:
                    c.close()
                conns.clear()
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)


def socket_path_for(system: System) -> str:
    """build/<name>/console.sock, or a private temporary directory when that
    path is too long for a unix socket (108 bytes on Linux)."""
    path = os.path.join(system.build_dir, "console.sock")
    if len(path.encode()) < 100:
        return path
    return os.path.join(tempfile.mkdtemp(prefix="bulkhead-"), "console.sock")


def pane_command(socket_path: str, source: str) -> str:
    tools = os.path.join(ROOT, "tools")
    return (f"cd {shlex.quote(tools)} && exec {shlex.quote(sys.executable)} -m "
            f"bulkhead_run.pane {shlex.quote(socket_path)} {shlex.quote(source)}")


class Tmux:
    """tmux on a server of the runner's own (-L name), so the session's options
    and the user's other sessions stay apart."""

    def __init__(self, server: str):
        self.base = ["tmux", "-L", server]

    def run(self, *args, check=True) -> subprocess.CompletedProcess:
        try:
            p = subprocess.run(self.base + list(args), capture_output=True, text=True)
        except FileNotFoundError:
            raise RunnerError("the split view needs tmux (Debian package tmux; "
                              "make deps installs it)") from None
        if check and p.returncode != 0:
            raise RunnerError(f"tmux {' '.join(args)}: {p.stderr.strip() or 'failed'}")
        return p

    def has_session(self, session: str) -> bool:
        return self.run("has-session", "-t", session, check=False).returncode == 0


def open_panes(tmux: Tmux, session: str, system: System, socket_path: str,
               size=(200, 50)):
    """Cells side by side, the hypervisor's pane across the bottom."""
    cells = system.cells
    tmux.run("new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]),
             "-n", system.name, pane_command(socket_path, cells[0].name))
    for c in cells[1:]:
        tmux.run("split-window", "-h", "-t", f"{session}:0", pane_command(socket_path, c.name))
    tmux.run("select-layout", "-t", f"{session}:0", "even-horizontal")
    tmux.run("split-window", "-v", "-f", "-l", "30%", "-t", f"{session}:0",
             pane_command(socket_path, HYP))
    k = key_name(system.switch_key)
    for i, c in enumerate(cells):
        tmux.run("select-pane", "-t", f"{session}:0.{i}", "-T", f"{c.index} {c.name}")
    tmux.run("select-pane", "-t", f"{session}:0.{len(cells)}", "-T",
             f"bulkhead (keys here are {k} commands: s statistics, h help, number focus)")
    for opt, val in (("pane-border-status", "top"), ("pane-border-format", " #{pane_title} "),
                     ("mouse", "on"), ("status-left", f"[{system.name}] "),
                     ("status-right", "Ctrl-B arrows: pane  Ctrl-B d: quit")):
        tmux.run("set-option", "-t", session, opt, val)
    tmux.run("select-pane", "-t", f"{session}:0.0")


def pane_ids(tmux: Tmux, session: str) -> List[str]:
    """Pane targets in order: one per cell (config order), then the hypervisor's."""
    p = tmux.run("list-panes", "-t", f"{session}:0", "-F", "#{pane_index}")
    return [f"{session}:0.{i}" for i in p.stdout.split()]


def run_split(system: System, link, attach: bool = True, server: Optional[str] = None,
              session: Optional[str] = None, ready=None) -> int:
    """Serve the panes until the session is closed or the stream ends.
    attach: run `tmux attach` on this terminal; otherwise the session stays
    detached (tests drive it with send-keys/capture-pane). ready(tmux, session)
    is called once the panes are open. Returns QEMU's exit status."""
    server = server or f"bulkhead-{os.getpid()}"
    session = session or system.name
    tmux = Tmux(server)
    if attach and not (os.isatty(0) and os.isatty(1)):
        link.close()
        raise RunnerError("the split view needs a terminal (run it from one, or use the "
                          "plain view)")
    srv = SplitServer(system, link, socket_path_for(system))
    srv.start()
    try:
        open_panes(tmux, session, system, srv.socket_path)
        if ready is not None:
            ready(tmux, session)
        watcher = threading.Thread(target=_close_when_ended, args=(srv, tmux, session),
                                   daemon=True, name="split-end")
        watcher.start()
        if attach:
            env = {k: v for k, v in os.environ.items() if k != "TMUX"}
            subprocess.run(tmux.base + ["attach-session", "-t", session], env=env)
        else:
            print(f"bulkhead: split view in tmux session '{session}', detached; attach with: "
                  f"tmux -L {server} attach -t {session}", file=sys.stderr, flush=True)
            while tmux.has_session(session) and not srv.ended.is_set():
                time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        tmux.run("kill-session", "-t", session, check=False)
        link.close()
        srv.ended.wait(5)
        with srv.lock:
            srv.console.finish()
            srv.console.close()
        srv.close()
        sock_dir = os.path.dirname(srv.socket_path)
        if os.path.basename(sock_dir).startswith("bulkhead-"):
            try:
                os.rmdir(sock_dir)
            except OSError:
                pass
    return link.returncode or 0


def _close_when_ended(srv: SplitServer, tmux: Tmux, session: str):
    srv.ended.wait()
    time.sleep(0.5)   # the panes show the last words before the session closes
    tmux.run("kill-session", "-t", session, check=False)
