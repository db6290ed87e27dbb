/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attacks on the shared console and on the hart that serves typed input.
 * The attacker waits for one-letter commands typed to it (polling its
 * emulated UART with interrupts off), so the test decides when each attack
 * runs and types to the victim while it runs:
 *
 *   f  forge: control sequences a terminal would act on (C1 CSI raw and as
 *      UTF-8, ESC, CR, backspaces past the line start), invalid UTF-8, and a
 *      2000-character line; every byte must come out inert and tagged
 *   F  flood: both harts write 256-byte DBCN chunks as fast as they can for
 *      8 s (the victim's lines and input must not suffer; drops are counted)
 *   i  3 s spinning with interrupts off, no exits
 *   h  3 s hammering its own vPLIC (claim, threshold) and vUART (LSR, IER)
 *   s  3 s of SBI HSM hart_suspend calls (retentive)
 *   x  HSM hart_stop of the hart that reads commands; 2 s later the cell's
 *      other hart makes an SRST shutdown of the whole cell ("reset: start")
 *
 * Output: "conattack: ready", then "<attack>: start" / "<attack>: done".
 */
#include "csr.h"
#include "hostile.h"
#include "uart.h"

#define FLOOD_SECONDS	    8UL
#define PHASE_SECONDS	    3UL
#define CHUNK		    256UL
#define LONG_LINE	    2000UL
#define PLIC_BASE	    0x0c000000UL
#define PLIC_CLAIM_CTX1	    (PLIC_BASE + 0x201004UL)
#define PLIC_THRESHOLD_CTX1 (PLIC_BASE + 0x201000UL)

static char chunk[2][CHUNK];
static volatile unsigned long flood_end;
static volatile unsigned long flooded[2];
static volatile unsigned long reset_at; /* 0: no shutdown planned */
static int second_started;

static void dbcn(const char *s, unsigned long n)
{
	(void)sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, n, (unsigned long)s, 0, 0, 0, 0);
}

static void dbcn_str(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0')
		n++;
	dbcn(s, n);
}

static void forge(void)
{
	static char line[LONG_LINE + 1];
	unsigned long i;

	say("forge: start");
	/* CSI as a raw C1 byte and as UTF-8 U+009B: cursor up, erase line. */
	uart_puts("forge-c1-raw:\x9b"
		  "1A\x9b"
		  "2K[victim] tick 777777\n");
	dbcn_str("forge-c1-utf8:\xc2\x9b"
		 "1A\xc2\x9b"
		 "2K[victim] tick 666666\n");
	/* ESC sequences, CR back to the line start, BEL, DEL. */
	uart_puts("forge-esc:\x1b[1A\x1b[2K\r[victim] tick 555555\x07\x7f\n");
	/* Backspaces past the start of the line, to reach the tag. */
	uart_puts("bs:");
	for (i = 0; i < 40UL; i++)
		uart_putc('\b');
	uart_puts("[victim] tick 444444\n");
	/* Invalid UTF-8: overlong ESC, a lone continuation, a surrogate, a cut sequence. */
	dbcn_str("forge-utf8:\xe0\x80\x9b\x80\xed\xa0\x80\xe2\x82\n");
	/* One long line: it must stay one line, without a new tag inside. */
	for (i = 0; i < LONG_LINE; i++)
		line[i] = (char)('a' + (i % 26UL));
	line[LONG_LINE] = '\0';
	uart_puts("long:");
	uart_puts(line);
	uart_puts(":end\n");
	say("forge: done");
}

static void flood_hart(unsigned long slot)
{
	unsigned long i;

	for (i = 0; i < CHUNK - 1UL; i++)
		chunk[slot][i] = (char)('0' + slot);
	chunk[slot][CHUNK - 1UL] = '\n';
	while (rdtime() < flood_end) {
		dbcn(chunk[slot], CHUNK);
		flooded[slot] += CHUNK;
	}
}

/* The cell's second hart: its share of a flood, then the cell's last act. */
static void second_hart(void)
{
	flood_hart(1);
	while ((reset_at == 0UL) || (rdtime() < reset_at))
		;
	say("reset: start");
	(void)sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
			SBI_SRST_REASON_NONE, 0, 0, 0, 0);
	say("reset: returned");
}

static void start_second(void)
{
	if (!second_started) {
		second_started = 1;
		(void)start_second_hart(second_hart);
	}
}

static void flood(void)
{
	say("flood: start");
	flood_end = rdtime() + FLOOD_SECONDS * TIMEBASE_HZ;
	start_second();
	flood_hart(0);
	while (rdtime() < flood_end + TIMEBASE_HZ / 10UL)
		;
	/* The budget may have cut the last chunk before its newline. */
	uart_puts("\n");
	say("flood: done sent %u + %u bytes", flooded[0], flooded[1]);
}

static void spin_irq_off(void)
{
	unsigned long end = rdtime() + PHASE_SECONDS * TIMEBASE_HZ;

	say("irqoff: start");
	csr_clear(sstatus, SSTATUS_SIE);
	while (rdtime() < end)
		;
	say("irqoff: done");
}

static void hammer(void)
{
	unsigned long end = rdtime() + PHASE_SECONDS * TIMEBASE_HZ, n = 0;
	volatile unsigned int *claim = (volatile unsigned int *)PLIC_CLAIM_CTX1;
	volatile unsigned int *threshold = (volatile unsigned int *)PLIC_THRESHOLD_CTX1;
	volatile unsigned char *uart = (volatile unsigned char *)UART_BASE;

	say("hammer: start");
	while (rdtime() < end) {
		unsigned int c = *claim;
		if (c != 0U)
			*claim = c;
		*threshold = (unsigned int)(n & 7UL);
		(void)uart[UART_LSR];
		uart[UART_IER] = (unsigned char)(n & 1UL);
		n++;
	}
	*threshold = 0U;
	uart[UART_IER] = 0;
	say("hammer: done %u rounds", n);
}

static void suspend_loop(void)
{
	unsigned long end = rdtime() + PHASE_SECONDS * TIMEBASE_HZ, n = 0;

	say("suspend: start");
	/* A retentive suspend resumes on a pending interrupt the hart enabled
	 * (SBI 9.4): a timer 1 ms ahead, taken with sstatus.SIE off. */
	csr_clear(sstatus, SSTATUS_SIE);
	csr_set(sie, SIE_STIE);
	while (rdtime() < end) {
		(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, rdtime() + TIMEBASE_HZ / 1000UL,
				0, 0, 0, 0, 0);
		(void)sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND,
				SBI_HSM_SUSPEND_DEFAULT_RETENTIVE, 0, 0, 0, 0, 0);
		n++;
	}
	(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0, 0, 0, 0);
	csr_clear(sie, SIE_STIE);
	say("suspend: done %u calls", n);
}

void conattack_run(void)
{
	say("conattack: ready");
	for (;;) {
		int c = uart_getc_nowait();
		if (c == 'f')
			forge();
		else if (c == 'F')
			flood();
		else if (c == 'i')
			spin_irq_off();
		else if (c == 'h')
			hammer();
		else if (c == 's')
			suspend_loop();
		else if (c == 'x') {
			start_second();
			reset_at = rdtime() + 2UL * TIMEBASE_HZ;
			say("stop: start");
			(void)sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0, 0);
			say("stop: returned");
		}
	}
}
