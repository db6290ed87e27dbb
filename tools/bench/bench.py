#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Bulkhead benchmarks: `make bench` (bench/bench.mk) runs this after building
the systems it needs.

  tools/bench/bench.py [--build build] [--out build/bench] [--built FILE]
                       [--only STEP]... [--skip STEP]...

Steps (each one's figures are printed as soon as they are known):
  guest     cells/bench in a two-hart cell (configs/bench-guest.dts) and the
            same image natively on OpenSBI: path lengths of SBI calls and
            emulated MMIO, timer-interrupt latency, boot instructions
  modes     bench-guest again under QEMU's instruction trace: each path's
            instructions split into hypervisor (HS) and OpenSBI (M), with
            the hypervisor's part by function (modes.py)
  steady    configs/linux-baremetal.dts: exits per second of idle Linux, of
            the rtos-contract guest at 100 Hz, and per character typed to it
  irq       configs/irq-direct.dts and irq-trap.dts (cells/irqtest): exits per
            device interrupt, when those systems are built
  linux     configs/bench-linux.dts (Linux alone in a cell) and the same
            kernel natively: time from the kernel's timer start to `Run /init`
  channel   configs/shmem-pair.dts (two rtos-contract cells, docs/shmem.md):
            exits per message on the sending and the receiving hart
  footprint every built system: section sizes and lines of code compiled
  scale     4, 16 and 64 one-hart cells on the 64-hart platform: bhconfig time and
            generated sizes per cell, and the boot of configs/rtos64 (scale.py)

Every QEMU run uses `-icount shift=0,sleep=off`: one instruction is one
nanosecond of virtual time and an idle machine jumps to its next timer, so
instruction counts and guest-visible times do not depend on the host.
Writes OUT/results.json, OUT/report.md and OUT/*.png.  Exit status 0 even
when a step fails (the failure is in the report); 2 for a bad command line.
"""

import argparse
import datetime
import json
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)

from bulkhead_run import load_system, read_platform_options, run_headless  # noqa: E402
from bulkhead_run.stats import parse_stats, stats_lines  # noqa: E402
from bulkhead_run.system import qemu_binary  # noqa: E402
import parse  # noqa: E402
import report  # noqa: E402
from scale import step_scale  # noqa: E402
from modes import trace_paths  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]
PLATFORM_QEMU = os.path.join(ROOT, "dts", "qemu-virt.qemu")
ROUND_TRIPS = 20    # bhshm ping round trips Linux user space -> rtos-contract -> Linux (step steady)
STEPS = ("guest", "modes", "steady", "irq", "aia", "linux", "channel", "footprint", "scale")
# The exits a channel message causes: the sender's ring, the receiver's
# mailbox IPI, its claim and complete, and its read of the generation word.
CHANNEL_CAUSES = ("mmio_doorbell", "mmio_vplic", "irq_software", "doorbell_merged", "doorbell_denied")
CHANNEL_MESSAGES = 5

# Bulkhead's own SBI calls a cell makes while booting Linux are few; the
# console is what costs exits, so the Linux boot also reports its exits.
LINUX_BOOTARGS = "console=ttyS0 earlycon printk.time=1"
LINUX_READY = r"KGDB"          # last line of /proc/interrupts printed by the init
TYPED_CHARS = 100              # characters typed to rtos-contract
TYPE_DELAY = 0.05              # seconds between them: 20 characters per second
IDLE_TICKS = 5                 # virtual seconds of the idle window
LINUX_REPEATS = 3              # boots of Linux each way (median reported)


def say(text: str):
    print(f"bench: {text}", flush=True)


# ------------------------------------------------------------------ QEMU runs

def run_native(args, stop, timeout, echo=None):
    """QEMU without the hypervisor: returns (lines, {line index: seconds since start},
    how it stopped).  stop(lines) ends the run early."""
    cmd = qemu_binary() + args
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    lines, stamps, partial, why = [], [], b"", "deadline"
    try:
        while time.monotonic() - t0 < timeout:
            ready, _, _ = select.select([proc.stdout], [], [], 0.25)
            if not ready:
                if proc.poll() is not None:
                    why = "exited"
                    break
                continue
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                why = "exited"
                break
            partial += data
            *complete, partial = partial.split(b"\n")
            now = time.monotonic() - t0
            for raw in complete:
                text = raw.decode("utf-8", errors="replace").rstrip("\r")
                lines.append(text)
                stamps.append(now)
                if echo:
                    echo(text)
            if stop(lines):
                why = "stop"
                break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdin.close()
        proc.stdout.close()
    if partial:
        lines.append(partial.decode("utf-8", errors="replace").rstrip("\r"))
        stamps.append(time.monotonic() - t0)
    return lines, stamps, why, cmd


def platform_args(overrides=None):
    """dts/qemu-virt.qemu's options with some values replaced ({'-smp': '2'})."""
    args = read_platform_options(PLATFORM_QEMU)
    for opt, value in (overrides or {}).items():
        if opt in args:
            args[args.index(opt) + 1] = value
        else:
            args += [opt, value]
    return args


def headless(build_dir, seconds, script, stop_when, **kw):
    """run_headless with the bench's icount options; returns the RunResult."""
    return run_headless(build_dir, seconds, script, ICOUNT, stop_when=stop_when, **kw)


# ------------------------------------------------------------ step: guest

def step_guest(args, res):
    build = os.path.join(args.build, "bench-guest")
    done = lambda r: any(l.startswith("bench: done") for l in r.cells.get("bench", []))
    say("guest: cells/bench in a cell (bench-guest) ...")
    t = time.monotonic()
    r = headless(build, 300, None, done)
    cell = parse.bench_guest(r.cells["bench"])
    cell["wall_s"] = round(time.monotonic() - t, 1)
    cell["stopped"] = r.stopped
    cell["command"] = shlex.join(r.command)
    res["guest"]["bulkhead"] = cell
    if not cell["done"]:
        res["errors"].append(f"guest: bench-guest did not finish ({r.stopped}); "
                             f"log {r.log_path('bench')}")

    say("guest: the same image natively on OpenSBI ...")
    elf = os.path.join(args.build, "images", "bench.elf")
    qargs = platform_args() + ["-display", "none", "-serial", "stdio", "-monitor", "none",
                               "-kernel", elf] + ICOUNT
    t = time.monotonic()
    lines, _, why, cmd = run_native(qargs, lambda ls: any(l.startswith("bench: done") for l in ls),
                                    300)
    native = parse.bench_guest(lines)
    native["wall_s"] = round(time.monotonic() - t, 1)
    native["stopped"] = why
    native["command"] = shlex.join(cmd)
    res["guest"]["native"] = native
    with open(os.path.join(args.out, "bench-native.log"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if not native["done"]:
        res["errors"].append(f"guest: native run did not finish ({why})")
    for w in cell["warnings"]:
        if w.startswith("peer-start-lost"):
            w = ("the peer hart did not start after SBI HSM hart_start until the guest sent "
                 "it an IPI (a message posted to a hart that has not parked yet is lost); "
                 "no figure depends on it: " + w)
        res["notes"].append(f"guest (Bulkhead): {w}")
    for e in cell["errors"] + native["errors"]:
        res["errors"].append(f"guest: {e}")

    g = report.guest_tables(res)
    for row in g["path"]:
        say(f"path {row['op']}: Bulkhead {row['bulkhead']} native {row['native']} "
            f"instructions, {row['exits']} exits")
    for row in g["latency"]:
        say(f"latency {row['mode']}: Bulkhead {row['bulkhead']} / native {row['native']}")
    b = g["boot"]
    if b:
        say(f"boot: guest entry after {b['bulkhead_entry']} instructions under Bulkhead, "
            f"{b['native_entry']} natively: hypervisor share {b['hyp_share']}")


# ------------------------------------------------------------ step: modes

def step_modes(args, res):
    say("modes: bench-guest under the instruction trace (a few minutes) ...")
    t = time.monotonic()
    paths, lines, why = trace_paths(os.path.join(args.build, "bench-guest"),
                                    os.path.join(args.build, "images", "bench.elf"),
                                    "riscv64-unknown-elf-nm", ICOUNT)
    res["modes"] = {"paths": paths, "instructions_traced": lines, "stopped": why,
                    "wall_s": round(time.monotonic() - t, 1)}
    if why != "stop_when":
        res["errors"].append(f"modes: the traced run did not finish ({why})")
    for op, p in paths.items():
        top = ", ".join(f"{f} {n}" for f, n in list(p["functions"].items())[:5])
        say(f"modes {op}: hypervisor (HS) {p['hs']}, OpenSBI (M) {p['m']} instructions; {top}")


# ----------------------------------------------------------- step: steady

def step_steady(args, res):
    build = os.path.join(args.build, "linux-baremetal")
    system = load_system(build)
    rtos = system.cell("rtos")
    linux = system.cell("linux")
    if rtos is None or linux is None:
        raise RuntimeError("linux-baremetal has no cells 'rtos' and 'linux'")
    nharts = sum(len(c.harts) for c in system.cells)
    tick = r"wait-for rtos ^tick \d+$ 600"
    script = [f"wait-for linux {LINUX_READY} 900", "at 0 hyp s", tick, "at 0 hyp s"]
    script += [tick] * IDLE_TICKS
    script += ["at 0 hyp s", "at 0 rtos !key " + " ".join(["61"] * TYPED_CHARS), tick,
               "at 0 hyp s"]
    # The shared-memory channel (docs/shmem.md): rtos samples read by Linux user space through UIO.
    script += ["at 0 linux bhshm recv 5 30", r"wait-for linux ^latency n=.* ticks$ 600"]
    # Round trips: Linux publishes "ping <i>", rtos-contract answers "pong <i>" from its handler.
    script += [f"at 0 linux bhshm ping {ROUND_TRIPS}", r"wait-for linux ^roundtrip n=.* ticks$ 600"]

    def stop(r):
        return r.script_done and len(stats_lines(r.hypervisor, "request")) >= 4 * nharts

    say(f"steady: linux-baremetal: Linux idle, rtos-contract at 100 Hz, then "
        f"{TYPED_CHARS} characters typed to rtos at {1 / TYPE_DELAY:g}/s ...")
    t = time.monotonic()
    r = headless(build, 900, script, stop, keystroke_delay=TYPE_DELAY)
    wall = round(time.monotonic() - t, 1)
    snaps = parse.stats_lines(r.hypervisor)
    if r.script_error or len(snaps) < 4:
        raise RuntimeError(f"linux-baremetal run incomplete ({r.script_error or r.stopped}, "
                           f"{len(snaps)} of 4 statistics snapshots); logs in {r.logs_dir}")
    # tick lines of rtos between the snapshots, from the UART stream in order
    marks, count, ticks_between = [], 0, []
    for line in r.raw:
        st = parse_stats(line)
        if st is not None and st.why == "request":
            if not marks or marks[-1] != count:
                marks.append(count)
        elif re.match(r"^\[rtos\] tick \d+$", line):
            count += 1
    ticks_between = [marks[i + 1] - marks[i] for i in range(min(3, len(marks) - 1))]

    rh, lh = rtos.harts[0], linux.harts
    boot = {h["hart"]: h for h in snaps[0]}
    idle = parse.snapshot_delta(snaps[1], snaps[2])
    typing = parse.snapshot_delta(snaps[2], snaps[3])
    out = {"wall_s": wall, "typed_chars": TYPED_CHARS, "type_rate_host_per_s": 1 / TYPE_DELAY,
           "tick_lines": ticks_between, "rtos_hart": rh, "linux_harts": lh}

    def seconds(win):
        return win[rh]["causes"].get("sbi_legacy", 0) / 100.0

    t_idle, t_type = seconds(idle), seconds(typing)
    out["idle_window_s"] = t_idle
    out["typing_window_s"] = t_type
    # Linux during boot (to its prompt) and idle
    out["linux_boot_exits"] = {str(p): boot[p] for p in lh if p in boot}
    lin = {"per_hart": {}, "exits": 0, "causes": {}}
    for p in lh:
        w = idle[p]
        lin["per_hart"][str(p)] = {"exits": w["exits"], "causes": w["causes"],
                                   "exits_per_s": w["exits"] / t_idle if t_idle else None}
        lin["exits"] += w["exits"]
        for k, v in w["causes"].items():
            lin["causes"][k] = lin["causes"].get(k, 0) + v
    lin["exits_per_s"] = lin["exits"] / t_idle if t_idle else None
    lin["causes_per_s"] = {k: v / t_idle for k, v in lin["causes"].items()} if t_idle else {}
    out["linux_idle"] = lin
    # rtos idle: each snapshot's console command (Ctrl-T s) is two bytes the
    # physical UART delivers to the console hart, the rtos hart: not the guest's
    w = idle[rh]
    causes = dict(w["causes"])
    cmd_bytes = 2
    causes["irq_external"] = causes.get("irq_external", 0) - cmd_bytes
    ticks = causes.get("sbi_legacy", 0)
    lines_idle = ticks_between[1] if len(ticks_between) > 1 else None
    vuart_per_line = causes.get("mmio_vuart", 0) / lines_idle if lines_idle else 0.0
    rt = {"ticks": ticks, "exits": w["exits"] - cmd_bytes,
          "causes": {k: v for k, v in causes.items() if v},
          "tick_lines": lines_idle, "vuart_exits_per_tick_line": vuart_per_line}
    if t_idle:
        rt["exits_per_s"] = rt["exits"] / t_idle
        rt["causes_per_s"] = {k: v / t_idle for k, v in rt["causes"].items()}
    if ticks:
        rt["exits_per_tick"] = rt["exits"] / ticks
        rt["timer_exits_per_tick"] = (rt["exits"] - causes.get("mmio_vuart", 0)) / ticks
        rt["causes_per_tick"] = {k: v / ticks for k, v in rt["causes"].items()}
    out["rtos_idle"] = rt
    # rtos typing: minus the timer (every sbi_legacy), the tick lines printed in
    # the window, and 4 console command bytes (focus: Ctrl-T 0; statistics: Ctrl-T s)
    w = typing[rh]
    causes = dict(w["causes"])
    lines_type = ticks_between[2] if len(ticks_between) > 2 else 0
    causes.pop("sbi_legacy", None)
    causes["mmio_vuart"] = causes.get("mmio_vuart", 0) - lines_type * vuart_per_line
    causes["irq_external"] = causes.get("irq_external", 0) - 4
    per_char = {k: v / TYPED_CHARS for k, v in causes.items() if abs(v) > 1e-9}
    out["rtos_typing"] = {"raw": w, "tick_lines": lines_type,
                          "causes_per_char": per_char,
                          "exits_per_char": sum(per_char.values()),
                          "virtual_chars_per_s": TYPED_CHARS / t_type if t_type else None}
    out["linux_channel_latency_ns"] = latency_of(r.cells["linux"], r"^latency ")
    out["linux_channel_roundtrip_ns"] = roundtrip_of(r.cells["linux"])
    res["steady"] = out
    say(f"steady: Linux idle {lin['exits_per_s']:.2f} exits/s over {t_idle:g} virtual s "
        f"({', '.join(f'{k} {v}' for k, v in sorted(lin['causes'].items())) or 'none'})")
    say(f"steady: rtos-contract {rt.get('exits_per_s', 0):.1f} exits/s, "
        f"{rt.get('timer_exits_per_tick', 0):.2f} timer exits per tick "
        f"(+{vuart_per_line:.0f} emulated-UART exits per 'tick' line)")
    rtt = out["linux_channel_roundtrip_ns"]
    if rtt:
        say(f"steady: channel round trip Linux user space -> rtos-contract -> Linux: median "
            f"{rtt['median'] / 1000:g} us (min {rtt['min'] / 1000:g}, max {rtt['max'] / 1000:g}; "
            f"{rtt['round_trips']} round trips)")
    say(f"steady: {out['rtos_typing']['exits_per_char']:.2f} exits per character typed to rtos "
        f"({', '.join(f'{k} {v:.2f}' for k, v in sorted(per_char.items()))})")


# -------------------------------------------------------------- step: channel

TIME_NS = 100  # one tick of QEMU virt's 10 MHz `time`; under -icount shift=0 also 100 instructions


def latency_of(lines, prefix):
    """min / mean / max in ns of the last 'latency n= min= max= sum= ticks' line."""
    found = [m for m in (re.search(prefix + r"n=(\d+) min=(\d+) max=(\d+) sum=(\d+) ticks$", l)
                         for l in lines) if m]
    if not found or int(found[-1].group(1)) == 0:
        return None
    n, lo, hi, total = (int(x) for x in found[-1].groups())
    return {"messages": n, "min": lo * TIME_NS, "mean": total * TIME_NS / n, "max": hi * TIME_NS}


def roundtrip_of(lines):
    """min / median / max in ns of the last 'roundtrip n= min= med= max= ticks' line (bhshm ping)."""
    found = [m for m in (re.search(r"^roundtrip n=(\d+) min=(\d+) med=(\d+) max=(\d+) ticks$", l)
                         for l in lines) if m]
    if not found:
        return None
    n, lo, med, hi = (int(x) for x in found[-1].groups())
    return {"round_trips": n, "min": lo * TIME_NS, "median": med * TIME_NS, "max": hi * TIME_NS}


def step_channel(args, res):
    """Each cell publishes one sample a second and takes the other's: between two
    statistics snapshots CHANNEL_MESSAGES samples cross each way."""
    build = os.path.join(args.build, "shmem-pair")
    if "shmem-pair" not in args.built_systems:
        raise RuntimeError("shmem-pair was not built")
    system = load_system(build)
    harts = {c.name: c.harts[0] for c in system.cells}
    first, last = 3, 3 + CHANNEL_MESSAGES
    script = [rf"wait-for left ^shm samples: from right: sample {first}$ 600", "at 0 hyp s",
              r"wait-for hyp stats request cell=right 60",
              rf"wait-for left ^shm samples: from right: sample {last}$ 600", "at 0 hyp s",
              r"wait-for hyp stats request cell=right 60",
              "at 0 left latency", r"wait-for left ^shm samples: latency n= 60",
              "at 0 left ringcost", r"wait-for left ^shm samples: ring n= 60"]

    def stop(r):
        return r.script_done and len(stats_lines(r.hypervisor, "request")) >= 4

    say(f"channel: shmem-pair: {CHANNEL_MESSAGES} samples each way between two statistics snapshots ...")
    r = headless(build, 600, script, stop)
    snaps = parse.stats_lines(r.hypervisor)
    if r.script_error or len(snaps) < 2:
        raise RuntimeError(f"shmem-pair run incomplete ({r.script_error or r.stopped}); logs in {r.logs_dir}")
    d = parse.snapshot_delta(snaps[0], snaps[1])
    out = {"messages_each_way": CHANNEL_MESSAGES, "per_hart": {}}
    total = 0
    for name, h in harts.items():
        causes = {k: d[h]["causes"].get(k, 0) for k in CHANNEL_CAUSES}
        out["per_hart"][name] = {"hart": h, "causes": causes}
        total += sum(v for k, v in causes.items() if k.startswith("mmio_") or k == "irq_software")
    # Each hart sends CHANNEL_MESSAGES and receives CHANNEL_MESSAGES in the window.
    out["exits_per_message"] = total / (2 * CHANNEL_MESSAGES)
    lat = latency_of(r.cells["left"], r"^shm samples: latency ")
    if lat:
        out["rtos_to_rtos_latency_ns"] = lat
    ring = [re.search(r"ring n=(\d+) min=(\d+) med=(\d+) max=(\d+) instructions", l)
            for l in r.cells["left"]]
    ring = [m for m in ring if m]
    if ring:
        n, lo, med, hi = (int(x) for x in ring[-1].groups())
        # The ringing store's exit: doorbell emulation, the peer's vPLIC line and its IPI.
        out["ring_instructions"] = {"n": n, "min": lo, "med": med, "max": hi}
    res["channel"] = out
    if "ring_instructions" in out:
        ri = out["ring_instructions"]
        say(f"channel: a ring costs {ri['med']} instructions (median of {ri['n']}, min {ri['min']}, "
            f"max {ri['max']}): the store, its exit, the peer's line and IPI")
    say(f"channel: {out['exits_per_message']:.2f} exits per message, sender and receiver together ("
        + "; ".join(f"{n}: {', '.join(f'{k} {v}' for k, v in v['causes'].items() if v)}"
                    for n, v in out["per_hart"].items()) + ")")


# -------------------------------------------------------------- step: irq

def step_irq(args, res):
    for name in ("irq-direct", "irq-trap"):
        build = os.path.join(args.build, name)
        if name not in args.built_systems:
            res["irq"][name] = {"skipped": f"configs/{name}.dts not built"}
            say(f"irq: {name}: not built, skipped")
            continue
        done = lambda r: any("irqtest: done" in l for l in r.cells.get("irqtest", []))
        say(f"irq: {name}: cells/irqtest, virtio-rng interrupts ...")
        t = time.monotonic()
        r = headless(build, 300, None, done)
        it = parse.irqtest(r.cells.get("irqtest", []))
        it["wall_s"] = round(time.monotonic() - t, 1)
        it["stopped"] = r.stopped
        res["irq"][name] = it
        if it["interrupts"]:
            say(f"irq: {name}: {it['exits_per_interrupt']:.2f} exits per device interrupt over "
                f"{it['interrupts']} interrupts ({it['causes']})")
        else:
            res["errors"].append(f"irq: {name}: no interrupt counts in {r.log_path('irqtest')}")


# ------------------------------------------------------------ step: aia

AIA_IDLE = 5  # seconds of Linux idle at its prompt between two snapshots
AIA_IPI_CAUSES = ("sbi_ipi", "irq_software")
AIA_IPI = re.compile(r"^IPI\d+:\s+(\d+)\s+(\d+)\s")
# The AIA systems measured, each with its disk's /proc/interrupts lines and the
# exits a device interrupt of it can cost a Linux hart (taken by the hypervisor,
# injected through a vPLIC, or the trapped APLIC write that ends a level-triggered
# one: a PCI function's MSI-X has no APLIC source, so there that write is the
# emulated UART's).
AIA_SYSTEMS = (
    ("aia", "linux-rtthread-aia", "16 MiB virtio-mmio disk (wired, level), ttyS0",
     re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+APLIC-MSI-\S+\s+\d+ \w+\s+.*virtio0$"),
     ("irq_external", "device_irq", "mmio_vplic", "mmio_vaplic")),
    ("aia_pci", "linux-pci-aia", "8 MiB virtio-blk-pci disk (MSI-X through the IOMMU), ttyS0",
     re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+PCI-MSIX-\S+\s+\d+ \w+\s+virtio0-\S+$"),
     ("irq_external", "device_irq", "mmio_vplic")),
)


def _aia_counts(lines, name, virtio):
    """(disk interrupts, IPIs) over both CPUs, from the /proc/interrupts lines between @name and name@."""
    try:
        a = lines.index(f"@{name}")
        b = lines.index(f"{name}@", a + 1)
    except ValueError:
        return None, None
    v = [m for m in (virtio.match(l) for l in lines[a + 1:b]) if m]
    i = [m for m in (AIA_IPI.match(l) for l in lines[a + 1:b]) if m]
    return (sum(int(m.group(1)) + int(m.group(2)) for m in v) if v else None,
            sum(int(m.group(1)) + int(m.group(2)) for m in i) if i else None)


def _aia_delta(a, b, harts):
    """Exits and causes of the given harts between two snapshots (parse.stats_lines entries)."""
    out = {"exits": 0, "causes": {}}
    before = {h["hart"]: h for h in a}
    for h1 in b:
        h0 = before.get(h1["hart"])
        if h0 is None or h1["hart"] not in harts:
            continue
        out["exits"] += h1["exits"] - h0["exits"]
        for c in set(h0["causes"]) | set(h1["causes"]):
            d = h1["causes"].get(c, 0) - h0["causes"].get(c, 0)
            if d:
                out["causes"][c] = out["causes"].get(c, 0) + d
    return out


def step_aia(args, res):
    """The AIA systems (docs/interrupts.md, "AIA cells"): Linux idle, then a read of its whole
    disk; exits of its harts per device interrupt and per IPI, from the hypervisor's counters
    and the guest's /proc/interrupts."""
    for key, system, what, virtio, causes in AIA_SYSTEMS:
        _aia_system(args, res, key, system, what, virtio, causes)


def _aia_system(args, res, key, system, what, virtio, causes):
    build = os.path.join(args.build, system)
    if system not in args.built_systems:
        res[key] = {"skipped": f"configs/{system}.dts not built"}
        say(f"{key}: {system}: not built, skipped")
        return
    harts = set(load_system(build).cell("linux").harts)
    # Typed lines under the hypervisor's 64-byte input queue.
    script = [
        f"wait-for linux {LINUX_READY} 120",
        "at 0.5 linux g(){ grep -E 'virtio0|IPI' /proc/interrupts;}",
        # the window closes in the pause after the read: little output in it, as a line
        # on ttyS0 costs exits of its own (the UART's registers and interrupts)
        "at 1.5 linux r(){ sleep 3;cat /dev/vda|wc -c>/n;echo read@;sleep 2;cat /n;}",
        "at 2.5 hyp 0",  # focus on the RTOS (cell 0): no typed character interrupts a Linux hart
        "at 3 hyp s",
        f"at {3 + AIA_IDLE} hyp s",
        f"at {4 + AIA_IDLE} linux echo @before;g;echo before@;r;echo @after;g;echo after@",
        "wait-for linux ^before@$ 15",
        "at 0.2 hyp 0",
        "at 0.6 hyp s",
        "wait-for linux ^read@$ 60",
        "at 0.3 hyp s",
        "wait-for linux ^after@$ 15",
    ]
    nharts = sum(len(c.harts) for c in load_system(build).cells)
    stop = lambda r: r.script_done and sum(len(s) >= nharts for s in parse.stats_lines(r.hypervisor)) >= 4
    say(f"{key}: {system}: Linux idle {AIA_IDLE} s, then a read of its {what} ...")
    r = headless(build, 300, script, stop)
    snaps = parse.stats_lines(r.hypervisor)
    lines = r.cells.get("linux", [])
    v0, i0 = _aia_counts(lines, "before", virtio)
    v1, i1 = _aia_counts(lines, "after", virtio)
    if len(snaps) < 4 or None in (v0, i0, v1, i1):
        res["errors"].append(f"{key}: {system}: incomplete run ({r.script_error or r.stopped}); "
                             f"see {r.log_path('linux')}")
        return
    idle = _aia_delta(snaps[0], snaps[1], harts)
    busy = _aia_delta(snaps[2], snaps[3], harts)
    irqs, ipis = v1 - v0, i1 - i0
    irq_exits = sum(busy["causes"].get(c, 0) for c in causes)
    ipi_exits = sum(busy["causes"].get(c, 0) for c in AIA_IPI_CAUSES)
    res[key] = {
        "system": system, "disk": what,
        "idle_exits_per_s": round(idle["exits"] / AIA_IDLE, 2), "idle_causes": idle["causes"],
        "device_interrupts": irqs, "ipis": ipis, "busy_causes": busy["causes"],
        "exits_per_device_interrupt": round(irq_exits / irqs, 2) if irqs else None,
        "exits_per_ipi": round(ipi_exits / ipis, 2) if ipis else None,
    }
    a = res[key]
    say(f"{key}: {irqs} device interrupts at {a['exits_per_device_interrupt']} exits each, {ipis} IPIs at "
        f"{a['exits_per_ipi']} exits each; idle {a['idle_exits_per_s']} exits/s ({idle['causes']})")


# ------------------------------------------------------------ step: linux

def step_linux(args, res):
    build = os.path.join(args.build, "bench-linux")
    system = load_system(build)
    nharts = sum(len(c.harts) for c in system.cells)
    script = [f"wait-for linux {LINUX_READY} 900", "at 0 hyp s"]
    stop = lambda r: r.script_done and len(stats_lines(r.hypervisor, "request")) >= nharts
    harts = len(system.cell("linux").harts) if system.cell("linux") else 2
    mem = _cell_ram_mib(build, "linux")
    image = os.path.join(args.build, "images", "linux.bin")
    qargs = platform_args({"-smp": str(harts), "-m": f"{mem}M"}) + [
        "-display", "none", "-serial", "stdio", "-monitor", "none",
        "-kernel", image, "-append", LINUX_BOOTARGS] + ICOUNT
    out = {"bulkhead": {"runs": []}, "native": {"runs": []}, "repeats": LINUX_REPEATS}
    # Two busy harts make the order in which QEMU runs them matter, and that
    # order also follows the host (its console pipe, QEMU's round-robin
    # kick): the figure can move by a few percent, so take the median of
    # a few boots.
    for i in range(LINUX_REPEATS):
        say(f"linux: bench-linux (Linux alone in a two-hart cell) to its prompt, "
            f"boot {i + 1} of {LINUX_REPEATS} ...")
        t0 = time.monotonic()
        r = headless(build, 900, script, stop)
        # When each console line started to arrive, by its text (the first such line).
        stamps = {}
        for line, at in zip(r.raw, r.raw_times):
            stamps.setdefault(line, at - t0)
        cell = r.cells.get("linux", [])
        f = linux_boot_figures(cell, lambda l: stamps.get("[linux] " + l))
        out["bulkhead"]["runs"].append(f)
        if r.script_error:
            res["errors"].append(f"linux: bench-linux: {r.script_error}")
        snaps = parse.stats_lines(r.hypervisor)
        if i == 0 and snaps:
            # The statistics command itself is two bytes on the console hart's
            # UART interrupt (irq_external): not the guest's.
            con = min(system.cell("linux").harts) if system.cell("linux") else None
            ex = {}
            for h in snaps[0]:
                causes = dict(h["causes"])
                exits = h["exits"]
                if h["hart"] == con and causes.get("irq_external", 0) >= 2:
                    causes["irq_external"] -= 2
                    exits -= 2
                ex[str(h["hart"])] = {"exits": exits,
                                      "causes": {k: v for k, v in causes.items() if v}}
            out["bulkhead"]["exits_to_prompt"] = ex

        say(f"linux: the same kernel natively ({harts} harts, {mem} MiB), "
            f"boot {i + 1} of {LINUX_REPEATS} ...")
        lines, when, why, cmd = run_native(
            qargs, lambda ls: any(LINUX_READY in l for l in ls[-3:]), 600)
        if i == 0:
            with open(os.path.join(args.out, "linux-native.log"), "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
            out["native"]["command"] = shlex.join(cmd)
        idx = {}
        for j, l in enumerate(lines):
            idx.setdefault(l, when[j])
        f = linux_boot_figures(lines, idx.get)
        f["stopped"] = why
        out["native"]["runs"].append(f)
    for k in ("bulkhead", "native"):
        runs = out[k]["runs"]
        for key in ("run_init_printk_s", "run_init_wall_s", "init_started_wall_s", "ready_wall_s"):
            vals = sorted(v[key] for v in runs if v.get(key) is not None)
            out[k][key] = vals[len(vals) // 2] if vals else None
            out[k][key + "_all"] = [v.get(key) for v in runs]
    res["linux"] = out
    for k in ("bulkhead", "native"):
        f = out[k]
        say(f"linux {k}: 'Run /init' at printk {f.get('run_init_printk_s')} s, median of "
            f"{f.get('run_init_printk_s_all')} (host wall {f.get('run_init_wall_s')} s, prompt "
            f"at {f.get('ready_wall_s')} s)")


def linux_boot_figures(lines, wall_of):
    run_init = next((l for l in lines if "Run /init as init process" in l), None)
    ready = next((l for l in lines if re.search(LINUX_READY, l)), None)
    started = next((l for l in lines if "init started" in l), None)
    f = {"run_init_printk_s": parse.printk_time(lines, r"Run /init as init process"),
         "timer_printk_s": parse.printk_time(lines, r"sched_clock:"),
         "run_init_wall_s": _round(wall_of(run_init)) if run_init else None,
         "init_started_wall_s": _round(wall_of(started)) if started else None,
         "ready_wall_s": _round(wall_of(ready)) if ready else None,
         "console_lines": len(lines)}
    return f


def _round(v, nd=2):
    return None if v is None else round(v, nd)


def _cell_ram_mib(build, cell):
    with open(os.path.join(build, "system.json"), encoding="utf-8") as f:
        data = json.load(f)
    for c in data["cells"]:
        if c["name"] == cell:
            return sum(r["size"] for r in c["regions"]) // (1024 * 1024)
    return 256


# -------------------------------------------------------- step: footprint

SIZE = "riscv64-unknown-elf-size"
IMAGE_SECTIONS = (".gstage", ".cellimages")


def step_footprint(args, res):
    for name in sorted(args.built_systems):
        build = os.path.join(args.build, name)
        elf = os.path.join(build, "bulkhead.elf")
        if not os.path.isfile(elf):
            continue
        out = subprocess.run([SIZE, "-A", elf], capture_output=True, text=True, check=True).stdout
        sec = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
                sec[parts[0]] = int(parts[1])
        files = compiled_files(build)
        loc = cloc(files["sources"] + files["headers"], args.out)
        gen = cloc(files["generated"], args.out)
        entry = {"sections": {k: v for k, v in sec.items() if not k.startswith(".debug")},
                 "text": sec.get(".text", 0), "rodata": sec.get(".rodata", 0),
                 "data": sec.get(".data", 0), "bss": sec.get(".bss", 0),
                 "stacks": sec.get(".stacks", 0),
                 "gstage": sec.get(".gstage", 0), "cellimages": sec.get(".cellimages", 0),
                 "files": len(files["sources"]) + len(files["headers"]),
                 "loc": loc, "generated_loc": gen}
        entry["text_rodata"] = entry["text"] + entry["rodata"]
        res["footprint"][name] = entry
        say(f"footprint {name}: text+rodata {entry['text_rodata']} bytes "
            f"(text {entry['text']}, rodata {entry['rodata']}, data {entry['data']}, "
            f"bss {entry['bss']}; G-stage tables {entry['gstage']}, cell images "
            f"{entry['cellimages']} not counted), {loc.get('code', 0)} lines of code "
            f"in {entry['files']} files")


def compiled_files(build):
    """Sources and headers of one build, from the compiler's dependency files."""
    deps = set()
    for dirpath, _, names in os.walk(os.path.join(build, "obj")):
        for n in names:
            if not n.endswith(".d"):
                continue
            with open(os.path.join(dirpath, n), encoding="utf-8") as f:
                text = f.read().replace("\\\n", " ")
            for line in text.splitlines():
                target, sep, prereqs = line.partition(":")
                if sep:
                    deps.update(prereqs.split())
    gen_dir = os.path.relpath(os.path.join(build, "gen"), ROOT)
    out = {"sources": [], "headers": [], "generated": []}
    for d in sorted(deps):
        rel = os.path.relpath(os.path.join(ROOT, d), ROOT) if not os.path.isabs(d) else \
            os.path.relpath(d, ROOT)
        if rel.startswith(gen_dir + os.sep) or "/gen/" in rel:
            out["generated"].append(rel)
        elif rel.startswith("src" + os.sep):
            (out["headers"] if rel.endswith(".h") else out["sources"]).append(rel)
    return out


def cloc(files, out_dir):
    if not files:
        return {}
    listing = os.path.join(out_dir, ".cloc-files")
    with open(listing, "w", encoding="utf-8") as f:
        f.write("\n".join(os.path.join(ROOT, p) for p in files) + "\n")
    try:
        out = subprocess.run(["cloc", "--json", "--quiet", f"--list-file={listing}"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        return {"error": str(e)}
    data = json.loads(out or "{}")
    total = data.get("SUM", {})
    langs = {k: v.get("code", 0) for k, v in data.items() if k not in ("header", "SUM")}
    return {"code": total.get("code", 0), "comment": total.get("comment", 0),
            "blank": total.get("blank", 0), "files": total.get("nFiles", 0), "by_language": langs}


# ------------------------------------------------------------------- main

def meta(args):
    def cmd(c):
        try:
            return subprocess.run(c, capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return ""
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "git": cmd(["git", "describe", "--always", "--dirty"]),
            "qemu": cmd(qemu_binary() + ["--version"]).splitlines()[0:1],
            "icount": " ".join(ICOUNT), "platform_qemu": read_platform_options(PLATFORM_QEMU)}


def previous_figures(path):
    """The path figures of the run whose results.json this run replaces (the
    report shows them beside the new ones), or {} when there is none."""
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (OSError, ValueError):
        return {}
    return {"meta": {k: old.get("meta", {}).get(k) for k in ("date", "git")},
            "guest": old.get("guest", {}), "modes": old.get("modes", {})}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--built", help="file listing the systems that built, one per line "
                    "(default: every build/<name> with a bulkhead.elf)")
    ap.add_argument("--only", action="append", choices=STEPS, default=[])
    ap.add_argument("--skip", action="append", choices=STEPS, default=[])
    ap.add_argument("--report-only", action="store_true",
                    help="only rewrite report.md and the plots from OUT/results.json")
    args = ap.parse_args(argv)
    args.build = os.path.abspath(args.build)
    args.out = os.path.abspath(args.out or os.path.join(args.build, "bench"))
    os.makedirs(args.out, exist_ok=True)
    if args.report_only:
        with open(os.path.join(args.out, "results.json"), encoding="utf-8") as f:
            res = json.load(f)
        res["errors"] = [e for e in res["errors"] if not e.startswith("plot ")]
        res["targets"] = report.targets(res)
        report.write_markdown(res, args.out, report.plots(res, args.out))
        return 0
    if args.built and os.path.isfile(args.built):
        with open(args.built, encoding="utf-8") as f:
            args.built_systems = {l.strip() for l in f if l.strip()}
    else:
        args.built_systems = {n for n in os.listdir(args.build)
                              if os.path.isfile(os.path.join(args.build, n, "bulkhead.elf"))}

    res = {"meta": meta(args), "guest": {}, "modes": {}, "steady": {}, "irq": {}, "aia": {}, "aia_pci": {}, "linux": {}, "channel": {},
           "footprint": {}, "scale": {}, "notes": [], "errors": [], "steps": {}}
    steps = [s for s in STEPS if (not args.only or s in args.only) and s not in args.skip]
    previous = os.path.join(args.out, "results.json")
    if len(steps) < len(STEPS) and os.path.isfile(previous):
        # A partial run keeps the other steps' figures of the last run.
        try:
            with open(previous, encoding="utf-8") as f:
                old = json.load(f)
        except (OSError, ValueError):
            old = {}
        for s in STEPS:
            if s not in steps and s in old:
                res[s] = old[s]
                if s in old.get("steps", {}):
                    res["steps"][s] = old["steps"][s]
        for k in ("notes", "errors"):
            res[k] = [e for e in old.get(k, []) if e.split(":")[0].split(" ")[0] not in steps]
    funcs = {"guest": step_guest, "modes": step_modes, "steady": step_steady, "irq": step_irq, "aia": step_aia,
             "linux": step_linux, "channel": step_channel, "footprint": step_footprint,
             "scale": lambda a, r: step_scale(a, r, say)}
    t_all = time.monotonic()
    for s in steps:
        t = time.monotonic()
        try:
            funcs[s](args, res)
            res["steps"][s] = {"ok": True}
        except Exception as e:  # a failed step is reported, never fatal
            res["steps"][s] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            res["errors"].append(f"{s}: {type(e).__name__}: {e}")
            say(f"{s}: FAILED: {e}")
            traceback.print_exc()
        res["steps"][s]["wall_s"] = round(time.monotonic() - t, 1)
    res["meta"]["wall_s"] = round(time.monotonic() - t_all, 1)

    res["targets"] = report.targets(res)
    res["previous"] = previous_figures(previous)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write("\n")
    plots = report.plots(res, args.out)
    report.write_markdown(res, args.out, plots)
    say(f"results in {os.path.relpath(args.out, ROOT)}/: results.json, report.md, "
        f"{', '.join(plots) or 'no plots'} ({res['meta']['wall_s']} s)")
    for row in res["targets"]:
        say(f"target {row['what']}: {row['bulkhead']} (target {row['target']}, Bao "
            f"{row['bao']}): {row['verdict']}")
    for e in res["errors"]:
        say(f"not measured: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
