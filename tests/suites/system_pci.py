# SPDX-License-Identifier: Apache-2.0
"""System tests of a Linux cell with PCI functions passed through behind the
IOMMU, each system booted headless once (about 20 s):

  linux-baremetal  (the default system) cell 'rtos' on hart 0, cell 'linux'
                   on harts 1-2 owning 00:01.0, a virtio-blk-pci on
                   build/linux-baremetal/disk.img, and 00:02.0, a
                   virtio-net-pci; PLIC platform, interrupts on INTA#
                   through the virtual PLIC
  linux-pci-aia    the same on the AIA platform with an "aia" Linux cell: the
                   functions' MSI-X writes reach its IMSIC guest interrupt
                   files through the IOMMU, without the hypervisor

The unmodified Linux 6.12 of the other Linux systems finds the two functions
through the host bridge bhconfig describes in its device tree, binds
virtio-blk and virtio-net over PCI, mounts the disk (an ext2 image of
configs/<system>.disk/), reads its file, writes one of its own (checked in
the image after QEMU has ended, with debugfs), and shows the network card
with the MAC address of configs/<system>.qemu. Its interrupts are counted;
no DMA is refused; the rtos ticks throughout. On AIA, reading the whole disk
(hundreds of MSIs) costs the Linux harts no exit but the console's.
"""

import os
import re
import subprocess
import uuid

import bhtest
from bhtest import assert_no_line, excerpt, matching
from bulkhead_run.stats import parse_stats

SYSTEMS = ("linux-baremetal", "linux-pci-aia")
LINUX, RTOS = "linux", "rtos"
# The only exits the read of the whole disk may cost the AIA Linux harts: its
# console output (the emulated UART's registers, and the setipnum_le write
# that ends each of its level-triggered interrupts, AIA spec 4.9.2). The
# console's focus is elsewhere meanwhile, so no typed byte interrupts them;
# a disk MSI that reached the hypervisor would show as irq_external.
CONSOLE_OUTPUT = ("mmio_vuart", "mmio_vaplic")
IDLE_SECONDS = 3
# Typed in two lines, each under the hypervisor's 64-byte input queue.
BULK_READ = "r(){ sleep 3;cat /dev/vda|wc -c;grep virtio0 /proc/interrupts;}"
BULK = "echo @bulk;grep virtio0 /proc/interrupts;r;echo bulk@"
INIT_DONE = r"KGDB"  # the last line of /proc/interrupts, printed just before the prompt
MAC = "52:54:00:42:48:01"
DEBUGFS = "/usr/sbin/debugfs"
KERNEL_NOTE = re.compile(r"^(hrtimer: interrupt took \d+ ns|EXT2-fs \(vda\): .*)$")
CHANNEL_TEXT = "hello-over-aia"
CHANNEL_PINGS = 10

VERIFIES = {
    "linux-baremetal/*": ["GST-PCI-1", "ISO-DMA-2"],
    "linux-pci-aia/*": ["GST-PCI-1", "ISO-DMA-2"],
    "linux-pci-aia/bulk_read_msis_without_exits": ["GST-PCI-1", "IRQ-AIA-4"],
    "linux-pci-aia/idle_linux_no_exits": ["IRQ-AIA-4", "IRQ-AIA-6"],
    "linux-pci-aia/channel_doorbells_are_msis": ["IRQ-AIA-6", "GST-SHM-1"],
}


class Run:
    def __init__(self, ctx, system):
        self.system = system
        self.build = os.path.join(ctx.build, system)
        self.token = uuid.uuid4().hex[:12]
        self.commands = (
            ("functions", "ls /sys/bus/pci/devices"),
            ("drivers", "ls /sys/bus/pci/drivers/virtio-pci"),
            ("read", "mount -t ext2 /dev/vda /mnt && cat /mnt/hello.txt"),
            ("write", f"echo written-by-linux-{self.token} > /mnt/from-linux.txt && umount /mnt && echo unmounted"),
            ("link", "ip link set eth0 up && ip link && cat /sys/class/net/eth0/carrier"),
            ("irqs", "grep -i virtio /proc/interrupts"),
        )
        if system == "linux-pci-aia":
            # its channel with the rtos, whose doorbell is an emulated source of its APLIC domain
            self.commands += (
                ("chanrecv", "bhshm recv 2 10"),
                ("chansend", f"bhshm send {CHANNEL_TEXT}"),
                ("chanping", f"bhshm ping {CHANNEL_PINGS}"),
                ("chanirq", "grep telemetry /proc/interrupts"),
            )
        self.run = bhtest.CachedRun(self._boot)

    def _boot(self):
        bhtest.require_build(self.build, self.system)
        script = [f"wait-for {LINUX} {INIT_DONE} 40"]
        for name, cmd in self.commands:
            script += [f"at 0.2 {LINUX} echo @{name}; {cmd}; echo {name}@", f"wait-for {LINUX} ^{name}@$ 15"]
        # The whole disk read between two statistics snapshots taken while the
        # focus is on the rtos (cell 0), its MSI counts before and after; then
        # Linux idles at its prompt between two more.
        last = rf"stats request cell={LINUX} hart=\d+ vhart=1\b"
        # ("at" times count from the last wait-for)
        script += [f"at 0.5 {LINUX} {BULK_READ}", f"at 1.5 {LINUX} {BULK}", "at 1.7 hyp 0",
                   "at 2.3 hyp s", f"wait-for hyp {last} 10",
                   f"wait-for {LINUX} ^bulk@$ 20", "at 0.5 hyp s", f"wait-for hyp {last} 10",
                   f"at {IDLE_SECONDS} hyp s", f"wait-for hyp {last} 10"]
        script += [f"wait-for {RTOS} ^tick \\d+$ 5"]
        return bhtest.run_headless(self.build, 90, script, stop_when=lambda r: r.script_done)

    def deltas(self, first, second):
        """(hart, counter, change) of the Linux harts between two statistics snapshots of the script."""
        snaps = {}
        for line in self.r().hypervisor:
            st = parse_stats(line)
            if st is not None and st.why == "request" and st.cell == LINUX:
                snaps.setdefault(st.hart, []).append(st)
        out = []
        for hart, lines in sorted(snaps.items()):
            a, z = lines[first], lines[second]
            out += [(hart, "exits", z.exits - a.exits)]
            out += [(hart, k, z.counters.get(k, 0) - a.counters.get(k, 0))
                    for k in sorted(set(a.counters) | set(z.counters)) if z.counters.get(k, 0) != a.counters.get(k, 0)]
        return out

    def r(self):
        r = self.run.get()
        assert r.script_error is None, f"input script: {r.script_error}; " + \
            excerpt(r.cells.get(LINUX, []), title="linux log")
        return r

    def output(self, name):
        """What the command printed, between its two marker lines."""
        lines = self.r().cells[LINUX]
        try:
            start = lines.index(f"@{name}")
            end = lines.index(f"{name}@", start)
        except ValueError:
            raise AssertionError(f"no output of '{name}' in the linux log; " + excerpt(lines, title="linux"))
        # the kernel's own notes that reach the console whenever they happen: a host too slow for its
        # timer (a busy CI machine), a file system a killed run left mounted
        return [l for l in lines[start + 1:end] if not KERNEL_NOTE.match(l)]


def virtio0_total(lines):
    """Interrupts of the disk (every virtio0 line of /proc/interrupts, both CPUs)."""
    return sum(int(x) for line in lines for x in line.split()[1:3] if x.isdigit())


def collect_system(ctx, system):
    b = Run(ctx, system)

    def t_functions_found():
        out = b.output("functions")
        assert out == ["0000:00:01.0  0000:00:02.0"] or sorted(" ".join(out).split()) == \
            ["0000:00:01.0", "0000:00:02.0"], f"Linux sees PCI functions {out}, expected its own two"
        bound = sorted(" ".join(b.output("drivers")).split())
        assert "0000:00:01.0" in bound and "0000:00:02.0" in bound, \
            f"virtio-pci bound to {bound}, expected both functions"

    def t_disk_read():
        out = b.output("read")
        with open(os.path.join(ctx.root, "configs", f"{system}.disk", "hello.txt"), encoding="utf-8") as f:
            want = f.read().splitlines()
        assert out == want, f"the disk's hello.txt as Linux read it: {out}, expected {want}"

    def t_disk_written():
        assert b.output("write") == ["unmounted"], f"write and umount: {b.output('write')}"
        image = os.path.join(b.build, "disk.img")
        r = subprocess.run([DEBUGFS, "-R", "cat /from-linux.txt", image], capture_output=True, text=True,
                           timeout=30)
        assert r.stdout.strip() == f"written-by-linux-{b.token}", \
            f"{image}: /from-linux.txt holds {r.stdout.strip()!r} ({r.stderr.strip()})"

    def t_network_card():
        out = b.output("link")
        text = "\n".join(out)
        assert f"link/ether {MAC}" in text, f"eth0 lacks the MAC of configs/{system}.qemu: {out}"
        assert out and out[-1] == "1", f"eth0 has no carrier after 'ip link set eth0 up': {out}"
        assert matching(out, r"^\d+: eth0: <[^>]*\bUP\b"), f"eth0 is not up: {out}"

    def t_interrupts_and_no_fault():
        r = b.r()
        counts = []
        for line in b.output("irqs"):
            fields = line.split()
            counts.append(sum(int(x) for x in fields[1:3] if x.isdigit()))
        assert counts and sum(counts) > 0, f"no virtio interrupt counted in /proc/interrupts: {b.output('irqs')}"
        assert_no_line(r.hypervisor, r"DMA FAULT", "the hypervisor's log (Linux's DMA stays in its cell)")
        ticks = matching(r.cells[RTOS], r"^tick (\d+)$")
        assert len(ticks) >= 5, f"the rtos ticked {len(ticks)} times"

    def t_bulk_read():
        out = b.output("bulk")
        sizes = [l for l in out if l.strip().isdigit()]
        assert sizes == [str(8 << 20)], f"'cat /dev/vda | wc -c' gave {sizes}, expected the 8 MiB image"
        counts = [l for l in out if "virtio0" in l]
        n = len(counts) // 2
        before, after = virtio0_total(counts[:n]), virtio0_total(counts[n:])
        assert after - before >= 10, f"the disk read raised {after - before} interrupts: {counts}"
        if system != "linux-pci-aia":
            return
        other = {f"hart {hart} {k}": d for hart, k, d in b.deltas(0, 1) if k not in CONSOLE_OUTPUT + ("exits",)}
        assert not other, (f"{after - before} MSIs of the disk cost the Linux harts exits besides the console "
                           f"output's: {other}")

    def t_idle():
        moved = {f"hart {hart} {k}": d for hart, k, d in b.deltas(1, 2) if d}
        assert not moved, f"Linux idle for {IDLE_SECONDS} s at its prompt made exits: {moved}"

    def t_channel():
        samples = [int(m.group(1)) for m in matching(b.output("chanrecv"), r"^from rtos: sample (\d+)$")]
        assert len(samples) == 2 and samples[1] == samples[0] + 1, \
            f"bhshm recv 2 got samples {samples}: {b.output('chanrecv')}"
        assert matching(b.r().cells[RTOS], rf"^shm telemetry: from {LINUX}: {CHANNEL_TEXT}$"), \
            "the text Linux sent never reached the rtos: " + excerpt(b.r().cells[RTOS], title="rtos")
        assert matching(b.output("chanping"), rf"^roundtrip n={CHANNEL_PINGS} "), \
            f"bhshm ping {CHANNEL_PINGS}: {b.output('chanping')}"
        irq = matching(b.output("chanirq"), r"^\s*\d+:\s+(\d+)\s+(\d+)\s+APLIC-MSI-\S+\s+32 Edge\b.*telemetry$")
        # at least one: a ring that finds the source still pending merges into it (docs/shmem.md)
        assert irq and int(irq[0].group(1)) + int(irq[0].group(2)) >= 1, \
            f"the doorbell's MSIs in /proc/interrupts: {b.output('chanirq')}"

    tests = [] if system != "linux-pci-aia" else [(f"{system}/idle_linux_no_exits", t_idle),
                                                  (f"{system}/channel_doorbells_are_msis", t_channel)]
    return tests + [
        (f"{system}/functions_found_and_bound", t_functions_found),
        (f"{system}/disk_read_through_the_iommu", t_disk_read),
        (f"{system}/disk_written_through_the_iommu", t_disk_written),
        (f"{system}/network_card_up", t_network_card),
        (f"{system}/interrupts_arrive_no_dma_fault", t_interrupts_and_no_fault),
        (f"{system}/bulk_read" + ("_msis_without_exits" if system == "linux-pci-aia" else ""), t_bulk_read),
    ]


def collect(ctx):
    return [t for system in SYSTEMS for t in collect_system(ctx, system)]
