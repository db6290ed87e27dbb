/* SPDX-License-Identifier: Apache-2.0 */
/*
 * victim: the cell the hostile guests attack.  cells/rtos-contract's
 * contract (cells/common/rtos_contract.c; same output: "tick <n>" every
 * second, "echo: <line>" for every typed line) plus three things it watches
 * about itself:
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
#include "rtos_contract.h"
#include "trap.h"
#include "uart.h"

#define WHO "victim"

/* The pattern: 4 MiB at guest 0x84000000 (host 0x8c000000 in the hostile
 * configs), well below the heap mark at 0x86631000. */
#define PATTERN_BASE 0x84000000UL
#define PATTERN_SIZE 0x400000UL

static volatile unsigned long seconds; /* set by the tick, seen by main */
static volatile unsigned long soft_irqs;
static volatile unsigned long lat_max; /* time ticks, this second */

void guest_main(unsigned long hartid, unsigned long dtb);

static void timer_tick(void)
{
	unsigned long now = rdtime(), deadline = rtos_timer_deadline(), t;

	if (now - deadline > lat_max && now >= deadline)
		lat_max = now - deadline;
	t = rtos_timer_tick();
	if (t % TICK_HZ == 0UL)
		seconds = t / TICK_HZ;
}

void trap_handler(struct trap_frame *f)
{
	unsigned long code = SCAUSE_CODE(f->scause);

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (code == IRQ_S_TIMER)
			timer_tick();
		else if (code == IRQ_S_EXT)
			rtos_external_irq();
		else if (code == IRQ_S_SOFT) {
			/* Nobody may send this cell an IPI: count any. */
			soft_irqs++;
			csr_clear(sip, SIP_SSIP);
		}
		return;
	}

	/* An exception is a bug in this guest or in the cell around it:
	 * report it and stop, like RT-Thread's exception dump does. */
	rtos_exception(WHO, f);
}

static unsigned long pattern(unsigned long addr)
{
	unsigned long x = addr * 0x9E3779B97F4A7C15UL; /* splitmix64 finaliser */

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

	(void)dtb; /* RT-Thread ignores the device tree */

	uart_init();
	print_str(WHO ": boot hart ");
	print_dec((long)hartid);
	print_str(" pattern ");
	print_hex(PATTERN_BASE);
	print_str("..");
	print_hex(PATTERN_BASE + PATTERN_SIZE - 1UL);
	print_str("\r\n");
	pattern_write();

	csr_write(stvec, (unsigned long)trap_entry); /* direct mode */
	rtos_heap_touch(WHO);
	rtos_uart_irq_init(hartid);
	rtos_timer_start();

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
