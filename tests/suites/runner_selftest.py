# SPDX-License-Identifier: Apache-2.0
"""Self-tests of the runner (tools/run.py, tools/bulkhead_run) against a fake QEMU
(tests/lib/fake_qemu.py) that speaks the hypervisor's console protocol: tagged
output, focus switching, statistics, the doubled command key. They check the
demultiplexing, where scripted input goes, the wait-for logic and the
deadline/stop/exit handling, without needing the hypervisor."""

import json
import os
import subprocess
import time

import bhtest
from bhtest import (FAKE_QEMU, PYTHON, ROOT, RunnerError, ScriptError, has_line,
                    load_system, parse_script, run_headless)
from bulkhead_run import qemu_command, read_platform_options, read_system_options

FAKE = [PYTHON, FAKE_QEMU]
RUN_PY = os.path.join(ROOT, "tools", "run.py")
SYSTEM = {
    "system": "fakepair", "platform": "qemu-virt", "console_switch_key": 20,
    "cells": [
        {"index": 0, "name": "alpha", "harts": [0], "console": "ns16550"},
        {"index": 1, "name": "beta", "harts": [1, 2], "console": "ns16550"},
        {"index": 2, "name": "silent", "harts": [3], "console": "ns16550"},
    ],
}
PLATFORM = """\
# fake platform options; a comment line, a blank line and a quoted argument

-machine virt   # trailing comment
-smp 4
-append "a b"
"""


class Env:
    """A fake build directory (build/runner-selftest/sys) made once per run."""

    def __init__(self, build):
        self.dir = os.path.join(build, "runner-selftest")
        self.sys = os.path.join(self.dir, "sys")
        os.makedirs(self.sys, exist_ok=True)
        with open(os.path.join(self.sys, "system.json"), "w", encoding="utf-8") as f:
            json.dump(SYSTEM, f)
        with open(os.path.join(self.sys, "bulkhead.elf"), "wb") as f:
            f.write(b"\x7fELF fake")
        self.platform = self.path("platform.qemu", PLATFORM)

    def path(self, name, text=None):
        p = os.path.join(self.dir, name)
        if text is not None:
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            for old in (p, p + ".times"):
                if os.path.exists(old):
                    os.unlink(old)
        return p

    def run(self, seconds, actions=None, extra=None, stop_when=None, input_log=None):
        env = dict(os.environ)
        if input_log:
            env["FAKE_QEMU_INPUT"] = input_log
        return run_headless(self.sys, seconds, actions, extra, stop_when,
                            platform_qemu=self.platform, qemu=FAKE, env=env)

    def cli(self, args, stdin=b"", extra_env=None, timeout=30):
        env = dict(os.environ, BULKHEAD_QEMU=f"{PYTHON} {FAKE_QEMU}", **(extra_env or {}))
        p = subprocess.run([PYTHON, RUN_PY] + args, input=stdin, capture_output=True,
                           env=env, timeout=timeout, cwd=ROOT)
        return p.returncode, p.stdout.decode(), p.stderr.decode()


_env = None


def env(ctx):
    global _env
    if _env is None:
        _env = Env(ctx.build)
    return _env


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def trace_time(result, needle):
    for t, what in result.input_trace:
        if needle in what:
            return t
    raise AssertionError(f"input trace has no entry with {needle!r}: {result.input_trace}")


def raw_index(result, line):
    assert line in result.raw, f"console has no line {line!r}; " + bhtest.excerpt(result.raw)
    return result.raw.index(line)


def t_demux(ctx):
    e = env(ctx)
    r = e.run(1.2)
    logs = r.logs_dir
    assert r.stopped == "deadline", r.stopped
    assert 1.1 <= r.elapsed < 4, r.elapsed
    for name in ("alpha", "beta", "silent", "hypervisor", "console.raw"):
        assert os.path.isfile(os.path.join(logs, name + ".log")), f"{name}.log missing"
    alpha = read(os.path.join(logs, "alpha.log"))
    assert alpha == r.cells["alpha"], "alpha.log differs from the result's lines"
    assert alpha[0] == "alpha: boot hart 0", alpha[:3]
    ticks = [int(l.split()[1]) for l in alpha if l.startswith("tick ")]
    assert len(ticks) >= 5 and ticks == list(range(1, len(ticks) + 1)), ticks
    assert not any(l.startswith("[") or "\r" in l for l in alpha), "tag or CR left in alpha.log"
    assert read(os.path.join(logs, "beta.log")) == ["beta: boot hart 1"]
    assert os.path.getsize(os.path.join(logs, "silent.log")) == 0, "silent.log not empty"
    hyp = read(os.path.join(logs, "hypervisor.log"))
    assert hyp == r.hypervisor
    assert "OpenSBI v1.5.1 (fake)" in hyp, "untagged firmware line not in hypervisor.log"
    assert "[bulkhead] Bulkhead (fake) booting 3 cells" in hyp, hyp
    assert not any(l.startswith(("[alpha]", "[beta]")) for l in hyp), "cell line in hypervisor.log"
    with open(os.path.join(logs, "console.raw.log"), "rb") as f:
        raw = f.read()
    assert b"[alpha] tick 1\r\n[alpha] tick 2\r\n" in raw, raw[:200]
    # QEMU may be stopped in the middle of a line: that one has no "\n" yet.
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    assert lines == len(alpha) + 1 + len(hyp), "raw log and split logs disagree"


def t_exit_and_partial_line(ctx):
    r = env(ctx).run(20, extra=["-fake-exit-after", "0.5"])
    assert r.stopped == "exited", r.stopped
    assert r.qemu_status == 0, r.qemu_status
    assert r.elapsed < 5, f"took {r.elapsed:.1f} s after QEMU exited"
    assert r.cells["silent"] == ["last words"], r.cells["silent"]


def t_input_addressing(ctx):
    e = env(ctx)
    inlog = e.path("input.bytes")
    r = e.run(10, [
        r"wait-for alpha ^tick 2$ 5",
        "at 0 beta hello beta",
        "at 0.1 alpha   hi alpha  ",
        "at 0.2 beta !key 03 0x14",
        "at 0.3 hyp s",
        "at 0.4 hyp 2",
        "at 0.5 silent psst",
    ], stop_when=lambda r: r.script_done and r.since_script_done() > 0.3, input_log=inlog)
    assert r.script_error is None, r.script_error
    with open(inlog, "rb") as f:
        sent = f.read()
    # ... and last, the runner's own request for the final statistics.
    expect = (b"\x141hello beta\r" b"\x140hi alpha\r" b"\x141\x03\x14\x14"
              b"\x14s" b"\x142" b"\x142psst\r" b"\x14s")
    assert sent == expect, f"bytes sent {sent!r}, expected {expect!r}"
    beta, alpha = r.cells["beta"], r.cells["alpha"]
    assert "echo: hello beta" in beta, bhtest.excerpt(beta, title="beta")
    assert "key 0x03" in beta and "key 0x14" in beta, bhtest.excerpt(beta, title="beta")
    assert "echo: hi alpha" in alpha, bhtest.excerpt(alpha, title="alpha")
    assert not has_line(alpha, "hello beta|psst|key 0x"), "beta's/silent's input reached alpha"
    assert r.cells["silent"] == ["echo: psst"], r.cells["silent"]
    assert "[bulkhead] console: input goes to cell beta" in r.hypervisor
    assert "[bulkhead] console: input goes to cell silent" in r.hypervisor
    assert "[bulkhead] stats: beta: sbi 0 mmio 0 faults 0" in r.hypervisor
    t0, t1 = trace_time(r, "type 'hello beta'"), trace_time(r, "type 'hi alpha'")
    assert t1 - t0 >= 0.1, f"'at 0.1' came {t1 - t0:.3f} s after 'at 0'"
    # Characters are typed apart, not written in one go: the 13 bytes of the
    # first action arrive over at least 12 pauses of ~2 ms.
    stamps = []
    with open(inlog + ".times", encoding="ascii") as f:
        for line in f:
            t, data = line.split()
            stamps += [float(t)] * (len(data) // 2)
    span = stamps[12] - stamps[0]
    assert span >= 0.02, f"the first 13 bytes arrived within {span * 1000:.1f} ms"


def t_focus_past_ten_cells(ctx):
    """Twelve cells: a cell number of two digits ends by itself (11 and 10 name
    no longer number), one that a longer one starts with (1) ends with Enter,
    and what is typed after it reaches that cell alone."""
    e = env(ctx)
    big = dict(SYSTEM, system="fake12", cells=[
        {"index": i, "name": f"c{i}", "harts": [i], "console": "ns16550"} for i in range(12)])
    sys12 = os.path.join(e.dir, "sys12")
    os.makedirs(sys12, exist_ok=True)
    with open(os.path.join(sys12, "system.json"), "w", encoding="utf-8") as f:
        json.dump(big, f)
    with open(os.path.join(sys12, "bulkhead.elf"), "wb") as f:
        f.write(b"\x7fELF fake")
    inlog = e.path("input12.bytes")
    r = run_headless(sys12, 10, ["wait-for c0 ^tick 2$ 5", "at 0 c11 eleven", "at 0.1 c1 one",
                                 "at 0.2 c10 ten", "at 0.3 c0 zero"],
                     stop_when=lambda r: r.script_done and r.since_script_done() > 0.3,
                     platform_qemu=e.platform, qemu=FAKE,
                     env=dict(os.environ, FAKE_QEMU_INPUT=inlog))
    assert r.script_error is None, r.script_error
    with open(inlog, "rb") as f:
        sent = f.read()
    expect = b"\x1411eleven\r" b"\x141\rone\r" b"\x1410ten\r" b"\x140zero\r" b"\x14s"
    assert sent == expect, f"bytes sent {sent!r}, expected {expect!r}"
    for cell, word in (("c11", "eleven"), ("c1", "one"), ("c10", "ten"), ("c0", "zero")):
        assert f"echo: {word}" in r.cells[cell], bhtest.excerpt(r.cells[cell], title=cell)
        assert f"[bulkhead] console: input goes to cell {cell}" in r.hypervisor, r.hypervisor
        others = [c for c in r.cells if c != cell and f"echo: {word}" in r.cells[c]]
        assert not others, f"'{word}' typed to {cell} reached {others}"


def t_wait_for(ctx):
    r = env(ctx).run(10, [
        r"wait-for alpha ^tick \d+$",
        r"wait-for alpha ^tick \d+$",
        r"wait-for alpha ^tick 5$ 5",
        "at 0 beta first",
        "at 0.4 beta second",
        "wait-for beta ^echo: second$ 5",
        "at 0 alpha third",
    ], stop_when=lambda r: "echo: third" in r.cells["alpha"])
    assert r.script_error is None, r.script_error
    assert r.stopped == "stop_when", r.stopped
    matched = [w for _, w in r.input_trace if " matched " in w]
    assert matched[0].endswith("'tick 1'") and matched[1].endswith("'tick 2'"), \
        f"two waits for the same regex should match two lines: {matched}"
    assert raw_index(r, "[alpha] tick 5") < raw_index(r, "[beta] echo: first"), \
        "text sent before the wait-for matched"
    gap = trace_time(r, "type 'second'") - trace_time(r, "matched wait for /^tick 5$/")
    assert 0.38 <= gap < 1.0, f"'at 0.4' after a wait-for came {gap:.3f} s after the match"
    assert raw_index(r, "[beta] echo: second") < raw_index(r, "[alpha] echo: third")


def t_wait_for_timeout(ctx):
    e = env(ctx)
    inlog = e.path("input.bytes")
    start = time.monotonic()
    r = e.run(5, ["wait-for silent never 0.3", "at 0 alpha not-sent"],
              stop_when=lambda r: r.script_error is not None, input_log=inlog)
    assert r.script_error and "<input_actions>:1" in r.script_error \
        and "timed out after 0.3 s" in r.script_error, r.script_error
    assert time.monotonic() - start < 3, "timeout did not end the wait"
    assert not r.script_done
    # Only the runner's final statistics request may follow a timed-out wait-for.
    sent = open(inlog, "rb").read() if os.path.exists(inlog) else b""
    assert sent in (b"", b"\x14s"), f"input was sent after a timed-out wait-for: {sent!r}"
    assert not has_line(r.cells["alpha"], "not-sent")


def t_stop_when(ctx):
    seen = []

    def stop(r):
        seen.append(len(r.cells["alpha"]))
        return "tick 3" in r.cells["alpha"]

    r = env(ctx).run(30, stop_when=stop)
    assert r.stopped == "stop_when", r.stopped
    assert r.elapsed < 5, r.elapsed
    assert r.qemu_status is not None, "QEMU still running after the run"
    assert "tick 3" in r.cells["alpha"] and len(seen) >= 2, seen


def t_deadline_kills(ctx):
    start = time.monotonic()
    r = env(ctx).run(0.5, extra="-fake-ignore-term")
    took = time.monotonic() - start
    assert r.stopped == "deadline", r.stopped
    assert r.qemu_status == -9, f"QEMU ignoring SIGTERM should be killed, status {r.qemu_status}"
    assert took < 6, took


def t_failed_start(ctx):
    e = env(ctx)
    try:
        e.run(5, extra="-fake-fail")
    except RunnerError as err:
        assert "QEMU failed to start" in str(err) and "invalid option" in str(err), str(err)
    else:
        raise AssertionError("a QEMU that exits at once with an error was not reported")
    try:
        run_headless(e.sys, 5, qemu=["/nonexistent/qemu-system-riscv64"],
                     platform_qemu=e.platform)
    except RunnerError as err:
        assert "cannot start QEMU" in str(err), str(err)
    else:
        raise AssertionError("a missing QEMU binary was not reported")


def t_script_parsing(ctx):
    s = load_system(env(ctx).sys)
    acts = parse_script("# c\n\n  # indented comment\nwait-for alpha tick 5 30\nwait-for hyp "
                        "tick 5\nat 1.5 beta  a # b \nat 2 alpha !key 1b 5B 0x41\nat 3 hyp s\n",
                        s, "x.txt")
    assert [a.kind for a in acts] == ["wait", "wait", "send", "key", "hyp"], acts
    assert acts[0].pattern.pattern == "tick 5" and acts[0].timeout == 30
    assert acts[1].pattern.pattern == "tick" and acts[1].timeout == 5 and acts[1].target == "hyp"
    assert acts[2].text == "a # b" and acts[2].cell_index == 1 and acts[2].at == 1.5
    assert acts[3].data == b"\x1b\x5b\x41" and acts[3].line == 7
    assert acts[4].text == "s"
    bad = {
        "at 1 alpha x\nat 2 gamma hi\n": "x.txt:2: unknown cell 'gamma'",
        "wait-for gama x\n": "x.txt:1: unknown cell 'gama'",
        "at 2 alpha a\nat 1 alpha b\n": "x.txt:2: time 1 is before 2 on line 1",
        "at x alpha a\n": "x.txt:1: 'x' is not a time",
        "at 1 alpha !key 1g\n": "x.txt:1: '1g' is not a byte",
        "at 1 alpha !key\n": "x.txt:1: !key needs",
        "at 1 hyp st\n": "x.txt:1: 'at <seconds> hyp' takes one letter",
        "wait-for alpha (\n": "x.txt:1: bad regex",
        "send alpha x\n": "x.txt:1: unknown action 'send'",
        "at 1\n": "x.txt:1: expected",
    }
    for text, want in bad.items():
        try:
            parse_script(text, s, "x.txt")
        except ScriptError as err:
            assert want in str(err), f"{text!r}: got {err}, want {want!r}"
        else:
            raise AssertionError(f"{text!r} was accepted")
    # After a wait-for the clock starts again, so earlier times are fine.
    parse_script("at 5 alpha a\nwait-for alpha x\nat 1 alpha b\n", s, "x.txt")


def t_qemu_command(ctx):
    e = env(ctx)
    assert read_platform_options(e.platform) == ["-machine", "virt", "-smp", "4",
                                                 "-append", "a b"]
    s = load_system(e.sys)
    cmd = qemu_command(s, e.platform, icount=True, gdb=True, extra="-d 'int,guest_errors'",
                       qemu=["qemu"])
    assert cmd == ["qemu", "-machine", "virt", "-smp", "4", "-append", "a b", "-display", "none",
                   "-serial", "stdio", "-monitor", "none", "-kernel", s.elf, "-icount",
                   "shift=0", "-s", "-S", "-d", "int,guest_errors"], cmd
    real = read_platform_options(os.path.join(ROOT, "dts", "qemu-virt.qemu"))
    assert real[0] == "-machine" and real[1].split(",")[0] == "virt" and "-bios" in real, real


SYSTEM_QEMU = """\
# extra.qemu of the fake system (a copy of configs/<name>.qemu in a real build)

-device virtio-rng-device   # the device a cell drives
-fake-tick 0.05
-append "x y"
"""
SYSTEM_QEMU_ARGS = ["-device", "virtio-rng-device", "-fake-tick", "0.05", "-append", "x y"]


def system_with_options(e, text):
    """A second fake build directory whose extra.qemu holds `text` (None: no file)."""
    d = os.path.join(e.dir, "sysx")
    os.makedirs(d, exist_ok=True)
    for name in ("system.json", "bulkhead.elf"):
        with open(os.path.join(e.sys, name), "rb") as src, \
                open(os.path.join(d, name), "wb") as dst:
            dst.write(src.read())
    path = os.path.join(d, "extra.qemu")
    if text is None:
        if os.path.exists(path):
            os.unlink(path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return d


def t_system_qemu_options(ctx):
    e = env(ctx)
    d = system_with_options(e, SYSTEM_QEMU)
    s = load_system(d)
    assert s.extra_qemu_file == os.path.join(d, "extra.qemu"), s.extra_qemu_file
    assert read_system_options(s) == SYSTEM_QEMU_ARGS, read_system_options(s)
    cmd = qemu_command(s, e.platform, extra="-no-reboot", qemu=["qemu"])
    assert cmd == ["qemu", "-machine", "virt", "-smp", "4", "-append", "a b"] + SYSTEM_QEMU_ARGS + \
        ["-display", "none", "-serial", "stdio", "-monitor", "none", "-kernel", s.elf,
         "-no-reboot"], cmd
    # Headless: QEMU gets them (and obeys: the fake ticks every 0.05 s instead of 0.1 s).
    argv_log = e.path("argv-sysx.json")
    r = run_headless(d, 1.5, platform_qemu=e.platform, qemu=FAKE,
                     env=dict(os.environ, FAKE_QEMU_ARGV=argv_log))
    with open(argv_log, encoding="utf-8") as f:
        argv = json.load(f)
    assert argv[argv.index("-device"):argv.index("-device") + 6] == SYSTEM_QEMU_ARGS, argv
    assert r.command == [PYTHON, FAKE_QEMU] + argv, (r.command, argv)
    ticks = [l for l in r.cells["alpha"] if l.startswith("tick ")]
    assert len(ticks) >= 17, f"{len(ticks)} ticks in 1.5 s: -fake-tick 0.05 from extra.qemu " \
        f"was not applied"
    # Command line: --print-command, and an interactive run.
    rc, out, err = e.cli(["--build", d, "--platform-qemu", e.platform, "--print-command"])
    assert rc == 0 and "-device virtio-rng-device -fake-tick 0.05 -append 'x y' -display none" \
        in out, (rc, out, err)
    rc, out, err = e.cli(["--build", d, "--platform-qemu", e.platform, "--extra-qemu",
                          "-fake-exit-after 0.3"], extra_env={"FAKE_QEMU_ARGV": argv_log})
    assert rc == 0, f"exit {rc}: {err}"
    with open(argv_log, encoding="utf-8") as f:
        argv = json.load(f)
    assert all(a in argv for a in SYSTEM_QEMU_ARGS), argv
    # An empty file (the Makefile's stand-in when configs/<name>.qemu is absent) and a
    # missing one add nothing.
    for text in ("", None):
        d = system_with_options(e, text)
        assert qemu_command(load_system(d), e.platform, qemu=["qemu"]) == \
            qemu_command(load_system(e.sys), e.platform, qemu=["qemu"])[:-1] + \
            [os.path.join(d, "bulkhead.elf")]
    # {build} stands for the system's build directory (the big platforms' firmware).
    d = system_with_options(e, "-bios {build}/fw.bin\n")
    cmd = qemu_command(load_system(d), e.platform, qemu=["qemu"])
    assert cmd[7:9] == ["-bios", os.path.join(os.path.abspath(d), "fw.bin")], cmd
    # A broken line is reported with the file and line, before QEMU starts.
    d = system_with_options(e, "-smp 4\n# ok\n-append 'unclosed\n")
    want = os.path.join(d, "extra.qemu") + ":3:"
    try:
        qemu_command(load_system(d), e.platform)
    except RunnerError as err:
        assert want in str(err), str(err)
    else:
        raise AssertionError("an unbalanced quote in extra.qemu was accepted")
    rc, out, err = e.cli(["--build", d, "--platform-qemu", e.platform, "--seconds", "1"],
                         extra_env={"FAKE_QEMU_ARGV": argv_log + ".bad"})
    assert rc == 1 and want in err, (rc, err)
    assert not os.path.exists(argv_log + ".bad"), "QEMU was started despite a broken extra.qemu"


def t_cli_headless(ctx):
    e = env(ctx)
    argv_log = e.path("argv.json")
    script = e.path("cli-input.txt", "# say hello\nwait-for alpha ^tick 2$ 5\nat 0 beta hey\n")
    rc, out, err = e.cli(["--build", e.sys, "--platform-qemu", e.platform, "--seconds", "1",
                          "--input", script, "--icount", "--extra-qemu", "-fake-tick",
                          "--extra-qemu", "0.05"],
                         extra_env={"FAKE_QEMU_ARGV": argv_log})
    assert rc == 0, f"exit {rc}: {err}"
    assert "[beta] echo: hey" in out.splitlines(), \
        "stdout lacks '[beta] echo: hey'; " + bhtest.excerpt(out.splitlines(), title="stdout")
    assert "stopped at the deadline" in err and "beta.log 2 lines" in err, err
    assert "terminating on signal" not in err, err
    with open(argv_log, encoding="utf-8") as f:
        argv = json.load(f)
    for seq in (["-machine", "virt", "-smp", "4"], ["-display", "none", "-serial", "stdio",
                "-monitor", "none", "-kernel", os.path.join(e.sys, "bulkhead.elf")],
                ["-icount", "shift=0"], ["-fake-tick", "0.05"]):
        assert any(argv[i:i + len(seq)] == seq for i in range(len(argv))), (seq, argv)
    assert "echo: hey" in read(os.path.join(e.sys, "logs", "beta.log"))


def t_cli_errors(ctx):
    e = env(ctx)
    argv_log = e.path("argv.json")
    script = e.path("bad-input.txt", "at 0 alpha ok\nat 1 gamma hi\n")
    rc, out, err = e.cli(["--build", e.sys, "--platform-qemu", e.platform, "--seconds", "1",
                          "--input", script], extra_env={"FAKE_QEMU_ARGV": argv_log})
    assert rc != 0, "an unknown cell in the script was accepted"
    assert f"{script}:2: unknown cell 'gamma'" in err, err
    assert not os.path.exists(argv_log), "QEMU was started despite a bad script"
    rc, out, err = e.cli(["--build", e.sys, "--platform-qemu", e.platform, "--seconds", "1",
                          "--extra-qemu", "-fake-fail"])
    assert rc != 0 and "QEMU failed to start" in err and "invalid option" in err, (rc, err)
    rc, out, err = e.cli(["--build", e.dir, "--seconds", "1"])
    assert rc != 0 and "system.json not found" in err, (rc, err)
    rc, out, err = e.cli(["--build", e.sys, "--input", script])
    assert rc != 0 and "--input needs --seconds" in err, (rc, err)


def t_cli_interactive(ctx):
    e = env(ctx)
    argv_log = e.path("argv.json")
    rc, out, err = e.cli(["--build", e.sys, "--platform-qemu", e.platform, "--gdb",
                          "--extra-qemu", "-fake-exit-after 1"], stdin=b"\x141yo\r",
                         extra_env={"FAKE_QEMU_ARGV": argv_log})
    assert rc == 0, f"exit {rc}: {err}"
    banner = err.splitlines()[0]
    for want in ("fakepair", "0=alpha (hart 0)", "1=beta (harts 1,2)", "Ctrl-T 0..2",
                 "Ctrl-T s", "Ctrl-C quits"):
        assert want in banner, f"{want!r} not in banner {banner!r}"
    assert "localhost:1234" in err and "target remote" in err, err
    assert "[beta] echo: yo" in out.splitlines(), out
    with open(argv_log, encoding="utf-8") as f:
        argv = json.load(f)
    assert "-s" in argv and "-S" in argv and "stdio" in argv and "none" in argv, argv
    rc, out, err = e.cli(["--help"])
    for want in ("at <seconds> <cell> <text>", "!key", "at <seconds> hyp <letter>",
                 "wait-for <cell|hyp> <regex> [timeout]", "hypervisor.log", "BULKHEAD_QEMU"):
        assert want in out, f"--help does not document {want!r}"


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*": ["TOOL-RUN-2"],
    "demux_per_cell_logs": ["TOOL-RUN-1"],
    "qemu_exit_and_partial_last_line": ["TOOL-RUN-1"],
    "focus_past_ten_cells": ["CON-8"],
}


def collect(ctx):
    tests = [
        ("demux_per_cell_logs", t_demux),
        ("qemu_exit_and_partial_last_line", t_exit_and_partial_line),
        ("input_addressing", t_input_addressing),
        ("focus_past_ten_cells", t_focus_past_ten_cells),
        ("wait_for_order_and_clock", t_wait_for),
        ("wait_for_timeout_stops_script", t_wait_for_timeout),
        ("stop_when_ends_early", t_stop_when),
        ("deadline_terminates_then_kills", t_deadline_kills),
        ("failed_start_is_an_error", t_failed_start),
        ("script_parsing_and_errors", t_script_parsing),
        ("qemu_command_line", t_qemu_command),
        ("system_qemu_options_from_build", t_system_qemu_options),
        ("cli_headless", t_cli_headless),
        ("cli_errors", t_cli_errors),
        ("cli_interactive_and_help", t_cli_interactive),
    ]
    return [(name, (lambda f: lambda: f(ctx))(fn)) for name, fn in tests]
