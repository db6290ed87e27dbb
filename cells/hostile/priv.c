/* SPDX-License-Identifier: Apache-2.0 */
/*
 * priv: privileged instructions and CSRs from VS-mode.
 *
 * Each point is one instruction in an 8-byte slot of priv_ops (followed by
 * a return), so its address is exact.  Three expectations:
 *   guest  the exception is delegated (hedeleg) and reaches this guest's own
 *          trap handler: illegal instruction (scause 2) or breakpoint (3);
 *   hyp    a virtual-instruction exception (cause 22): not delegable, so the
 *          hypervisor reports it as a fault of the cell and restarts it;
 *   none   allowed in VS-mode (wfi, sfence.vma, satp).
 * The cursor walks the list across restarts like memprobe.
 *
 * Output:  priv-point <k> <name> pc <addr> expect <guest|hyp|none>
 *          priv-result <k> <name> scause <c> stval <v>   (trapped in this guest)
 *          priv-result <k> <name> completed
 *          priv-summary: points <N> guest-traps <G> completed <C> boots <B>
 */
#include "csr.h"
#include "hostile.h"

enum expect { GUEST, HYP, NONE, WALK };

static const char *const expect_name[] = {"guest", "hyp", "none", "hyp-or-guest"};

struct op {
	const char *name;
	unsigned int expect;
};

/* Same order as the slots of priv_ops below. */
static const struct op ops[] = {
	{"csrr-mstatus", GUEST},
	{"csrw-mtvec", GUEST},
	{"csrr-mhartid", GUEST},
	{"csrw-medeleg", GUEST},
	{"csrr-pmpcfg0", GUEST},
	{"csrw-mie", GUEST},
	{"mret", GUEST},
	{"csrr-dcsr", GUEST},
	{"csrw-cycle", GUEST},
	{"csrw-hgeip", GUEST}, /* read-only: illegal even in HS-mode */
	{"c.illegal", GUEST},
	{"ebreak", GUEST},
	{"wfi", NONE},
	{"sfence.vma", NONE},
	{"csrw-satp-bare", NONE},
	{"csrr-hstatus", HYP},
	{"csrw-hgatp", HYP},
	{"csrw-hedeleg", HYP},
	{"csrw-htimedelta", HYP},
	{"csrr-hvip", HYP},
	{"csrr-hgeip", HYP},
	{"csrr-vsatp", HYP},
	{"csrw-vsstatus", HYP},
	{"hfence.gvma", HYP},
	{"hfence.vvma", HYP},
	{"hlv.d", HYP},
	{"hsv.d", HYP},
	{"hlvx.hu", HYP},
	/* Not a slot of priv_ops: the guest's own page-table walk reads a PTE
	 * from the virtual PLIC (walk_in_vplic).  Acceptable: a fault of the
	 * cell (cause 21, gpa of the PTE), or the PTE read as the device word
	 * (0: invalid) and the guest's own load page fault (scause 13).  Wrong:
	 * the load completes. */
	{"pt-walk-in-vplic", WALK},
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

/*
 * One 8-byte slot per op: the instruction, then `ret`, no compression
 * (c.illegal and its c.nop fill the first 4 bytes).  Called with a0 = a
 * valid address of this cell's RAM (for hlv/hsv), t0 is scratch.
 */
void priv_ops(void);
__asm__(".pushsection .text\n"
	".option push\n"
	".option norvc\n"
	".balign 8\n"
	".globl priv_ops\n"
	"priv_ops:\n"
	"	csrr t0, 0x300\n	ret\n" /* mstatus */
	"	csrw 0x305, a0\n	ret\n" /* mtvec */
	"	csrr t0, 0xf14\n	ret\n" /* mhartid */
	"	csrw 0x302, zero\n	ret\n" /* medeleg */
	"	csrr t0, 0x3a0\n	ret\n" /* pmpcfg0 */
	"	csrw 0x304, zero\n	ret\n" /* mie */
	"	mret\n	ret\n"
	"	csrr t0, 0x7b0\n	ret\n"	       /* dcsr */
	"	csrw 0xc00, zero\n	ret\n"	       /* cycle */
	"	csrw 0xe12, zero\n	ret\n"	       /* hgeip */
	"	.half 0x0000\n	.half 0x0001\n	ret\n" /* c.illegal, c.nop */
	"	ebreak\n	ret\n"
	"	wfi\n	ret\n"
	"	sfence.vma\n	ret\n"
	"	csrw satp, zero\n	ret\n"
	"	csrr t0, 0x600\n	ret\n"		       /* hstatus */
	"	csrw 0x680, zero\n	ret\n"		       /* hgatp */
	"	csrw 0x602, zero\n	ret\n"		       /* hedeleg */
	"	csrw 0x605, a0\n	ret\n"		       /* htimedelta */
	"	csrr t0, 0x645\n	ret\n"		       /* hvip */
	"	csrr t0, 0xe12\n	ret\n"		       /* hgeip */
	"	csrr t0, 0x280\n	ret\n"		       /* vsatp */
	"	csrw 0x200, zero\n	ret\n"		       /* vsstatus */
	"	.insn r 0x73, 0, 0x31, x0, x0, x0\n	ret\n" /* hfence.gvma */
	"	.insn r 0x73, 0, 0x11, x0, x0, x0\n	ret\n" /* hfence.vvma */
	"	.insn r 0x73, 4, 0x36, t0, a0, x0\n	ret\n" /* hlv.d t0, (a0) */
	"	.insn r 0x73, 4, 0x37, x0, a0, t0\n	ret\n" /* hsv.d t0, (a0) */
	"	.insn r 0x73, 4, 0x32, t0, a0, x3\n	ret\n" /* hlvx.hu t0, (a0) */
	".option pop\n"
	".popsection\n");

static volatile unsigned long trapped_cause;
static volatile unsigned long trapped_tval;
static volatile int trapped;

static int priv_hook(struct trap_frame *f)
{
	trapped = 1;
	trapped_cause = f->scause;
	trapped_tval = f->stval;
	f->sepc += insn_length(f->sepc);
	return 1;
}

static unsigned long scratch[4];

/*
 * Sv39 for this guest: root[0] maps guest-physical 0..1 GiB (UART, PLIC)
 * and root[4] 4..5 GiB (this cell's RAM) 1:1 with gigapages; root[1] points
 * to a level-1 table "at" 0x0c000000, the virtual PLIC.  A load from VA
 * 0x40000000 makes the walk read that table's entry 0 at gpa 0x0c000000.
 */
#define PTE_V	       0x1UL
#define PTE_RWX_AD     0xceUL /* R W X A D */
#define SATP_SV39      (8UL << 60)
#define WALK_VA	       0x40000000UL
#define WALK_TABLE_GPA 0x0c000000UL

static unsigned long root[512] __attribute__((aligned(4096)));

static unsigned long walk_in_vplic(void)
{
	register unsigned long a0 __asm__("a0") = 0x5a5a5a5aUL;
	register unsigned long a1 __asm__("a1") = WALK_VA;

	root[0] = (0x0UL >> 12 << 10) | PTE_RWX_AD | PTE_V;
	root[1] = (WALK_TABLE_GPA >> 12 << 10) | PTE_V;
	root[4] = (HOSTILE_RAM_BASE >> 12 << 10) | PTE_RWX_AD | PTE_V;
	__asm__ volatile("sfence.vma" ::: "memory");
	csr_write(satp, SATP_SV39 | ((unsigned long)root >> 12));
	__asm__ volatile("sfence.vma" ::: "memory");
	__asm__ volatile(".option push\n.option norvc\nlw a0, 0(a1)\n.option pop"
			 : "+r"(a0)
			 : "r"(a1)
			 : "memory");
	csr_write(satp, 0);
	__asm__ volatile("sfence.vma" ::: "memory");
	return a0;
}

static void run_op(unsigned long k)
{
	void (*fn)(unsigned long) = (void (*)(unsigned long))((unsigned long)priv_ops + 8UL * k);

	if (ops[k].expect == WALK) {
		unsigned long v = walk_in_vplic();

		if (!trapped)
			say("priv: %s: the load returned %x", ops[k].name, v);
		return;
	}
	fn((unsigned long)scratch);
}

void priv_run(struct persist *p)
{
	unsigned long k;

	exc_hook = priv_hook;
	csr_write(sie, 0);
	for (k = p->cursor; k < NOPS; k++) {
		unsigned long pc = (ops[k].expect == WALK) ? (unsigned long)walk_in_vplic
							   : (unsigned long)priv_ops + 8UL * k;
		int is_wfi = (ops[k].name[0] == 'w');

		pace();
		persist_cursor(p, k + 1UL);
		say("priv-point %u %s pc %x expect %s", k, ops[k].name, pc,
		    expect_name[ops[k].expect]);
		trapped = 0;
		if (is_wfi) {
			/* Something must end the wfi: the guest's own timer, 1 ms ahead,
			 * enabled in sie but not taken (sstatus.SIE = 0). */
			csr_clear(sstatus, SSTATUS_SIE);
			(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER,
					rdtime() + TIMEBASE_HZ / 1000UL, 0, 0, 0, 0, 0);
			csr_set(sie, SIE_STIE);
		}
		run_op(k);
		if (is_wfi) {
			csr_clear(sie, SIE_STIE);
			(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0, 0, 0, 0);
		}
		if (trapped) {
			p->count[1]++;
			say("priv-result %u %s scause %u stval %x", k, ops[k].name, trapped_cause,
			    trapped_tval);
		} else {
			p->count[2]++;
			say("priv-result %u %s completed", k, ops[k].name);
		}
	}
	exc_hook = 0;
	if (p->cursor == NOPS) {
		persist_cursor(p, NOPS + 1UL);
		say("priv-summary: points %u guest-traps %u completed %u boots %u",
		    (unsigned long)NOPS, p->count[1], p->count[2], p->boots);
	}
}
