# SPDX-License-Identifier: Apache-2.0
"""The interactive view (`make run`): the console stream on this terminal as it
comes, every key to the UART as it is typed.

The stream is made for a terminal (docs/runner.md, "The console stream"): tags
at line starts, "\\r\\n" line ends, a cell's prompt on the wire at once, its
echo "\\b \\b" for a backspace. So the view shows the bytes as they are (other
controls made visible as '.'), and the terminal is in raw mode so that a key
reaches the cell in focus at once, not after Enter, and Backspace sends what a
serial terminal sends (the terminal's erase character, DEL or BS). The signal
keys stay on: Ctrl-C ends the run. The logs are written as in a headless run.
"""

import os
import select
import sys
import termios
from contextlib import contextmanager

from .headless import Console
from .demux import terminal_safe
from .link import read_chunk
from .system import System


@contextmanager
def raw_terminal(fd: int, keep_signals: bool = True):
    """Raw mode on fd if it is a terminal: no line editing, no echo, no output
    processing (the stream has its own "\\r\\n"); ISIG kept if keep_signals.
    The old mode comes back whatever happens."""
    if not os.isatty(fd):
        yield
        return
    old = termios.tcgetattr(fd)
    new = termios.tcgetattr(fd)
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = new
    iflag &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON
               | termios.INLCR | termios.IGNCR)
    oflag &= ~termios.OPOST
    cflag = (cflag & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
    lflag &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)
    if not keep_signals:
        lflag &= ~termios.ISIG
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSAFLUSH, [iflag, oflag, cflag, lflag, ispeed, ospeed, cc])
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, old)


def write_all(fd: int, data: bytes):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def run_interactive(system: System, link, stdin_fd: int = 0, stdout_fd: int = 1) -> int:
    """Relay until the stream ends (QEMU exited, the port closed) or Ctrl-C.
    Returns QEMU's exit status (0 for a serial port)."""
    console = Console(system, system.logs_dir)
    interrupted = False
    try:
        with raw_terminal(stdin_fd):
            inputs = [link.read_fd, stdin_fd]
            while True:
                try:
                    ready, _, _ = select.select(inputs, [], [])
                except KeyboardInterrupt:
                    interrupted = True
                    break
                if link.read_fd in ready:
                    data = read_chunk(link.read_fd)
                    if not data:
                        break
                    console.feed(data)
                    write_all(stdout_fd, terminal_safe(data))
                if stdin_fd in ready:
                    keys = os.read(stdin_fd, 1024)
                    if not keys:
                        inputs.remove(stdin_fd)   # input ended; the output goes on
                        continue
                    try:
                        link.write(keys)
                    except (OSError, ValueError):
                        inputs.remove(stdin_fd)
    finally:
        console.finish()
        console.close()
        link.close()
        if interrupted:
            sys.stderr.write("\r\n")
    return link.returncode or 0
