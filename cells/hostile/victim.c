/*
 * victim: the cell the hostile guests attack.  A copy of cells/rtos-contract
 * (same contract, same output: "tick <n>" every second, "echo: <line>" for
 * every typed line) plus three things it watches about itself:
 *
 *   - a known pattern over 4 MiB of its RAM (guest 0x84000000, written at
 *     boot, word i = f(address)); every second it is checksummed and compared
 *     word by word with what it must be;
 *   - supervisor software interrupts: enabled, so an IPI that leaked from
 *     another cell would be taken and counted;
 *   - the latency of its timer interrupt (time from the deadline to the
 *     handler), the largest in each second.
 *
 * Output: "victim: boot hart <a0> pattern <first>..<last>", then every
 * second after the tick line
 *   "checksum <hex> changed <bytes> ssi <n> lat-max-us <us>"
 * where changed counts bytes that differ from the pattern since boot and
 * ssi the software interrupts taken since boot.
 */
#include "csr.h"
#include "print.h"
#include "sbi.h"
#include "trap.h"
#include "uart.h"

/* /cpus/timebase-frequency of QEMU virt (dts/qemu-virt.dts: 0x989680). */
#define TIMEBASE_HZ	10000000UL
#define TICK_HZ		100UL
#define TICK_PERIOD	(TIMEBASE_HZ / TICK_HZ)	/* 100000 time ticks */

/*
 * PLIC register map (RISC-V PLIC specification v1.0.0, ch. "Memory Map"):
 *   source priority  base + 4 * source
 *   enable bits      base + 0x2000 + 0x80 * context + 4 * (source / 32)
 *   threshold        base + 0x200000 + 0x1000 * context
 *   claim/complete   threshold + 4
 */
#define PLIC_BASE		0x0c000000UL
#define PLIC_PRIORITY(src)	(PLIC_BASE + 4UL * (src))
#define PLIC_ENABLE(ctx, src)	(PLIC_BASE + 0x2000UL + 0x80UL * (ctx) + 4UL * ((src) / 32UL))
#define PLIC_THRESHOLD(ctx)	(PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)		(PLIC_THRESHOLD(ctx) + 4UL)

#define LINE_MAX	128

/* The pattern: 4 MiB at guest 0x84000000 (host 0x8c000000 in the hostile
 * configs), well below the heap mark at 0x86631000. */
#define PATTERN_BASE	0x84000000UL
#define PATTERN_SIZE	0x400000UL

/*
 * RT-Thread's heap runs from the image end to image end + 100 MiB and
 * rt_system_heap_init writes the allocator's end sentinel there at boot,
 * so the real image needs guest RAM up to 0x86631000 (DESIGN.md).  This
 * guest writes the same last word, so a cell with too little RAM fails
 * here exactly as it would with RT-Thread.
 */
#define RTOS_HEAP_END	0x86631000UL
#define HEAP_MARK	0x5254546865617021UL	/* "RTTheap!" */

static unsigned long plic_ctx;		/* 2 * hartid + 1 */
static unsigned long next_event;	/* absolute `time` of the next tick */
static unsigned long ticks;
static char line[LINE_MAX];
static unsigned long line_len;
static volatile unsigned long seconds;		/* set by the tick, seen by main */
static volatile unsigned long soft_irqs;
static volatile unsigned long lat_max;		/* time ticks, this second */

void guest_main(unsigned long hartid, unsigned long dtb);

static inline void mmio_w32(unsigned long addr, unsigned int v)
{
	*(volatile unsigned int *)addr = v;
}

static inline unsigned int mmio_r32(unsigned long addr)
{
	return *(volatile unsigned int *)addr;
}

static void plic_init(unsigned long hartid)
{
	/* S-mode context of this hart on QEMU virt: contexts alternate
	 * M-mode / S-mode per hart, so S is 2 * hartid + 1. */
	plic_ctx = 2UL * hartid + 1UL;

	/* Priority 0 means "never interrupt" (PLIC spec "Interrupt
	 * Priorities"), so the UART source needs at least 1. */
	mmio_w32(PLIC_PRIORITY(UART_IRQ), 1U);
	/* Read-modify-write of the one enable word, as RT-Thread does. */
	mmio_w32(PLIC_ENABLE(plic_ctx, UART_IRQ),
		 mmio_r32(PLIC_ENABLE(plic_ctx, UART_IRQ)) | (1U << (UART_IRQ % 32U)));
	/* Threshold 0: every priority > 0 is delivered. */
	mmio_w32(PLIC_THRESHOLD(plic_ctx), 0U);
}

static void heap_touch(void)
{
	volatile unsigned long *last = (volatile unsigned long *)(RTOS_HEAP_END - 8UL);

	*last = HEAP_MARK;
	if (*last != HEAP_MARK) {
		print_str("victim: RAM at ");
		print_hex(RTOS_HEAP_END - 8UL);
		print_str(" does not hold data\r\n");
	}
}

static void print_num_line(const char *prefix, unsigned long n)
{
	print_str(prefix);
	print_dec((long)n);
	print_str("\r\n");
}

static void timer_tick(void)
{
	unsigned long now = rdtime();

	if (now - next_event > lat_max && now >= next_event)
		lat_max = now - next_event;
	ticks++;
	if (ticks % TICK_HZ == 0UL) {
		print_num_line("tick ", ticks / TICK_HZ);
		seconds = ticks / TICK_HZ;
	}

	/* Next deadline one period after the previous one, so the second
	 * count does not drift with handler latency; if the guest fell
	 * more than a period behind (stopped in a debugger, host stall),
	 * restart from now instead of firing a burst of late ticks.
	 * set_timer also clears the pending STIP (SBI v2.0 ch. 5.1). */
	next_event += TICK_PERIOD;
	now = rdtime();
	if (next_event <= now)
		next_event = now + TICK_PERIOD;
	sbi_legacy_set_timer(next_event);
}

static void rx_char(int c)
{
	if (c == '\r' || c == '\n') {
		if (line_len > 0UL) {
			print_str("echo: ");
			uart_write(line, line_len);
			print_str("\r\n");
			line_len = 0;
		}
		return;
	}
	/* Characters past LINE_MAX are dropped; the line is still echoed. */
	if (line_len < LINE_MAX)
		line[line_len++] = (char)c;
}

static void external_irq(void)
{
	/* One claim and one complete per interrupt, like RT-Thread's
	 * plic_handle_irq (PLIC spec "Interrupt Claim Process" and
	 * "Interrupt Completion"); a claim of 0 means nothing pending. */
	unsigned int src = mmio_r32(PLIC_CLAIM(plic_ctx));
	int c;

	if (src == 0U)
		return;
	if (src == UART_IRQ) {
		/* Drain the receive FIFO: the interrupt stays asserted
		 * while LSR.DR is set. */
		while ((c = uart_getc_nowait()) >= 0)
			rx_char(c);
	}
	mmio_w32(PLIC_CLAIM(plic_ctx), src);
}

void trap_handler(struct trap_frame *f)
{
	unsigned long code = SCAUSE_CODE(f->scause);

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (code == IRQ_S_TIMER)
			timer_tick();
		else if (code == IRQ_S_EXT)
			external_irq();
		else if (code == IRQ_S_SOFT) {
			/* Nobody may send this cell an IPI: count any. */
			soft_irqs++;
			csr_clear(sip, SIP_SSIP);
		}
		return;
	}

	/* An exception is a bug in this guest or in the cell around it:
	 * report it and stop, like RT-Thread's exception dump does. */
	print_str("victim: exception scause=");
	print_hex(f->scause);
	print_str(" sepc=");
	print_hex(f->sepc);
	print_str(" stval=");
	print_hex(f->stval);
	print_str("\r\n");
	for (;;)
		__asm__ volatile("");
}

static unsigned long pattern(unsigned long addr)
{
	unsigned long x = addr * 0x9E3779B97F4A7C15UL;	/* splitmix64 finaliser */

	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9UL;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBUL;
	return x ^ (x >> 31);
}

static void pattern_write(void)
{
	unsigned long a;

	for (a = PATTERN_BASE; a < PATTERN_BASE + PATTERN_SIZE; a += 8UL)
		*(volatile unsigned long *)a = pattern(a);
}

/* Checksum of the region; *changed = bytes that differ from the pattern. */
static unsigned long pattern_check(unsigned long *changed)
{
	unsigned long a, sum = 0, bad = 0;

	for (a = PATTERN_BASE; a < PATTERN_BASE + PATTERN_SIZE; a += 8UL) {
		unsigned long w = *(volatile unsigned long *)a;
		unsigned long d = w ^ pattern(a);

		sum = ((sum << 7) | (sum >> 57)) ^ w;
		for (; d != 0UL; d >>= 8)
			bad += ((d & 0xffUL) != 0UL) ? 1UL : 0UL;
	}
	*changed = bad;
	return sum;
}

static void report(void)
{
	unsigned long changed, sum = pattern_check(&changed);
	unsigned long lat;

	/* One line, not interleaved with a tick or an echo. */
	csr_clear(sstatus, SSTATUS_SIE);
	lat = lat_max;
	lat_max = 0;
	print_str("checksum ");
	print_hex(sum);
	print_str(" changed ");
	print_dec((long)changed);
	print_str(" ssi ");
	print_dec((long)soft_irqs);
	print_str(" lat-max-us ");
	print_dec((long)(lat / (TIMEBASE_HZ / 1000000UL)));
	print_str("\r\n");
	csr_set(sstatus, SSTATUS_SIE);
}

void guest_main(unsigned long hartid, unsigned long dtb)
{
	unsigned long seen = 0;

	(void)dtb;	/* RT-Thread ignores the device tree */

	uart_init();
	print_str("victim: boot hart ");
	print_dec((long)hartid);
	print_str(" pattern ");
	print_hex(PATTERN_BASE);
	print_str("..");
	print_hex(PATTERN_BASE + PATTERN_SIZE - 1UL);
	print_str("\r\n");
	pattern_write();

	csr_write(stvec, (unsigned long)trap_entry);	/* direct mode */
	heap_touch();
	plic_init(hartid);
	uart_enable_rx_irq();

	next_event = rdtime() + TICK_PERIOD;
	sbi_legacy_set_timer(next_event);

	csr_set(sie, SIE_STIE | SIE_SEIE | SIE_SSIE);
	csr_set(sstatus, SSTATUS_SIE);

	/* RT-Thread's idle thread spins; there is no wfi on purpose.  After
	 * every tick line it checks its memory. */
	for (;;) {
		if (seconds != seen) {
			seen = seconds;
			report();
		}
	}
}
