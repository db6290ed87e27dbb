# SPDX-License-Identifier: Apache-2.0
"""Where the console stream comes from: QEMU's emulated UART (QEMU on pipes)
or a real board's serial port (a tty, or any other path that can be opened for
reading and writing, such as a pty). Both give a file descriptor to read the stream
from and a write() for input, so every view works on either."""

import os
import select
import signal
import subprocess
import termios
import threading
from typing import List, Optional

from .system import RunnerError

TERM_GRACE = 2.0          # seconds QEMU gets to exit after SIGTERM before SIGKILL

_BAUDS = {n: getattr(termios, f"B{n}") for n in (
    9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000,
    1152000, 1500000, 2000000, 3000000, 4000000) if hasattr(termios, f"B{n}")}


class QemuLink:
    """QEMU with the UART on its stdin/stdout, in a session of its own (so a
    Ctrl-C at the terminal reaches the runner, which stops QEMU)."""

    kind = "qemu"

    def __init__(self, cmd: List[str], env=None):
        self.command = cmd
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, bufsize=0, env=env,
                                         start_new_session=True)
        except OSError as e:
            raise RunnerError(f"cannot start QEMU ({cmd[0]}): {e.strerror or e}") from None
        self._stderr: List[bytes] = []
        self._stderr_thread = threading.Thread(target=self._read_stderr, daemon=True,
                                               name="bulkhead-stderr")
        self._stderr_thread.start()
        self.read_fd = self.proc.stdout.fileno()

    def _read_stderr(self):
        for chunk in iter(lambda: self.proc.stderr.read(4096), b""):
            self._stderr.append(chunk)

    def write(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def poll(self) -> Optional[int]:
        return self.proc.poll()

    @property
    def returncode(self) -> Optional[int]:
        return self.proc.returncode

    def stderr_text(self) -> str:
        return b"".join(self._stderr).decode("utf-8", errors="replace")

    def close(self):
        """Terminate, then kill; close its input either way."""
        proc = self.proc
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
        self._stderr_thread.join(5)


class SerialLink:
    """A board's serial port. A tty is put in raw mode at `baud`, 8N1, no flow
    control; any other path (a pty's slave given by name, say) is used as it is.
    The stream ends when reading it fails or returns nothing (the far end of a
    pty closed, a USB adapter unplugged)."""

    kind = "serial"

    def __init__(self, path: str, baud: int = 115200):
        self.command = ["serial", path]
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        except OSError as e:
            raise RunnerError(f"cannot open serial port {path}: {e.strerror or e}") from None
        self.read_fd = self.fd
        self.returncode: Optional[int] = None
        if os.isatty(self.fd):
            if baud not in _BAUDS:
                os.close(self.fd)
                raise RunnerError(f"serial port {path}: baud rate {baud} is not supported "
                                  f"(one of {', '.join(str(b) for b in sorted(_BAUDS))})")
            _raw_serial(self.fd, _BAUDS[baud])
        self._lock = threading.Lock()

    def write(self, data: bytes):
        with self._lock:
            view = memoryview(data)
            while view:
                n = os.write(self.fd, view)
                view = view[n:]

    def ended(self):
        """The reader saw the end of the stream."""
        if self.returncode is None:
            self.returncode = 0

    def poll(self) -> Optional[int]:
        return self.returncode

    def stderr_text(self) -> str:
        return ""

    def close(self):
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
        self.ended()


def _raw_serial(fd: int, speed: int):
    """Raw 8N1 without flow control, reads return what is there."""
    attrs = termios.tcgetattr(fd)
    iflag, oflag, cflag, lflag, _, _, cc = attrs
    iflag &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK | termios.ISTRIP | termios.INLCR
               | termios.IGNCR | termios.ICRNL | termios.IXON | termios.IXOFF | termios.IXANY)
    oflag &= ~termios.OPOST
    lflag &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
    cflag &= ~(termios.CSIZE | termios.PARENB | termios.CSTOPB | getattr(termios, "CRTSCTS", 0))
    cflag |= termios.CS8 | termios.CREAD | termios.CLOCAL
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, [iflag, oflag, cflag, lflag, speed, speed, cc])


def read_chunk(fd: int) -> bytes:
    """Whatever is there (blocking until something is); b'' at the end of the
    stream, including the EIO a pty gives when its other side closed."""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""


def wait_readable(fd: int, timeout: float) -> bool:
    """True if fd has something to read (or its end) within timeout seconds."""
    try:
        r, _, _ = select.select([fd], [], [], timeout)
    except (OSError, ValueError):
        return True   # let the read report what is wrong
    return bool(r)
