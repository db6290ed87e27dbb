# SPDX-License-Identifier: Apache-2.0
"""Unit tests of the console stream demultiplexer (tools/bulkhead_run/demux.py)
and what it feeds: the per-source log files whose open last line is rewritten
in place, the run result's line lists, the split view's per-pane streams and
its idea of the input focus. Canned byte streams, no QEMU."""

import os
import shutil

import bhtest  # noqa: F401  (puts tools/ on sys.path)
from bulkhead_run.demux import HYP, Demux, Listener
from bulkhead_run.headless import Console, RunResult
from bulkhead_run.logs import LogFile
from bulkhead_run.split import FocusTracker, PaneStreams
from bulkhead_run.system import Cell, System

CELLS = ["rtos", "linux"]


class Record(Listener):
    """Keeps every source's logical lines as the events describe them."""

    def __init__(self):
        self.lines = {"rtos": [], "linux": [], HYP: []}
        self.events = []

    def start(self, source, continued):
        self.events.append(("start", source, continued))

    def backspace(self, source):
        self.events.append(("bs", source))

    def end(self, source, physical):
        self.events.append(("end", source, physical))

    def line(self, source, text, new):
        if new:
            self.lines[source].append(text)
        else:
            assert self.lines[source], f"{source}: a change before any line"
            self.lines[source][-1] = text


def parse(*chunks, finish=False):
    rec = Record()
    d = Demux(CELLS, [rec])
    for c in chunks:
        d.feed(c)
    if finish:
        d.finish()
    return rec


def bytewise(stream):
    return [stream[i:i + 1] for i in range(len(stream))]


def same_every_way(stream):
    """The result must not depend on how the bytes were cut into reads."""
    whole = parse(stream).lines
    for cut in (bytewise(stream), [stream[i:i + 3] for i in range(0, len(stream), 3)]):
        got = parse(*cut).lines
        assert got == whole, f"cut into reads: {got} != in one read: {whole}"
    return whole


def t_whole_lines(ctx):
    # The stream of older hypervisors: whole tagged lines only.
    got = same_every_way(b"[rtos] tick 1\r\n[linux] hello\r\n[bulkhead] cell rtos: started\r\n"
                         b"[rtos] tick 2\r\n")
    assert got == {"rtos": ["tick 1", "tick 2"], "linux": ["hello"],
                   HYP: ["[bulkhead] cell rtos: started"]}, got


def t_partial_prompt(ctx):
    rec = parse(b"[rtos] tick 1\r\n", b"[rtos] msh />")
    assert rec.lines["rtos"] == ["tick 1", "msh />"], rec.lines["rtos"]
    assert rec.events[-1] == ("start", "rtos", False), "the open line was ended"
    # Typed characters echoed on the same line are part of it at once.
    rec = parse(b"[rtos] msh />", b"l", b"s")
    assert rec.lines["rtos"] == ["msh />ls"], rec.lines["rtos"]


def t_continuation(ctx):
    stream = (b"[rtos] msh />\r\n[bulkhead] console: input goes to cell rtos\r\n"
              b"[linux] boot\r\n[rtos]+ ls\r\n[rtos] bin dev\r\n[linux] # \r\n[rtos] msh />")
    got = same_every_way(stream)
    assert got["rtos"] == ["msh />ls", "bin dev", "msh />"], got["rtos"]
    assert got["linux"] == ["boot", "# "], got["linux"]
    assert got[HYP] == ["[bulkhead] console: input goes to cell rtos"], got[HYP]
    # "[x] " after an interruption is a new line, not a continuation.
    got = same_every_way(b"[rtos] a\r\n[linux] b\r\n[rtos] c\r\n")
    assert got["rtos"] == ["a", "c"], got["rtos"]
    # A continuation of a source that never printed starts its first line.
    got = same_every_way(b"[rtos]+ late\r\n")
    assert got["rtos"] == ["late"], got["rtos"]


def t_backspace(ctx):
    got = same_every_way(b"[rtos] msh />lx\x08 \x08s\r\n")
    assert got["rtos"] == ["msh />ls"], got["rtos"]
    # A backspace never reaches past its physical line: at the start of a
    # continuation it has nothing to erase.
    got = same_every_way(b"[rtos] ab\r\n[linux] z\r\n[rtos]+ \x08c\x08d\r\n")
    assert got["rtos"] == ["abd"], got["rtos"]
    # Backspaces erase characters, not bytes.
    got = same_every_way("[rtos] nxé\b\bo\r\n".encode())
    assert got["rtos"] == ["no"], got["rtos"]


def t_invalid_utf8(ctx):
    got = same_every_way(b"[rtos] a\xffb\xc3\r\n[rtos] \xe2\x82\xac\r\n")
    assert got["rtos"] == ["a\ufffdb\ufffd", "\u20ac"], got["rtos"]
    got = parse(b"[linux] caf\xc3", b"\xa9").lines
    assert got["linux"] == ["caf\u00e9"], got["linux"]
    # Controls a terminal would act on are shown, not obeyed; TAB stays.
    got = same_every_way(b"\x1b[2Jbanner\r\n[rtos] a\tb\x07\r\n")
    assert got[HYP] == [".[2Jbanner"] and got["rtos"] == ["a\tb."], got


def t_untagged(ctx):
    got = same_every_way(b"\r\nOpenSBI v1.5\r\n[nosuch] x\r\n[rtos]y\r\n[rtos\r\n"
                         b"[bulkhead] boot\r\n[rtos]\r\n[rtos] z\r\n")
    assert got[HYP] == ["", "OpenSBI v1.5", "[nosuch] x", "[rtos]y", "[rtos",
                        "[bulkhead] boot"], got[HYP]
    assert got["rtos"] == ["", "z"], got["rtos"]
    # An untagged line is visible before it ends, once it cannot be a tag.
    rec = parse(b"OpenSBI v1")
    assert rec.lines[HYP] == ["OpenSBI v1"], rec.lines
    rec = parse(b"[rto")
    assert rec.lines[HYP] == [], "a possible tag was taken for text"
    rec = parse(b"[rto", finish=True)
    assert rec.lines[HYP] == ["[rto"], "a cut tag at the end of the stream was lost"


def t_long_line(ctx):
    text = "".join(chr(ord("a") + i % 26) for i in range(10 * 1024))
    stream = b"[linux] " + text.encode() + b"\r\n[rtos] after\r\n"
    pieces, pos = [], 0          # reads of 1..7 bytes
    while pos < len(stream):
        n = 1 + len(pieces) % 7
        pieces.append(stream[pos:pos + n])
        pos += n
    rec = parse(*pieces)
    assert rec.lines["linux"] == [text], f"{len(rec.lines['linux'])} lines, first " \
        f"{len(rec.lines['linux'][0]) if rec.lines['linux'] else 0} characters"
    assert rec.lines["rtos"] == ["after"]
    physical = [e for e in rec.events if e[0] == "end" and e[1] == "linux"]
    assert physical == [("end", "linux", "[linux] " + text)], "not one physical line"


def fake_system(d):
    return System(name="unit", platform="qemu-virt", build_dir=d, switch_key=0x14,
                  cells=[Cell(0, "rtos", [0]), Cell(1, "linux", [1, 2])])


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def t_logs_and_result(ctx):
    d = os.path.join(ctx.build, "console-demux")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    system = fake_system(d)
    r = RunResult(system, system.logs_dir, ["none"])
    c = Console(system, system.logs_dir, r)
    log = os.path.join(system.logs_dir, "rtos.log")
    c.feed(b"OpenSBI\r\n[rtos] tick 1\r\n[rtos] msh />")
    assert read_text(log) == "tick 1\nmsh />\n", repr(read_text(log))
    c.feed(b"lx")
    assert read_text(log) == "tick 1\nmsh />lx\n", repr(read_text(log))
    c.feed(b"\x08 \x08")
    assert read_text(log) == "tick 1\nmsh />l\n", repr(read_text(log))
    c.feed(b"\r\n[bulkhead] stats\r\n[linux] up\r\n[rtos]+ s\r\n")
    assert read_text(log) == "tick 1\nmsh />ls\n", repr(read_text(log))
    c.feed(b"[rtos] bin\r\n[linux] # ")
    c.finish()
    c.close()
    assert read_text(log) == "tick 1\nmsh />ls\nbin\n", repr(read_text(log))
    assert read_text(os.path.join(system.logs_dir, "linux.log")) == "up\n# \n"
    assert read_text(os.path.join(system.logs_dir, "hypervisor.log")) == \
        "OpenSBI\n[bulkhead] stats\n"
    with open(os.path.join(system.logs_dir, "console.raw.log"), "rb") as f:
        assert f.read() == (b"OpenSBI\r\n[rtos] tick 1\r\n[rtos] msh />lx\x08 \x08\r\n"
                            b"[bulkhead] stats\r\n[linux] up\r\n[rtos]+ s\r\n[rtos] bin\r\n"
                            b"[linux] # "), "console.raw.log is not the bytes received"
    assert r.cells == {"rtos": ["tick 1", "msh />ls", "bin"], "linux": ["up", "# "]}, r.cells
    assert r.hypervisor == ["OpenSBI", "[bulkhead] stats"], r.hypervisor
    assert r.raw == ["OpenSBI", "[rtos] tick 1", "[rtos] msh />ls", "[bulkhead] stats",
                     "[linux] up", "[rtos] bin", "[linux] # "], r.raw
    assert len(r.raw_times) == len(r.raw) and r.raw_times == sorted(r.raw_times)


def t_logfile_rewrite(ctx):
    d = os.path.join(ctx.build, "console-demux")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "rewrite.log")
    f = LogFile(path)
    f.new_line("first")
    f.new_line("x" * 50)
    f.set_last("short")           # shorter: the rest of the old line must go
    assert read_text(path) == "first\nshort\n", repr(read_text(path))
    f.set_last("shorter and longer")
    f.set_last("ab")
    f.new_line("é")
    f.set_last("éé")
    f.close()
    assert read_text(path) == "first\nab\néé\n", repr(read_text(path))


def t_pane_streams(ctx):
    sent = {"rtos": bytearray(), "linux": bytearray(), HYP: bytearray()}
    panes = PaneStreams(list(sent), lambda s, b: sent[s].extend(b))
    d = Demux(CELLS, [panes])
    d.feed(b"[rtos] tick 1\r\n[rtos] msh />l\r\n[bulkhead] console: input goes to cell rtos\r\n"
           b"[linux] boot\r\n[rtos]+ x\x08s\r\n[rtos] bin\r\n[rtos] msh />")
    # One pane per source, tags gone, the interrupted line whole, a newline
    # only when the source starts its next line.
    assert bytes(sent["rtos"]) == b"tick 1\r\nmsh />lx\bs\r\nbin\r\nmsh />", bytes(sent["rtos"])
    assert bytes(sent["linux"]) == b"boot", bytes(sent["linux"])
    assert bytes(sent[HYP]) == b"[bulkhead] console: input goes to cell rtos", bytes(sent[HYP])
    assert panes.history["rtos"] == sent["rtos"], "history differs from what was sent"


def t_focus_tracking(ctx):
    system = fake_system(".")
    f = FocusTracker(system)
    d = Demux(CELLS, [f])
    assert f.focus == 0
    d.feed(b"[bulkhead] console: input goes to cell linux\r\n")
    assert f.focus == 1, "the hypervisor's announcement was not followed"
    # The runner switched to rtos itself; the late answer to an older switch
    # must not undo that.
    f.focus, f.expected = 0, 1
    d.feed(b"[bulkhead] console: input goes to cell linux\r\n")
    assert f.focus == 0 and f.expected == 0, (f.focus, f.expected)
    d.feed(b"[bulkhead] console: input goes to cell linux\r\n")
    assert f.focus == 1
    d.feed(b"OpenSBI v1.5 (the machine was reset)\r\n")
    assert f.focus == 0, "a reset brings the focus back to cell 0"


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*": ["TOOL-RUN-1"],
    "split_*": ["TOOL-RUN-3"],
}


def collect(ctx):
    tests = [
        ("whole_lines", t_whole_lines),
        ("partial_prompt", t_partial_prompt),
        ("interruption_and_continuation", t_continuation),
        ("backspace", t_backspace),
        ("invalid_utf8_and_controls", t_invalid_utf8),
        ("untagged_lines", t_untagged),
        ("line_of_10_kb", t_long_line),
        ("logs_and_result_lists", t_logs_and_result),
        ("log_last_line_rewrite", t_logfile_rewrite),
        ("split_pane_streams", t_pane_streams),
        ("split_focus_tracking", t_focus_tracking),
    ]
    return [(name, (lambda f: lambda: f(ctx))(fn)) for name, fn in tests]
