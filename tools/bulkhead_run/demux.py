# SPDX-License-Identifier: Apache-2.0
"""The console stream of the hypervisor's UART, taken apart per source.

The hypervisor multiplexes every cell's console onto one UART (docs/runner.md,
"The console stream"):

  - the stream is a sequence of physical lines ended by "\\r\\n"; each starts
    with a tag: "[name] " starts a new logical line of that source (a cell, or
    "bulkhead" for the hypervisor), "[name]+ " continues that source's previous
    logical line, which another source's output interrupted;
  - bytes are sent as soon as a cell prints them, so a physical line may stay
    open (a prompt) until the cell ends it or another source must print;
  - inside a line, text is UTF-8 with TAB and BACKSPACE as the only controls; a
    backspace erases a character the same source sent earlier on the same
    physical line;
  - untagged lines (the firmware's banner) belong to the hypervisor.

Whole lines "[name] text\\r\\n" (the stream of older hypervisors) are a subset.

Demux turns the bytes into events for listeners (the headless logs and result
lists, the split view's panes). It never waits for more input: text is passed
on as soon as it is decoded, a partial line included.
"""

import codecs
import re
from typing import Dict, Iterable, List, Optional

HYP = "hyp"                    # source key of the hypervisor log (script.HYP too)
HYP_SOURCE = HYP
HYPERVISOR_TAG = "bulkhead"    # the hypervisor's own tag on the wire
MAX_TAG_NAME = 64              # longer bracketed words are not tags

_SPECIAL = re.compile(r"[\r\n\x08]")
# Controls a terminal would act on; the hypervisor replaces a cell's, this
# covers untagged lines (firmware) and a board's stream we did not make.
_UNSAFE = re.compile(r"[\x00-\x07\x0b-\x1f\x7f\x80-\x9f]")


class Listener:
    """Receives a Demux's events; every method is optional.

    Physical level (what the wire did), in stream order:
      start(source, continued)  a physical line of source began after its tag
      text(source, text)        printable text for the current physical line
      backspace(source)         erase the previous character of that line
      end(source, physical)     "\\r\\n" ended it; physical = the line as shown
                                on the wire (tag included, backspaces applied)
    Logical level (what the source printed):
      line(source, text, new)   the source's last logical line is now `text`;
                                new=True when it is a new line (appended)
    Hypervisor lines keep their "[bulkhead] " tag in `text`; untagged lines
    are passed on as they are.
    """

    def start(self, source: str, continued: bool):
        pass

    def text(self, source: str, text: str):
        pass

    def backspace(self, source: str):
        pass

    def end(self, source: str, physical: str):
        pass

    def line(self, source: str, text: str, new: bool):
        pass


class Demux:
    """Parses the UART byte stream; feed() it bytes as they arrive.

    cells: the cell names of the system (tags naming anything else are treated
    as untagged text and go to the hypervisor log, as the old runner did).
    """

    def __init__(self, cells: Iterable[str], listeners: Optional[List[Listener]] = None):
        self.cells = set(cells)
        self.listeners: List[Listener] = list(listeners or [])
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._head = ""            # start of a physical line whose tag is not decided yet
        self._source: Optional[str] = None   # source of the open physical line
        self._prefix = ""          # "[bulkhead] " for hypervisor lines, "" otherwise
        self._segment = 0          # characters on the open physical line (after the tag)
        self._physical = ""        # the open physical line as shown (for end())
        self.last: Dict[str, str] = {}   # source -> its last logical line

    # ------------------------------------------------------------- input
    def feed(self, data: bytes):
        self._process(self._decoder.decode(data))

    def finish(self):
        """End of stream: flush an incomplete UTF-8 sequence; an open line stays
        as it is (it was shown already)."""
        self._process(self._decoder.decode(b"", final=True))
        if self._source is None and self._head:
            self._untagged()

    @property
    def open_source(self) -> Optional[str]:
        """The source whose physical line is open (None between lines)."""
        return self._source

    # ------------------------------------------------------------- parsing
    def _process(self, s: str):
        i = 0
        n = len(s)
        while i < n:
            if self._source is None:
                i = self._read_tag(s, i)
                continue
            m = _SPECIAL.search(s, i)
            j = m.start() if m else n
            if j > i:
                self._text(s[i:j])
            if not m:
                return
            c = s[j]
            if c == "\n":
                self._end()
            elif c == "\b":
                self._backspace()
            # "\r" is dropped: lines end with "\r\n", and a lone CR would only
            # move a terminal's cursor over the tag.
            i = j + 1

    def _read_tag(self, s: str, i: int) -> int:
        """Collect the head of a physical line until it is known to be a tag
        (or not). Returns the index of the first character not consumed."""
        n = len(s)
        while i < n:
            c = s[i]
            i += 1
            if c == "\r":
                continue
            if c == "\n":
                self._head_at_line_end()
                return i
            self._head += c
            verdict = self._judge(self._head)
            if verdict is None:
                continue
            if verdict is False:
                self._untagged()
            return i
        return i

    def _judge(self, head: str):
        """True: head is a complete tag (handled); False: it is no tag; None:
        it may still become one."""
        if head[0] != "[":
            return False
        close = head.find("]")
        if close < 0:
            if len(head) > MAX_TAG_NAME + 1 or any(c.isspace() or c == "[" for c in head[1:]):
                return False
            return None
        name = head[1:close]
        if not name or (name not in self.cells and name != HYPERVISOR_TAG):
            return False
        rest = head[close + 1:]
        if rest in ("", "+"):
            return None
        if rest == " " or rest == "+ ":
            self._begin(name, continued=rest == "+ ")
            return True
        return False

    def _head_at_line_end(self):
        """A line ended while its tag was undecided: '[cell]' alone is an empty
        line of that cell (old hypervisors wrote no space then); anything else
        is an untagged line."""
        head = self._head
        name = head[1:-1] if head.startswith("[") and head.endswith("]") else None
        if name and (name in self.cells or name == HYPERVISOR_TAG):
            self._head = ""
            self._begin(name, continued=False)
        else:
            self._untagged()
        self._end()

    def _untagged(self):
        head, self._head = self._head, ""
        self._begin(None, continued=False)
        self._process(head)

    # ------------------------------------------------------------- events
    def _begin(self, name: Optional[str], continued: bool):
        self._head = ""
        if name is None or name == HYPERVISOR_TAG:
            source = HYP
            self._prefix = "" if name is None else f"[{HYPERVISOR_TAG}] "
        else:
            source = name
            self._prefix = ""
        # A continuation needs a line to continue; the hypervisor's lines and
        # untagged ones are whole lines, but a '+' after a bulkhead line is honoured.
        if continued and source not in self.last:
            continued = False
        self._source = source
        self._segment = 0
        tag = "" if name is None else f"[{name}]{'+' if continued else ''} "
        self._physical = tag
        for l in self.listeners:
            l.start(source, continued)
        if continued:
            return
        self.last[source] = self._prefix
        for l in self.listeners:
            l.line(source, self._prefix, True)
        if self._prefix:
            for l in self.listeners:
                l.text(source, self._prefix)

    def _text(self, text: str):
        text = _UNSAFE.sub(".", text)
        source = self._source
        self._segment += len(text)
        self._physical += text
        self.last[source] += text
        for l in self.listeners:
            l.text(source, text)
        line = self.last[source]
        for l in self.listeners:
            l.line(source, line, False)

    def _backspace(self):
        if self._segment == 0:
            return   # nothing of this physical line to erase (the tag never is)
        source = self._source
        self._segment -= 1
        self._physical = self._physical[:-1]
        self.last[source] = self.last[source][:-1]
        for l in self.listeners:
            l.backspace(source)
        line = self.last[source]
        for l in self.listeners:
            l.line(source, line, False)

    def _end(self):
        source, physical = self._source, self._physical
        self._source = None
        self._physical = ""
        self._segment = 0
        for l in self.listeners:
            l.end(source, physical)


def tagged(source: str, text: str) -> str:
    """A logical line as it reads in the combined console: '[cell] text' for a
    cell; hypervisor lines carry their tag already (or are untagged)."""
    return text if source == HYP else f"[{source}] {text}"


_TERMINAL_TABLE = bytes(
    b if b in (0x08, 0x09, 0x0A, 0x0D) or 0x20 <= b != 0x7F else 0x2E for b in range(256))


def terminal_safe(data: bytes) -> bytes:
    """The stream as a terminal may show it: the protocol's own controls (TAB,
    BACKSPACE, CR, LF) kept, any other C0 control, ESC and DEL shown as '.'.
    (UTF-8 sequences are left whole; the hypervisor replaced cells' invalid ones.)"""
    return data.translate(_TERMINAL_TABLE)
