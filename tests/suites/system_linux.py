# SPDX-License-Identifier: Apache-2.0
"""System tests of the Linux systems under QEMU:

  linux-baremetal  cell 'rtos' (cells/rtos-contract, hart 0) + cell 'linux' (harts 1, 2)
  linux-rtthread   cell 'rtthread' (built with RTTHREAD_IMAGE=<build>/images/rtos-contract.bin,
                   the stand-in that follows RT-Thread's contract) + the same cell 'linux'

One headless boot per system serves all of that system's tests (about 16 s each,
ended by stop_when as soon as everything asserted on has been seen). Input script:

  1. wait for the end of Linux's first boot (/proc/interrupts' last line, KGDB);
  2. type 'echo <unique token>' to linux, wait for the token;
  2b. BusyBox's shell: each command of BUSYBOX between two marker lines
     ('echo @NAME; COMMAND; echo NAME@'), each waited for; then 'sleep 30' and
     Ctrl-C, which must give the prompt back at once (job control on the tty);
  3. idle window: statistics (console key + s) twice, IDLE_WINDOW s apart,
     while Linux sits at its prompt;
  4. type 'reboot' (BusyBox's applet: it signals /init, which makes the reboot
     system call): the hypervisor restarts the cell, Linux boots a second time;
  5. AFTER_REBOOT s later, type 'poweroff' (the same way): the hypervisor stops the cell; the run goes on for
     AFTER_STOP s so the RTOS can be seen ticking on.

The RT-Thread image check and the RTTHREAD_SRC build path are tested in
tests/suites/rtthread_build.py.
"""

import json
import os
import re
import time
import uuid

import bhtest
from bhtest import assert_line, assert_no_line, excerpt, matching
from bulkhead_run.stats import parse_stats

LINUX = "linux"
SECONDS = 60            # upper bound; stop_when ends a good run after ~16 s
BOOT_TIMEOUT = 40       # Linux boot to its init's last line, seconds
IDLE_WINDOW = 5         # seconds between the two statistics snapshots
AFTER_STOP = 4.5        # seconds the run goes on after the linux cell stopped
MIN_TICKS_AFTER_STOP = 3
AFTER_REBOOT = 2.5      # seconds Linux idles after its second boot before 'poweroff'
MAX_TICK_GAP = 2.5      # seconds between two ticks of a 1 s tick (host-time jitter allowed)
INIT = r"^bulkhead-linux: init started$"
INIT_DONE = r"KGDB"     # the last line of /proc/interrupts, printed just before the prompt
SLOW_HOST_NOTE = re.compile(r"^hrtimer: interrupt took \d+ ns$")
TICK = r"^tick (\d+)$"
CONTRACT_IMAGE = "rtos-contract"
# Commands typed to BusyBox's shell, each output read between "@NAME" and
# "NAME@" (lines that only the output, never the typed line, consists of).
BUSYBOX = (
    ("cpuinfo", "cat /proc/cpuinfo"),
    ("lsproc", "ls /proc"),
    ("mount", "mount"),
    ("dmesgtail", "dmesg | tail -n 3"),
    ("cmdline", "dmesg | grep 'command line'"),
    ("iplink", "ip link"),
    ("ps", "ps"),
    ("free", "free"),
)
BUSYBOX_BANNER = r"^BusyBox v\S+ .*built-in shell \(ash\)$"
INTERRUPTED = "intr@"    # echoed after Ctrl-C ended 'sleep 30'
# The shared-memory channel (docs/shmem.md), in systems that have one.
CHANNEL_RECV = "bhshmrecv"
CHANNEL_TEXT = "hello-from-linux"
CHANNEL_PING = "bhshmping"
CHANNEL_PINGS = 5
# What must never appear in the hypervisor log of these runs.
HYP_BAD = r"PANIC|FAULT|did not park|cannot run cells|firmware refused|unowned source"


def build_cmd(ctx, config):
    """The make command that builds a system, with BUILD= if not the default."""
    b = os.path.relpath(ctx.build, ctx.root)
    if b.startswith(".."):
        b = ctx.build
    extra = "" if b == "build" else f" BUILD={b}"
    if config == "linux-rtthread":
        return (f"make CONFIG=linux-rtthread{extra} "
                f"RTTHREAD_IMAGE={b}/images/{CONTRACT_IMAGE}.bin")
    return f"make CONFIG={config}{extra}"


def ticks(lines):
    return [int(m.group(1)) for m in matching(lines, TICK)]


class SystemRun:
    """The shared boot of one system and what the tests read from it."""

    def __init__(self, ctx, config, rtos):
        self.ctx = ctx
        self.config = config
        self.rtos = rtos
        self.build = os.path.join(ctx.build, config)
        self.token = "bh-token-" + uuid.uuid4().hex[:12]
        self.run = bhtest.CachedRun(self._boot)

    # -------------------------------------------------------------- the run
    def _check_build(self):
        elf = os.path.join(self.build, "bulkhead.elf")
        js = os.path.join(self.build, "system.json")
        missing = [p for p in (elf, js) if not os.path.isfile(p)]
        if missing:
            raise AssertionError(f"{', '.join(missing)} missing: run "
                                 f"`{build_cmd(self.ctx, self.config)}` first")
        system = bhtest.load_system(self.build)
        names = system.cell_names()
        for name in (self.rtos, LINUX):
            assert name in names, f"{js}: no cell '{name}' (cells: {', '.join(names)})"
        if self.config == "linux-rtthread":
            # The test drives the contract stand-in; a build with a real RT-Thread
            # image (or any other) would not print ticks.
            want = os.path.join(self.ctx.build, "images", CONTRACT_IMAGE + ".bin")
            cell = self.cell_json()
            if not os.path.isfile(want) or os.path.getsize(want) != cell["image_size"]:
                raise AssertionError(
                    f"{self.build} was built with another RTTHREAD_IMAGE "
                    f"({cell['image_size']} bytes, not {want}); the test needs "
                    f"`{build_cmd(self.ctx, self.config)}`")

    def system_json(self):
        with open(os.path.join(self.build, "system.json"), encoding="utf-8") as f:
            return json.load(f)

    def cell_json(self, name=None):
        name = name or self.rtos
        for c in self.system_json()["cells"]:
            if c["name"] == name:
                return c
        raise AssertionError(f"{self.build}/system.json: no cell '{name}'")

    def _script(self):
        nharts = len(self.cell_json(LINUX)["harts"])
        last = rf"stats request cell={LINUX} hart=\d+ vhart={nharts - 1}\b"
        return [
            f"wait-for {LINUX} {INIT_DONE} {BOOT_TIMEOUT}",
            f"at 0.5 {LINUX} echo {self.token}",
            f"wait-for {LINUX} ^{self.token}$ 10",
        ] + [step for name, cmd in BUSYBOX for step in (
            f"at 0.2 {LINUX} echo @{name}; {cmd}; echo {name}@",
            f"wait-for {LINUX} ^{name}@$ 10",
        )] + self._channel_script() + [
            # Ctrl-C reaches 'sleep' only if the shell owns the console as its
            # controlling terminal; otherwise 'echo' waits 30 s and this times out.
            f"at 0.2 {LINUX} sleep 30",
            f"at 1.2 {LINUX} !key 03",
            f"at 1.4 {LINUX} echo {INTERRUPTED}",
            f"wait-for {LINUX} ^{INTERRUPTED}$ 5",
            "at 1 hyp s",
            f"wait-for hyp {last} 10",
            f"at {IDLE_WINDOW} hyp s",
            f"wait-for hyp {last} 10",
            f"at 0.5 {LINUX} reboot",
            f"wait-for hyp cell {LINUX}: restarting 10",
            f"wait-for {LINUX} {INIT} {BOOT_TIMEOUT}",
            f"wait-for {LINUX} {INIT_DONE} 20",
            f"at {AFTER_REBOOT} {LINUX} poweroff",
            f"wait-for hyp cell {LINUX}: stopped 15",
        ]

    def has_channel(self):
        return any(m["cell"] == LINUX for ch in self.system_json().get("channels", []) for m in ch["members"])

    def _channel_script(self):
        """The channel between the two cells (docs/shmem.md): two of the rtos's
        samples received through UIO, then a message the other way."""
        if not self.has_channel():
            return []
        return [
            f"at 0.2 {LINUX} echo @{CHANNEL_RECV}; bhshm recv 2 10; echo {CHANNEL_RECV}@",
            f"wait-for {LINUX} ^{CHANNEL_RECV}@$ 15",
            f"at 0.2 {LINUX} bhshm send {CHANNEL_TEXT}",
            f"wait-for {self.rtos} ^shm telemetry: from {LINUX}: {CHANNEL_TEXT}$ 5",
            f"at 0.2 {LINUX} echo @{CHANNEL_PING}; bhshm ping {CHANNEL_PINGS}; echo {CHANNEL_PING}@",
            f"wait-for {LINUX} ^{CHANNEL_PING}@$ 30",
        ]

    def _done(self, r):
        return r.script_done and r.since_script_done() >= AFTER_STOP

    def _boot(self):
        self._check_build()
        return bhtest.run_headless(self.build, SECONDS, self._script(), stop_when=self._done)

    def get(self):
        return self.run.get()

    @property
    def times(self):
        """When each line of r.raw started arriving (same index)."""
        return self.get().raw_times

    # -------------------------------------------------------------- views
    def raw_index(self, regex, start=0, what=None):
        """Index in r.raw of the first line at or after start that matches regex."""
        r = self.get()
        pat = re.compile(regex)
        for i in range(start, len(r.raw)):
            if pat.search(r.raw[i]):
                return i
        raise AssertionError(f"{what or regex}: no such line in the console output "
                             f"(after line {start}); " + excerpt(r.raw[start:], title="console"))

    def ticks_between(self, a, b):
        """rtos tick numbers of the raw lines a..b-1."""
        tag = re.compile(r"^\[" + re.escape(self.rtos) + r"\] tick (\d+)$")
        out = []
        for line in self.get().raw[a:b]:
            m = tag.match(line)
            if m:
                out.append(int(m.group(1)))
        return out

    def tick_times(self):
        """[(tick number, arrival time)] of the rtos cell's tick lines."""
        tag = re.compile(r"^\[" + re.escape(self.rtos) + r"\] tick (\d+)$")
        r = self.get()
        return [(int(m.group(1)), r.raw_times[i]) for i, m in
                ((i, tag.match(l)) for i, l in enumerate(r.raw)) if m]

    def init_lines(self):
        tag = f"[{LINUX}] "
        r = self.get()
        return [i for i, l in enumerate(r.raw)
                if l.startswith(tag) and re.search(INIT, l[len(tag):])]

    def busybox_output(self, name):
        """Lines printed between '@name' and 'name@' in the linux log."""
        lines = self.get().cells[LINUX]
        try:
            a = lines.index(f"@{name}")
            b = lines.index(f"{name}@", a + 1)
        except ValueError:
            raise AssertionError(f"{LINUX}.log lacks the output of "
                                 f"'{dict(BUSYBOX).get(name, name)}' between @{name} and {name}@; "
                                 + excerpt(lines, title=f"{LINUX}.log")) from None
        # The kernel's own warning of a host too slow for its timer (a busy CI
        # machine) reaches the console whenever it happens, inside any output.
        return [l for l in lines[a + 1:b] if not SLOW_HOST_NOTE.match(l)]

    def snapshots(self):
        """The 'stats request' lines of the linux cell, grouped per snapshot:
        [(time, {vhart: stats}), ...]."""
        r = self.get()
        n = len(self.cell_json(LINUX)["harts"])
        snaps, cur = [], {}
        for i, line in enumerate(r.raw):
            if not line.startswith("[bulkhead] stats request "):
                continue
            st = parse_stats(line)
            if st is None or st.cell != LINUX:
                continue
            cur[st.vhart] = st.flat()
            if len(cur) == n:
                t = r.raw_times[i]
                snaps.append((t, cur))
                cur = {}
        return snaps


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*/boot_and_scripted_input": ["BOOT-1"],
    "*/linux_reaches_init": ["BOOT-1"],
    "*/linux_cpus_match_cell_harts": ["BOOT-2"],
    "*/linux_memtotal_fits_cell_ram": ["BOOT-2"],
    "*/linux_echo_only_in_linux_log": ["CON-1", "CON-5"],
    "*/busybox_*": ["GST-LNX-1"],
    "*/busybox_cpuinfo_shows_cell_harts": ["BOOT-2"],
    "*/busybox_free_matches_memtotal": ["BOOT-2"],
    "*/r*_ticks_*": ["ISO-CELL-1"],
    "*/linux_reboot_boots_again_*": ["SBI-SRST-1"],
    "*/linux_poweroff_stops_cell_*": ["SBI-SRST-1"],
    "*/linux_idle_no_timer_exits": ["SBI-TIME-1", "IRQ-3"],
    "*/logs_clean_and_apart": ["CON-1", "TOOL-RUN-1"],
    "linux-rtthread/no_input_*_prompt_shows": ["CON-7"],
    "linux-baremetal/channel_samples_and_text_cross": ["GST-SHM-1", "ISO-SHM-2"],
    "linux-baremetal/channel_round_trip": ["GST-SHM-1"],
}


def collect(ctx):
    tests = []
    for config, rtos in (("linux-baremetal", "rtos"), ("linux-rtthread", "rtthread")):
        tests += system_tests(ctx, config, rtos)
    tests += prompt_tests(ctx, "linux-rtthread", "rtthread")
    return tests


# A prompt must reach the person (and the log) while it is still a partial
# line: PROMPT_LAG bounds its arrival after the line the guest printed just
# before it, far below the 1 s a console that waits for the newline would take.
PROMPT_LAG = 0.5
RTOS_PROMPT = r"^msh />$"
LINUX_PROMPT = r"^linux# "


def prompt_tests(ctx, config, rtos):
    """A boot with no input at all: both prompts must be on the screen and in
    the log files, each as soon as its cell printed it."""
    s = SystemRun(ctx, config, rtos)

    def boot():
        s._check_build()
        script = [f"wait-for {rtos} {RTOS_PROMPT} 20",
                  f"wait-for {LINUX} {LINUX_PROMPT} {BOOT_TIMEOUT}",
                  f"wait-for {rtos} ^tick 2$ 10"]
        return bhtest.run_headless(s.build, SECONDS, script,
                                   stop_when=lambda r: r.script_done)
    s.run = bhtest.CachedRun(boot)

    def arrival(cell, regex, what):
        i = s.raw_index(rf"^\[{re.escape(cell)}\] " + regex[1:], what=what)
        return i, s.times[i]

    def prev_line_of(cell, i):
        tag = f"[{cell}] "
        for j in range(i - 1, -1, -1):
            if s.get().raw[j].startswith(tag):
                return j
        raise AssertionError(f"nothing from {cell} before its prompt")

    def prompt_lag(cell, regex):
        """Seconds between the line before cell's prompt and the prompt on the
        console (asserted), after checking the prompt is in its log file too."""
        r = s.get()
        assert r.script_error is None, f"{r.script_error}; see {r.logs_dir}"
        i, t = arrival(cell, regex, f"{cell}'s prompt")
        lag = t - s.times[prev_line_of(cell, i)]
        assert lag <= PROMPT_LAG, (f"{cell}'s prompt arrived {lag:.2f} s after the line before it "
                                   f"(want <= {PROMPT_LAG} s): held back until a newline?")
        with open(os.path.join(r.logs_dir, cell + ".log"), encoding="utf-8") as f:
            assert_line(f.read().splitlines(), regex, f"{r.logs_dir}/{cell}.log")
        return t, lag

    def t_rtos_prompt():
        t, lag = prompt_lag(rtos, RTOS_PROMPT)
        _, tick1 = arrival(rtos, r"^tick 1$", f"{rtos}'s first tick")
        print(f"    {config}: {rtos}'s prompt on the console {lag * 1000:.0f} ms after its boot line, "
              f"{tick1 - t:.2f} s before its first tick")

    def t_linux_prompt():
        _, lag = prompt_lag(LINUX, LINUX_PROMPT)
        print(f"    {config}: {LINUX}'s prompt on the console {lag * 1000:.0f} ms after "
              f"the line before it")
        assert_no_line(s.get().hypervisor, r"PANIC|FAULT", "hypervisor log")

    return [(f"{config}/no_input_{rtos}_prompt_shows", t_rtos_prompt),
            (f"{config}/no_input_linux_prompt_shows", t_linux_prompt)]


def system_tests(ctx, config, rtos):
    s = SystemRun(ctx, config, rtos)

    def linux():
        return s.get().cells[LINUX]

    def t_run():
        r = s.get()
        assert r.script_error is None, (
            f"input script: {r.script_error}; see {r.logs_dir}/input.log; "
            + excerpt(r.cells[LINUX], title=f"{LINUX}.log"))
        assert r.stopped == "stop_when", (
            f"the run ended by {r.stopped} after {r.elapsed:.1f} s before everything "
            f"expected was seen; see {r.logs_dir}")
        print(f"    {config}: run of {r.elapsed:.1f} s")

    def t_init():
        lines = linux()
        assert_line(lines, r"^Run /init as init process$", f"{LINUX}.log")
        assert_line(lines, INIT, f"{LINUX}.log")
        assert_line(lines, r"^uname: Linux \S+ riscv64$", f"{LINUX}.log")
        assert_line(lines, BUSYBOX_BANNER, f"{LINUX}.log (BusyBox's shell)")
        assert_line(lines, r"^linux# ", f"{LINUX}.log (prompt)")

    def t_cpus():
        linux()
        want = len(s.cell_json(LINUX)["harts"])
        found = matching(linux(), r"^cpus: (\d+)$")
        assert found, f"{LINUX}.log has no 'cpus: N'; " + excerpt(linux(), title=f"{LINUX}.log")
        got = [int(m.group(1)) for m in found]
        assert all(g == want for g in got), (
            f"Linux counts {got} cpus (per boot); system.json gives cell {LINUX} {want} harts")

    def t_memtotal():
        linux()
        ram = sum(reg["size"] for reg in s.cell_json(LINUX)["regions"])
        ram_kb = ram // 1024
        found = matching(linux(), r"^memtotal-kb: (\d+)$")
        assert found, f"{LINUX}.log has no 'memtotal-kb: N'; " + excerpt(linux())
        for m in found:
            kb = int(m.group(1))
            assert kb <= ram_kb, f"MemTotal {kb} kB is more than the cell's RAM {ram_kb} kB"
            assert kb >= 0.8 * ram_kb, (f"MemTotal {kb} kB is under 80% of the cell's RAM "
                                        f"{ram_kb} kB ({100.0 * kb / ram_kb:.1f}%)")

    def t_bb_cpuinfo():
        out = s.busybox_output("cpuinfo")
        n = len(s.cell_json(LINUX)["harts"])
        want = list(range(n))   # the cell's DT numbers its harts 0..n-1
        procs = [int(m.group(1)) for m in matching(out, r"^processor\s*:\s*(\d+)$")]
        harts = [int(m.group(1)) for m in matching(out, r"^hart\s*:\s*(\d+)$")]
        assert procs == want, (f"/proc/cpuinfo lists processors {procs}; the cell has "
                               f"{n} harts (want {want}); " + excerpt(out, 30, "cpuinfo"))
        assert harts == want, f"/proc/cpuinfo lists hart ids {harts}, want {want}"
        isa = [m.group(1) for m in matching(out, r"^isa\s*:\s*(\S+)$")]
        assert len(isa) == n and all(i.startswith("rv64ima") for i in isa), \
            f"/proc/cpuinfo isa lines {isa}"

    def t_bb_ls_proc():
        names = " ".join(s.busybox_output("lsproc")).split()
        missing = [x for x in ("1", "cpuinfo", "interrupts", "meminfo", "mounts", "self")
                   if x not in names]
        assert not missing, f"ls /proc lacks {missing}: {names}"

    def t_bb_mount():
        out = s.busybox_output("mount")
        for fs, where in (("devtmpfs", "/dev"), ("proc", "/proc"), ("sysfs", "/sys")):
            assert_line(out, rf"^{fs} on {where} type {fs} ", "output of 'mount'")

    def t_bb_dmesg():
        tail = s.busybox_output("dmesgtail")
        assert len(tail) == 3 and all(l.strip() for l in tail), \
            f"'dmesg | tail -n 3' gave {tail}"
        assert not any(re.match(r"^<\d>", l) for l in tail), f"raw log levels: {tail}"
        want = "Kernel command line: " + s.cell_json(LINUX)["bootargs"]
        got = s.busybox_output("cmdline")
        assert got == [want], f"dmesg | grep 'command line' gave {got}, want [{want!r}]"
        assert_line(linux(), "^" + re.escape(want) + "$", f"{LINUX}.log (boot messages)")

    def t_bb_ip_link():
        assert_line(s.busybox_output("iplink"), r"^1: lo: <LOOPBACK", "output of 'ip link'")

    def t_bb_ps():
        out = s.busybox_output("ps")
        assert_line(out, r"^\s*1 root\s.*\s/init$", "output of 'ps' (PID 1, user from /etc/passwd)")
        assert_line(out, r"^\s*\d+ root\s.*\ssh$", "output of 'ps' (the shell)")

    def t_bb_free():
        out = s.busybox_output("free")
        m = matching(out, r"^Mem:\s+(\d+)\s")
        assert m, "no 'Mem:' line in the output of 'free': " + repr(out)
        init_kb = [int(x.group(1)) for x in matching(linux(), r"^memtotal-kb: (\d+)$")]
        assert init_kb and int(m[0].group(1)) == init_kb[0], (
            f"free says {m[0].group(1)} kB total, the init read MemTotal {init_kb}")

    def t_bb_ctrl_c():
        r = s.get()
        lines = r.cells[LINUX]
        assert_line(lines, rf"^{re.escape(INTERRUPTED)}$",
                    f"{LINUX}.log (Ctrl-C did not end 'sleep 30')")
        assert_no_line(lines, r"job control turned off", f"{LINUX}.log")
        banner = s.raw_index(rf"^\[{LINUX}\] " + BUSYBOX_BANNER[1:], what="BusyBox banner")
        print(f"    {config}: Linux from the firmware banner to BusyBox's shell in "
              f"{s.times[banner] - s.times[0]:.2f} s")

    def t_echo():
        r = s.get()
        tok = re.escape(s.token)
        assert_line(r.cells[LINUX], rf"^{tok}$", f"{LINUX}.log (typed 'echo {s.token}')")
        assert_no_line(r.cells[rtos], tok, f"{rtos}.log (input typed to {LINUX} reached {rtos})")
        assert_no_line(r.hypervisor, tok, "hypervisor log (the token leaked into it)")
        for name, lines in r.cells.items():
            if name not in (LINUX, rtos):
                assert_no_line(lines, tok, f"{name}.log")

    def t_ticks_all():
        lines = s.get().cells[rtos]
        n = ticks(lines)
        assert len(n) >= 5, f"{len(n)} tick lines; " + excerpt(lines, title=f"{rtos}.log")
        gaps = [(a, b) for a, b in zip(n, n[1:]) if b != a + 1]
        assert not gaps, (f"{rtos} ticks do not count up by 1: {gaps[0][0]} then {gaps[0][1]} "
                          f"({len(gaps)} gap(s); all: {n})")
        assert_line(lines, r"^rtos-contract: boot hart 0$", f"{rtos}.log")
        # One tick a second: no stall longer than MAX_TICK_GAP anywhere in the run
        # (Linux's boots, its reboot and its poweroff included).
        tt = s.tick_times()
        start = s.times[s.raw_index(rf"^\[{re.escape(rtos)}\] rtos-contract: boot hart")]
        steps = [(tt[0][0], tt[0][1] - start)] + \
            [(b[0], b[1] - a[1]) for a, b in zip(tt, tt[1:])]
        worst = max(steps, key=lambda x: x[1])
        print(f"    {config}: {len(tt)} {rtos} ticks, longest interval {worst[1]:.2f} s "
              f"(before tick {worst[0]})")
        assert worst[1] <= MAX_TICK_GAP, (f"{rtos} tick {worst[0]} came {worst[1]:.2f} s after "
                                          f"the one before (want <= {MAX_TICK_GAP} s)")

    def t_ticks_boot():
        inits = s.init_lines()
        assert inits, f"no '{INIT}' line from {LINUX}"
        boot = s.raw_index(rf"^\[{re.escape(rtos)}\] rtos-contract: boot hart")
        before = s.ticks_between(0, inits[0])
        after = s.ticks_between(inits[0], len(s.get().raw))
        assert after, f"{rtos} printed no tick after Linux's init started"
        first = s.tick_times()[0]
        assert first[1] - s.times[boot] <= MAX_TICK_GAP, (
            f"{rtos}'s first tick came {first[1] - s.times[boot]:.2f} s after its boot line")
        assert (before[-1] + 1 if before else 1) == after[0], \
            f"ticks before Linux's init {before}, after it from {after[0]}"
        print(f"    {config}: Linux from the firmware banner to init in "
              f"{s.times[inits[0]] - s.times[0]:.2f} s; {len(before)} {rtos} tick(s) by then, "
              f"first tick {first[1] - s.times[boot]:.2f} s after {rtos}'s boot")

    def t_reboot():
        r = s.get()
        rs = s.raw_index(rf"^\[bulkhead\] cell {LINUX}: restarting \(SBI system reset: reboot\)",
                         what="hypervisor: linux restarting")
        inits = s.init_lines()
        assert len(inits) >= 2, f"Linux booted {len(inits)} time(s), want 2 (after reboot); " + \
            excerpt(r.cells[LINUX], title=f"{LINUX}.log")
        second = inits[1]
        assert second > rs, "the second 'init started' came before the restart line"
        stop = s.raw_index(rf"^\[bulkhead\] cell {LINUX}: stopped", what="linux stopped")
        prior = s.ticks_between(0, rs)
        during = s.ticks_between(rs, second)
        after = s.ticks_between(second, stop)
        assert prior, f"{rtos} printed no tick before Linux's reboot"
        assert after, f"{rtos} printed no tick after Linux's second boot"
        seq = prior[-1:] + during + after[:1]
        assert seq == list(range(seq[0], seq[0] + len(seq))), \
            f"{rtos} ticks across the reboot: {seq}"
        assert_line(r.hypervisor, rf"stats restart cell={LINUX} hart=\d+ vhart=0 ",
                    "hypervisor log (statistics at restart)")
        print(f"    {config}: reboot to init in {s.times[second] - s.times[rs]:.2f} s; "
              f"{rtos} ticks {seq[0]}..{seq[-1]} across it")

    def t_poweroff():
        r = s.get()
        # The shell may print its next prompt before init's line: both are Linux's.
        assert_line(r.cells[LINUX], r"^(linux# )?bulkhead-linux: poweroff$", f"{LINUX}.log")
        stop = s.raw_index(rf"^\[bulkhead\] cell {LINUX}: stopped \(SBI system reset: shutdown\)",
                           what="hypervisor: linux stopped")
        after = s.ticks_between(stop, len(r.raw))
        assert len(after) >= MIN_TICKS_AFTER_STOP, (
            f"{rtos} printed {len(after)} tick(s) after {LINUX} stopped, want "
            f">= {MIN_TICKS_AFTER_STOP}")
        assert not any(l.startswith(f"[{LINUX}] ") for l in r.raw[stop + 1:]
                       if not l.startswith(f"[{LINUX}] reboot:")), \
            f"{LINUX} printed after it was stopped: " + \
            repr([l for l in r.raw[stop + 1:] if l.startswith(f'[{LINUX}] ')][:3])

    def t_idle_exits():
        snaps = s.snapshots()
        assert len(snaps) >= 2, (f"{len(snaps)} statistics snapshot(s) of {LINUX}, want 2; "
                                 + excerpt(s.get().hypervisor, title="hypervisor log"))
        (t1, a), (t2, b) = snaps[0], snaps[1]
        bad = []
        for v in sorted(a):
            for cause in ("sbi_time", "sbi_legacy"):
                if a[v].get(cause, 0) != b[v].get(cause, 0):
                    bad.append(f"vhart {v} {cause} {a[v].get(cause, 0)} -> {b[v].get(cause, 0)}")
        dt = t2 - t1
        total = sum(b[v]["exits"] - a[v]["exits"] for v in a)
        causes = {}
        for v in a:
            for k, val in b[v].items():
                if isinstance(val, int) and k not in ("hart", "vhart", "exits"):
                    d = val - a[v].get(k, 0)
                    if d:
                        causes[k] = causes.get(k, 0) + d
        detail = " ".join(f"{k}={causes[k]}" for k in sorted(causes)) or "none"
        print(f"    {config}: {LINUX} idle {dt:.2f} s: {total} exits = "
              f"{total / dt:.1f} exits/s over {len(a)} harts ({detail})")
        assert not bad, (f"timer exits while Linux idled ({dt:.1f} s; Linux should use Sstc): "
                         + "; ".join(bad))
        for v in a:
            assert a[v].get("sbi_time", 0) == 0 and a[v].get("sbi_legacy", 0) == 0, (
                f"{LINUX} vhart {v} made timer SBI calls at all: {a[v]}")

    def t_hyp_clean():
        r = s.get()
        assert_no_line(r.hypervisor, HYP_BAD, "hypervisor log")
        assert_no_line(r.hypervisor, r"^tick \d+$|^linux# |^bulkhead-linux:",
                       "hypervisor log (untagged cell output)")
        assert_no_line(r.cells[rtos], r"bulkhead-linux|^linux# ", f"{rtos}.log (Linux output)")
        assert_no_line(r.cells[LINUX], r"^tick \d+$|^rtos-contract:", f"{LINUX}.log (rtos output)")

    def t_channel():
        """Samples of the rtos reach Linux user space through UIO, in order, and
        a message of Linux reaches the rtos (configs/linux-baremetal.dts)."""
        assert s.has_channel(), f"{s.build}/system.json: no channel with cell {LINUX}"
        out = s.busybox_output(CHANNEL_RECV)
        got = [int(m.group(1)) for m in matching(out, rf"^from {rtos}: sample (\d+)$")]
        assert len(got) == 2 and got[1] == got[0] + 1, \
            f"'bhshm recv 2' printed {out}: want two consecutive samples from {rtos}"
        assert_line(s.get().cells[rtos], rf"^shm telemetry: from {LINUX}: {CHANNEL_TEXT}$", f"{rtos}.log")

    def t_channel_round_trip():
        """Linux user space pings the rtos through the channel: every ping is
        answered by the rtos's handler (pong with the same number), none is
        printed by the rtos, and bhshm reports the round trips it timed."""
        out = s.busybox_output(CHANNEL_PING)
        rt = [m for m in (re.match(r"^roundtrip n=(\d+) min=(\d+) med=(\d+) max=(\d+) ticks$", l) for l in out)
              if m]
        assert rt, f"'bhshm ping {CHANNEL_PINGS}' printed {out}: no roundtrip line"
        n, lo, med, hi = (int(x) for x in rt[0].groups())
        assert n == CHANNEL_PINGS and 0 < lo <= med <= hi, f"roundtrip line {rt[0].group(0)!r}"
        assert_no_line(s.get().cells[rtos], r"from linux: p[io]ng ", f"{rtos}.log")

    channel = [("channel_samples_and_text_cross", t_channel),
               ("channel_round_trip", t_channel_round_trip)] if config == "linux-baremetal" else []
    return [(f"{config}/{name}", fn) for name, fn in tuple(channel) + (
        ("boot_and_scripted_input", t_run),
        ("linux_reaches_init", t_init),
        ("linux_cpus_match_cell_harts", t_cpus),
        ("linux_memtotal_fits_cell_ram", t_memtotal),
        ("linux_echo_only_in_linux_log", t_echo),
        ("busybox_cpuinfo_shows_cell_harts", t_bb_cpuinfo),
        ("busybox_ls_proc", t_bb_ls_proc),
        ("busybox_mount_shows_dev_proc_sys", t_bb_mount),
        ("busybox_dmesg_reads_kernel_log", t_bb_dmesg),
        ("busybox_ip_link_shows_lo", t_bb_ip_link),
        ("busybox_ps_init_and_shell", t_bb_ps),
        ("busybox_free_matches_memtotal", t_bb_free),
        ("busybox_ctrl_c_interrupts_sleep", t_bb_ctrl_c),
        (f"{rtos}_ticks_count_up_whole_run", t_ticks_all),
        (f"{rtos}_ticks_during_linux_boot", t_ticks_boot),
        (f"linux_reboot_boots_again_{rtos}_ticks", t_reboot),
        (f"linux_poweroff_stops_cell_{rtos}_ticks", t_poweroff),
        ("linux_idle_no_timer_exits", t_idle_exits),
        ("logs_clean_and_apart", t_hyp_clean),
    )]
