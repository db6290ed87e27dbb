/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the hostile guest: restart-proof state, locked line output,
 * a seeded generator, a one-second heartbeat, the second hart. */
#include <stdarg.h>
#include "csr.h"
#include "hostile.h"
#include "print.h"
#include "uart.h"

#define PERSIST_MAGIC 0x686f7374696c6521UL /* "hostile!" */
#define PERSIST_SALT  0x5a5a1234a5a5c3c3UL

volatile exc_hook_fn exc_hook;
volatile unsigned long ssi_taken[2];

static volatile unsigned int print_lock;

static unsigned long persist_sum(const struct persist *p)
{
	return p->magic ^ p->boots ^ p->cursor ^ PERSIST_SALT;
}

struct persist *persist_boot(void)
{
	struct persist *p = (struct persist *)PERSIST_ADDR;
	unsigned long i;

	if (p->magic != PERSIST_MAGIC || p->check != persist_sum(p)) {
		p->magic = PERSIST_MAGIC;
		p->boots = 0;
		p->cursor = 0;
		for (i = 0; i < sizeof(p->count) / sizeof(p->count[0]); i++)
			p->count[i] = 0;
		p->dtb_sum = 0;
		p->pristine_checked = 0;
		p->pristine_stale = 0;
	}
	p->boots++;
	p->check = persist_sum(p);
	__asm__ volatile("fence rw, rw" ::: "memory");
	return p;
}

void persist_cursor(struct persist *p, unsigned long cursor)
{
	p->cursor = cursor;
	p->check = persist_sum(p);
	/* The next instruction may fault: the update must be in RAM first
	 * (one hart: program order already guarantees it; the fence documents it). */
	__asm__ volatile("fence rw, rw" ::: "memory");
}

static void lock(void)
{
	while (__atomic_exchange_n(&print_lock, 1U, __ATOMIC_ACQUIRE) != 0U)
		;
}

static void unlock(void)
{
	__atomic_store_n(&print_lock, 0U, __ATOMIC_RELEASE);
}

void say(const char *fmt, ...)
{
	struct pbuf pb;
	va_list ap;
	unsigned long flags;

	pb_init(&pb);
	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%' || fmt[1] == '\0') {
			pb_char(&pb, *fmt);
			continue;
		}
		fmt++;
		switch (*fmt) {
		case 's': pb_str(&pb, va_arg(ap, const char *)); break;
		case 'c': pb_char(&pb, (char)va_arg(ap, int)); break;
		case 'u': pb_udec(&pb, va_arg(ap, unsigned long)); break;
		case 'd': pb_dec(&pb, va_arg(ap, long)); break;
		case 'x': pb_hex(&pb, va_arg(ap, unsigned long)); break;
		default: pb_char(&pb, *fmt); break;
		}
	}
	va_end(ap);
	/* Interrupts off while the lock is held: the heartbeat prints too. */
	flags = csr_read_clear(sstatus, SSTATUS_SIE);
	lock();
	if (has_word("sbicon")) {
		/* console = "sbi" (an "aia" cell has no emulated UART): SBI v0.1 putchar */
		for (unsigned long i = 0; i < pb.len; i++)
			(void)sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)pb.buf[i]);
		(void)sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, '\n');
	} else {
		uart_write(pb.buf, pb.len);
		uart_write("\r\n", sizeof("\r\n") - 1);
	}
	unlock();
	csr_set(sstatus, flags & SSTATUS_SIE);
}

void say_unended(const char *text)
{
	unsigned long len = 0;
	unsigned long flags;

	while (text[len] != '\0')
		len++;
	flags = csr_read_clear(sstatus, SSTATUS_SIE);
	lock();
	if (has_word("sbicon")) {
		for (unsigned long i = 0; i < len; i++)
			(void)sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)text[i]);
	} else {
		uart_write(text, len);
	}
	unlock();
	csr_set(sstatus, flags & SSTATUS_SIE);
}

unsigned long rng_next(unsigned long *state)
{
	unsigned long x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DUL;
}

/* ---------------------------------------------------------------- heartbeat */

static volatile unsigned long beats;
static unsigned long next_beat;

void alive_tick(void);

void alive_tick(void)
{
	unsigned long now = rdtime();

	beats++;
	next_beat += TIMEBASE_HZ;
	if (next_beat <= now)
		next_beat = now + TIMEBASE_HZ;
	(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, next_beat, 0, 0, 0, 0, 0);
}

void alive(const char *what, unsigned long seconds)
{
	unsigned long seen = beats;
	unsigned long start = beats;

	next_beat = rdtime() + TIMEBASE_HZ;
	(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, next_beat, 0, 0, 0, 0, 0);
	csr_set(sie, SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);
	while (seconds == 0UL || beats - start < seconds) {
		__asm__ volatile("wfi");
		if (beats != seen) {
			seen = beats;
			say("%s alive %u", what, seen - start);
		}
	}
	csr_clear(sie, SIE_STIE);
	(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0, 0, 0, 0);
}

/* ---------------------------------------------------------------- harts */

void secondary_entry(void);
void secondary_main(unsigned long hartid, unsigned long opaque);

void secondary_main(unsigned long hartid, unsigned long opaque)
{
	void (*fn)(void) = (void (*)(void))opaque;

	(void)hartid;
	csr_write(stvec, (unsigned long)trap_entry);
	fn();
	for (;;)
		__asm__ volatile("wfi");
}

long start_second_hart(void (*fn)(void))
{
	struct sbiret r = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 1,
				    (unsigned long)secondary_entry, (unsigned long)fn, 0, 0, 0);
	return r.error;
}

void hang(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, 0);
	for (;;)
		__asm__ volatile("");
}

void pace(void)
{
	unsigned long ms = word_value("pace=", 0);
	unsigned long end = rdtime() + ms * (TIMEBASE_HZ / 1000UL);

	while (rdtime() < end)
		;
}

unsigned long insn_length(unsigned long pc)
{
	unsigned short lo = *(volatile unsigned short *)pc;

	return ((lo & 3U) == 3U) ? 4UL : 2UL;
}
