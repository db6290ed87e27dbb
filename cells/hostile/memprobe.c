/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memprobe: touch every probe point of the machine that is not this cell's.
 *
 * One point per boot at most: the cursor (struct persist) is advanced before
 * the access, the access either faults (the hypervisor reports it and
 * restarts the cell, which continues at the next point) or is emulated by
 * the hypervisor (virtual PLIC, virtual UART registers) or allowed (own
 * RAM with the right access), and then the next point follows at once.
 *
 * Output:  probe-point <n> <addr> <kind>        before each access
 *          probe-ok <n> <addr> <kind> value <v> the access completed
 *          probe-summary: points <N> completed <C> boots <B>
 * Kinds: ld lw lb c.lw (loads), sd sw sb c.sw (stores), amo (amoswap.w),
 * x (jump to the address).
 */
#include "csr.h"
#include "hostile.h"

const char *const kind_name[] = {
	"ld", "lw", "lb", "c.lw", "sd", "sw", "sb", "c.sw", "amo", "x",
};

/* The prober's own extra regions (configs/hostile-memprobe.dts). */
#define RO_BASE 0x104000000UL /* access "r"  */
#define NX_BASE 0x104200000UL /* access "rw" */

#define RB   1U /* read back after a store that completed */
#define MARK 0xbadc0ffee0ddf00dUL

struct point {
	unsigned long addr;
	unsigned int kind;
	unsigned int flags;
	unsigned long value; /* stored by store kinds */
};

static const struct point points[] = {
	/* OpenSBI: code, data, end of its 2 MiB */
	{0x80000000UL, LD, 0, 0},
	{0x80000000UL, SD, 0, MARK},
	{0x80040000UL, LD, 0, 0},
	{0x801ff000UL, SD, 0, MARK},
	/* the hypervisor: code, G-stage tables, pristine images, end */
	{0x80200000UL, LD, 0, 0},
	{0x80200000UL, SD, 0, MARK},
	{0x80400000UL, LD, 0, 0},
	{0x80400000UL, SD, 0, 0},
	{0x80600000UL, LD, 0, 0},
	{0x83fff000UL, SD, 0, MARK},
	/* the victim's RAM at its host addresses: start, image, pattern, DTB, end */
	{0x88000000UL, LD, 0, 0},
	{0x88200000UL, SD, 0, MARK},
	{0x8c000000UL, SD, 0, MARK},
	{0x8fff0000UL, LD, 0, 0},
	{0x8ffff000UL, SD, 0, MARK},
	/* the victim's pattern at the victim's guest address */
	{0x84000000UL, SD, 0, MARK},
	/* this cell's own RAM at its host address: there is no identity alias */
	{0x90000000UL, LD, 0, 0},
	{0x90200000UL, SD, 0, MARK},
	/* free RAM, the last page of RAM */
	{0x94400000UL, LD, 0, 0},
	{0xc0000000UL, SD, 0, MARK},
	{0xfffff000UL, LD, 0, 0},
	/* own read-only region: a read completes, a store or AMO faults */
	{RO_BASE, LD, 0, 0},
	{RO_BASE, SD, 0, MARK},
	{RO_BASE + 0x1000UL, AMO, 0, 1},
	/* own no-execute region: data completes (c.ret stored), a jump faults */
	{NX_BASE, SW, RB, 0x80828082UL},
	{NX_BASE, JMP, 0, 0},
	/* CLINT: msip of hart 0 and 1, mtimecmp of hart 0, mtime */
	{0x02000000UL, LW, 0, 0},
	{0x02000004UL, SW, 0, 1},
	{0x02004000UL, SD, 0, 0},
	{0x0200bff8UL, LD, 0, 0},
	/* the virtual PLIC: emulated, foreign sources and contexts read 0 / ignored */
	{0x0c000028UL, LW, 0, 0},	      /* priority of own source 10 */
	{0x0c000004UL, SW, RB, 7},	      /* priority of source 1: not ours */
	{0x0c002080UL, SW, RB, 0xffffffffUL}, /* enables of own context 1 */
	{0x0c002100UL, SW, RB, 0xffffffffUL}, /* enables of context 2: no such vhart */
	{0x0c201004UL, CLW, 0, 0},	      /* own claim, by a compressed load */
	{0x0c203004UL, LW, 0, 0},	      /* claim of context 3: no such vhart */
	{0x0c5ff000UL, CSW, 0, 1},	      /* last context page of the PLIC */
	{0x0c600000UL, LW, 0, 0},	      /* first word past the PLIC window */
	{0x0c000028UL, LB, 0, 0},	      /* byte access: cannot be a PLIC access */
	{0x0c000028UL, AMO, 0, 1},	      /* AMO: cannot be emulated */
	/* the virtual UART: its 8 registers are emulated, the rest of the page is not */
	{0x10000005UL, LB, 0, 0},     /* LSR */
	{0x10000007UL, SB, RB, 0x5a}, /* scratch register */
	{0x10000008UL, LB, 0, 0},
	{0x10000ff8UL, LD, 0, 0},
	/* virtio-mmio slots nobody owns: magic value, status */
	{0x10001000UL, LW, 0, 0},
	{0x10004000UL, LW, 0, 0},
	{0x10007000UL, LW, 0, 0},
	{0x10008000UL, LW, 0, 0},
	{0x10008070UL, SW, 0, 0},
	/* sifive_test: 0x5555 would power the whole machine off */
	{0x00100000UL, SW, 0, 0x5555},
	/* RTC, fw_cfg, boot ROM */
	{0x00101000UL, LW, 0, 0},
	{0x10100000UL, LD, 0, 0},
	{0x00001000UL, LD, 0, 0},
	/* flash banks */
	{0x20000000UL, LD, 0, 0},
	{0x22000000UL, SD, 0, MARK},
	/* PCI: I/O window, ECAM, 32-bit and 64-bit MMIO windows */
	{0x03000000UL, LW, 0, 0},
	{0x30000000UL, LW, 0, 0},
	{0x40000000UL, LD, 0, 0},
	{0x400000000UL, LD, 0, 0},
	/* address 0 and the last page of the 41-bit guest-physical space */
	{0x0UL, LD, 0, 0},
	{0x1ffffffff000UL, LD, 0, 0},
};

#define NPOINTS (sizeof(points) / sizeof(points[0]))

/* The exact instruction of each kind: no compression unless asked for
 * (opt "rvc").  Loads leave the value read in a0; stores write a0. */
#define ACCESS_INSN(insn, opt) ".option push\n.option " opt "\n" insn " a0, 0(a1)\n.option pop"
#define LOAD(insn, opt)	       __asm__ volatile(ACCESS_INSN(insn, opt) : "+r"(a0) : "r"(a1) : "memory")
#define STORE(insn, opt)       __asm__ volatile(ACCESS_INSN(insn, opt)::"r"(a0), "r"(a1) : "memory")

unsigned long access(unsigned int kind, unsigned long addr, unsigned long value)
{
	register unsigned long a0 __asm__("a0") = value;
	register unsigned long a1 __asm__("a1") = addr;

	switch (kind) {
	case LD: LOAD("ld", "norvc"); break;
	case LW: LOAD("lw", "norvc"); break;
	case LB: LOAD("lbu", "norvc"); break;
	case CLW: LOAD("c.lw", "rvc"); break;
	case SD: STORE("sd", "norvc"); break;
	case SW: STORE("sw", "norvc"); break;
	case SB: STORE("sb", "norvc"); break;
	case CSW: STORE("c.sw", "rvc"); break;
	case AMO: __asm__ volatile("amoswap.w a0, a0, (a1)" : "+r"(a0) : "r"(a1) : "memory"); break;
	default: /* JMP: a c.ret stored there returns; anything else faults */
		__asm__ volatile("jalr ra, 0(a1)" ::"r"(a1) : "ra", "memory");
		a0 = 0;
		break;
	}
	return a0;
}

static unsigned int readback_kind(unsigned int kind)
{
	switch (kind) {
	case SD: return LD;
	case SB: return LB;
	default: return LW;
	}
}

/*
 * SBI calls that take a buffer must check all of it against one region of
 * the cell with the rights the call needs (SBI-DBCN-1): the hypervisor
 * would otherwise read or write memory the cell cannot reach itself.
 * Output: "sbi-buffer <name> error <e> value <v>".
 */
#define RO_BASE	 0x104000000UL /* access "r" */
#define RW_BASE	 0x104200000UL /* access "rw", the last region */
#define RAM_LAST (RW_BASE + 0x200000UL)

static void buffer_check(const char *name, unsigned long fid, unsigned long addr, unsigned long len)
{
	struct sbiret r = sbi_ecall(SBI_EXT_DBCN, fid, len, addr, 0, 0, 0, 0);

	say("sbi-buffer %s error %d value %u", name, r.error, r.value);
}

static void buffer_checks(void)
{
	static const char line[8] = "edge-ok\n";
	volatile char *tail = (volatile char *)(RAM_LAST - 8UL);

	for (unsigned long i = 0; i < 8UL; i++)
		tail[i] = line[i];
	buffer_check("write-last-8-bytes", SBI_DBCN_CONSOLE_WRITE, RAM_LAST - 8UL, 8UL);
	buffer_check("write-8-bytes-past-end", SBI_DBCN_CONSOLE_WRITE, RAM_LAST - 8UL, 16UL);
	buffer_check("read-into-rw", SBI_DBCN_CONSOLE_READ, RW_BASE, 16UL);
	buffer_check("read-into-read-only", SBI_DBCN_CONSOLE_READ, RO_BASE, 16UL);
}

void memprobe_run(struct persist *p)
{
	unsigned long n;

	csr_write(sie, 0);
	for (n = p->cursor; n < NPOINTS; n++) {
		const struct point *pt = &points[n];
		unsigned long v;

		pace();
		persist_cursor(p, n + 1UL);
		say("probe-point %u %x %s", n, pt->addr, kind_name[pt->kind]);
		v = access(pt->kind, pt->addr, pt->value);
		if ((pt->flags & RB) != 0U)
			v = access(readback_kind(pt->kind), pt->addr, 0);
		p->count[0]++;
		say("probe-ok %u %x %s value %x", n, pt->addr, kind_name[pt->kind], v);
	}
	if (p->cursor == NPOINTS) {
		persist_cursor(p, NPOINTS + 1UL);
		buffer_checks();
		say("probe-summary: points %u completed %u boots %u", (unsigned long)NPOINTS,
		    p->count[0], p->boots);
	}
}
