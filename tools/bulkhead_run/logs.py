# SPDX-License-Identifier: Apache-2.0
"""The per-source log files of a run (build/<name>/logs/<cell>.log and
hypervisor.log): one logical line per file line, the last one possibly still
open. Text reaches the file as soon as it arrives, so a prompt without a newline
is there at once; when the open line changes (more text, a backspace, a
continuation after an interruption), only that last line is rewritten."""

import os
from typing import Dict, Iterable

from .demux import HYP, Listener


class LogFile:
    """A text file whose last line can be rewritten. Every line, the open one
    included, ends with '\\n', so the file always reads as whole lines."""

    def __init__(self, path: str):
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.last_offset = None   # byte offset of the last line; None: no line yet
        self.last = b""           # the last line as written (without '\n')

    def new_line(self, text: str):
        data = text.encode("utf-8")
        offset = 0 if self.last_offset is None else self.last_offset + len(self.last) + 1
        os.pwrite(self.fd, data + b"\n", offset)
        self.last_offset, self.last = offset, data

    def set_last(self, text: str):
        if self.last_offset is None:
            self.new_line(text)
            return
        data = text.encode("utf-8")
        if data == self.last:
            return
        end = self.last_offset + len(self.last)
        if data.startswith(self.last):
            # The usual case, text appended: write only what is new.
            os.pwrite(self.fd, data[len(self.last):] + b"\n", end)
        else:
            os.pwrite(self.fd, data + b"\n", self.last_offset)
            if len(data) < len(self.last):
                os.ftruncate(self.fd, self.last_offset + len(data) + 1)
        self.last = data

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class LogWriter(Listener):
    """Listener writing each source's logical lines to its log file."""

    def __init__(self, logs_dir: str, cells: Iterable[str]):
        self.files: Dict[str, LogFile] = {c: LogFile(os.path.join(logs_dir, c + ".log"))
                                          for c in cells}
        self.files[HYP] = LogFile(os.path.join(logs_dir, "hypervisor.log"))

    def line(self, source, text, new):
        f = self.files[source]
        if new:
            f.new_line(text)
        else:
            f.set_last(text)

    def close(self):
        for f in self.files.values():
            f.close()


def prepare_logs_dir(logs_dir: str):
    """Remove the *.log files of an earlier run."""
    os.makedirs(logs_dir, exist_ok=True)
    for name in os.listdir(logs_dir):
        if name.endswith(".log"):
            os.unlink(os.path.join(logs_dir, name))
