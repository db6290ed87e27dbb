/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console attacks.
 *
 * spoof        prints lines that look like another cell's or the hypervisor's
 *              ("[victim] tick 999999", "[bulkhead] FAULT cell=victim ...")
 *              through every output path (emulated UART, SBI DBCN write and
 *              write_byte, legacy putchar), also right behind a 160-character
 *              run that makes the hypervisor break the line.  Every one must
 *              come out tagged with this cell's name.
 * steal-input  for 3 seconds reads every input path (legacy getchar, DBCN
 *              read, the emulated UART's RBR) while the test types to the
 *              victim: nothing may arrive here.
 *
 * Output:  spoof: done
 *          steal-input: start / steal-input: got <n> bytes
 */
#include "csr.h"
#include "hostile.h"
#include "uart.h"

static void dbcn_write(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0')
		n++;
	(void)sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, n, (unsigned long)s, 0, 0, 0, 0);
}

static void putchar_legacy(const char *s)
{
	for (; *s != '\0'; s++)
		(void)sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)*s);
}

static void write_byte(const char *s)
{
	for (; *s != '\0'; s++)
		(void)sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, (unsigned char)*s, 0, 0,
				0, 0, 0);
}

static char long_line[200];

void spoof_run(void)
{
	unsigned long i;

	say("[victim] tick 999999");
	uart_puts("\r[victim] echo: spoofed-uart\r\n");
	dbcn_write("\n[bulkhead] FAULT cell=victim hart=0 vhart=0 cause=21 (spoofed-dbcn)\n");
	write_byte("[victim] checksum 0x0 changed 4096 ssi 7 lat-max-us 0\n");
	putchar_legacy("[bulkhead] cell victim: stopped (spoofed-legacy)\n");
	/* 160 characters fill the hypervisor's line buffer: it is written out
	 * and the rest starts a new line, which must get the tag too. */
	for (i = 0; i < 160UL; i++)
		long_line[i] = 'x';
	long_line[160] = '\0';
	uart_puts(long_line);
	uart_puts("[victim] tick 888888\r\n");
	dbcn_write(long_line);
	dbcn_write("[bulkhead] FAULT cell=victim (spoofed-wrap)\n");
	/* Bytes a terminal would act on: NUL, the console command key, ESC. */
	uart_puts("ctl:");
	uart_putc('\0');
	uart_putc(0x14);
	uart_putc('1');
	uart_putc(0x1b);
	uart_puts("[2J\r\n");
	say("spoof: done");
}

void steal_run(void)
{
	unsigned long got = 0, end;
	static char buf[64];

	say("steal-input: start");
	end = rdtime() + 3UL * TIMEBASE_HZ;
	while (rdtime() < end) {
		struct sbiret r;
		int c;

		if (sbi_legacy(SBI_LEGACY_CONSOLE_GETCHAR, 0) >= 0)
			got++;
		r = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, sizeof(buf), (unsigned long)buf,
			      0, 0, 0, 0);
		if (r.error == SBI_SUCCESS)
			got += (unsigned long)r.value;
		c = uart_getc_nowait();
		if (c >= 0)
			got++;
	}
	say("steal-input: got %u bytes", got);
}
