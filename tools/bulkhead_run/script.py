# SPDX-License-Identifier: Apache-2.0
"""Scripted console input for headless runs.

One action per line; blank lines and lines whose first non-blank character is
'#' are ignored.

  at <seconds> <cell> <text>          focus <cell>, type <text>, then Enter ("\\r")
  at <seconds> <cell> !key <hex>...   focus <cell>, send the raw byte(s), e.g. !key 03
                                      (the command key is sent twice, so the cell
                                      gets every byte as written)
  at <seconds> hyp <letter>           console command key + <letter> (s = statistics,
                                      h = help, a digit = focus that cell index)
  wait-for <cell|hyp> <regex> [timeout]
                                      pause until a new line of that cell's log (hyp: the
                                      hypervisor log) matches <regex> (Python re.search;
                                      cell lines without their tag, hypervisor lines
                                      with their "[bulkhead] " tag)

The clock of 'at' starts when QEMU starts and starts again each time a wait-for
matches, so 'at 0' right after a wait-for means "at once".  Within one stretch
the times must not go back.  Each wait-for looks at lines after the one the
previous wait-for on the same log matched, so waiting twice for 'ok' needs two
'ok' lines.  A last token that is a number is the timeout in seconds (to end a
regex with a separate number, give a timeout after it); without one the
wait-for waits until the run ends.  A timed-out wait-for stops the script.
Text is typed one character at a time with a short pause between characters,
as a person would; leading and trailing blanks of <text> are dropped.
"""

import re
from dataclasses import dataclass
from typing import List, Optional, Pattern

from .system import System

HYP = "hyp"


class ScriptError(Exception):
    """A mistake in an input script; the message names the file and line."""


@dataclass
class Action:
    kind: str                 # "send", "key", "hyp" or "wait"
    source: str = "<input>"
    line: int = 0
    at: float = 0.0           # send/key/hyp: seconds after start or the last wait-for match
    target: str = HYP         # cell name, or "hyp"
    cell_index: int = -1      # send/key: index of the target cell
    text: str = ""            # send: the text; hyp: the letter
    data: bytes = b""         # key: the raw bytes
    pattern: Optional[Pattern] = None   # wait
    timeout: Optional[float] = None     # wait

    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def describe(self) -> str:
        if self.kind == "send":
            return f"type {self.text!r} + Enter to {self.target}"
        if self.kind == "key":
            return f"send byte(s) {self.data.hex(' ')} to {self.target}"
        if self.kind == "hyp":
            return f"console command {self.text!r}"
        t = f" within {self.timeout:g} s" if self.timeout is not None else ""
        return f"wait for /{self.pattern.pattern}/ in {self.target}{t}"


_NUMBER = re.compile(r"^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$")


def _number(token: str) -> Optional[float]:
    return float(token) if _NUMBER.match(token) else None


def parse_script(lines, system: System, source: str = "<input>") -> List[Action]:
    """Parse script text (a string or an iterable of lines) against a system's cells."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    actions = []
    last_at = 0.0
    last_at_line = 0
    names = system.cell_names()

    def fail(number, msg):
        raise ScriptError(f"{source}:{number}: {msg}")

    def cell_of(number, name, allow_hyp):
        if allow_hyp and name == HYP:
            return None
        c = system.cell(name)
        if c is None:
            fail(number, f"unknown cell '{name}' (cells of {system.name}: {', '.join(names)}"
                         f"{'; or hyp for the hypervisor' if allow_hyp else ''})")
        return c

    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = re.match(r"^(\S+)\s*(.*)$", stripped)
        verb, rest = m.group(1), m.group(2)
        if verb == "at":
            m = re.match(r"^(\S+)\s+(\S+)(?:\s+(.*))?$", rest)
            if not m:
                fail(number, "expected 'at <seconds> <cell> <text>', "
                             "'at <seconds> <cell> !key <hex>' or 'at <seconds> hyp <letter>'")
            when = _number(m.group(1))
            if when is None:
                fail(number, f"'{m.group(1)}' is not a time in seconds")
            if when < last_at:
                fail(number, f"time {when:g} is before {last_at:g} on line {last_at_line}; "
                             "times may only go back after a wait-for")
            last_at, last_at_line = when, number
            target, arg = m.group(2), (m.group(3) or "").strip()
            cell = cell_of(number, target, allow_hyp=True)
            if cell is None:
                if len(arg) != 1 or not arg.isprintable() or arg == " ":
                    fail(number, f"'at <seconds> hyp' takes one letter (s statistics, h help, "
                                 f"a digit to focus a cell), not {arg!r}")
                actions.append(Action("hyp", source, number, when, HYP, text=arg))
            elif arg == "!key" or arg.startswith("!key "):
                tokens = arg.split()[1:]
                if not tokens:
                    fail(number, "!key needs at least one byte in hex, e.g. !key 03")
                data = bytearray()
                for tok in tokens:
                    t = tok[2:] if tok.lower().startswith("0x") else tok
                    if not re.match(r"^[0-9a-fA-F]{1,2}$", t):
                        fail(number, f"'{tok}' is not a byte in hex (00..ff)")
                    data.append(int(t, 16))
                actions.append(Action("key", source, number, when, cell.name, cell.index,
                                      data=bytes(data)))
            else:
                actions.append(Action("send", source, number, when, cell.name, cell.index,
                                      text=arg))
        elif verb == "wait-for":
            m = re.match(r"^(\S+)\s+(.+)$", rest)
            if not m:
                fail(number, "expected 'wait-for <cell> <regex> [timeout]'")
            target, expr = m.group(1), m.group(2).strip()
            cell_of(number, target, allow_hyp=True)
            timeout = None
            tokens = expr.split()
            if len(tokens) >= 2 and _number(tokens[-1]) is not None:
                timeout = _number(tokens[-1])
                expr = expr[:expr.rstrip().rfind(tokens[-1])].rstrip()
            try:
                pattern = re.compile(expr)
            except re.error as e:
                fail(number, f"bad regex {expr!r}: {e}")
            actions.append(Action("wait", source, number, 0.0, target, pattern=pattern,
                                  timeout=timeout))
            last_at, last_at_line = 0.0, number
        else:
            fail(number, f"unknown action '{verb}' (expected 'at' or 'wait-for')")
    return actions


def load_script(path: str, system: System) -> List[Action]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ScriptError(f"cannot read input script: {e}") from None
    return parse_script(text, system, source=path)


def as_actions(input_actions, system: System) -> List[Action]:
    """run_headless's input_actions: None, script text, or a list of script lines
    and/or Action objects."""
    if input_actions is None:
        return []
    if isinstance(input_actions, str):
        return parse_script(input_actions, system, "<input_actions>")
    out = []
    pending: List[str] = []
    first = 1

    def flush():
        nonlocal pending, first
        if pending:
            out.extend(parse_script([""] * (first - 1) + pending, system, "<input_actions>"))
            first += len(pending)
            pending = []

    for item in input_actions:
        if isinstance(item, Action):
            flush()
            first += 1
            out.append(item)
        else:
            pending.append(str(item))
    flush()
    return out
