/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console output through SBI: DBCN console_write (SBI v2.0 ch. 12.1) if
 * the implementation has it, else legacy console_putchar (ch. 5.2).  The
 * MMU is off, so a buffer's address is its guest-physical address.
 */
#include "irqtest.h"

static int have_dbcn;

void out_init(void)
{
	struct sbiret r =
		sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_DBCN, 0, 0, 0, 0, 0);

	have_dbcn = r.error == SBI_SUCCESS && r.value != 0;
}

static void write_bytes(const char *s, unsigned long len)
{
	unsigned long done = 0;
	unsigned int tries = 0;

	while (have_dbcn && done < len && tries++ < 64U) {
		struct sbiret r = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, len - done,
					    (unsigned long)(s + done), 0, 0, 0, 0);

		if (r.error != SBI_SUCCESS)
			break;
		done += (unsigned long)r.value;
	}
	for (; done < len; done++)
		(void)sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)s[done]);
}

void out(const struct pbuf *pb)
{
	struct pbuf line = *pb;

	/* Room for CR LF even in a full buffer: the line is cut short. */
	if (line.len > PBUF_SIZE - 2U)
		line.len = PBUF_SIZE - 2U;
	pb_str(&line, "\r\n");
	write_bytes(line.buf, line.len);
}

void say(const char *s)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_str(&pb, s);
	out(&pb);
}

void pb_sbierr(struct pbuf *pb, long err)
{
	pb_str(pb, sbi_err_name(err));
}
