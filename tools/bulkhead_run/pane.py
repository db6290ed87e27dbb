# SPDX-License-Identifier: Apache-2.0
"""One pane of the split view: python3 -m bulkhead_run.pane <socket> <source>

Connects to the runner's socket, names its source (a cell, or 'hyp' for the
hypervisor's lines), then shows every byte the runner sends and sends back
every key typed, in raw mode: keys go at once, Ctrl-C included (it is the
cell's, as on a serial console). It ends when the runner closes the socket.
"""

import os
import select
import socket
import sys
import time

from .terminal import raw_terminal, write_all

CONNECT_TIMEOUT = 10.0


def connect(path: str) -> socket.socket:
    """The runner may still be setting up: try for a while."""
    until = time.monotonic() + CONNECT_TIMEOUT
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError as e:
            s.close()
            if time.monotonic() >= until:
                raise SystemExit(f"bulkhead pane: cannot connect to {path}: "
                                 f"{e.strerror or e}") from None
            time.sleep(0.1)


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: python3 -m bulkhead_run.pane <socket> <cell|hyp>", file=sys.stderr)
        return 2
    path, source = argv
    s = connect(path)
    s.sendall(source.encode("utf-8") + b"\n")
    with raw_terminal(0, keep_signals=False):
        inputs = [s, 0]
        while True:
            ready, _, _ = select.select(inputs, [], [])
            if s in ready:
                data = s.recv(65536)
                if not data:
                    return 0
                write_all(1, data)
            if 0 in ready:
                keys = os.read(0, 1024)
                if not keys:
                    inputs.remove(0)
                    continue
                s.sendall(keys)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
