/* SPDX-License-Identifier: Apache-2.0 */
/* Formatting helpers (see print.h). */
#include "print.h"
#include "uart.h"

void pb_init(struct pbuf *pb)
{
	pb->len = 0;
}

void pb_char(struct pbuf *pb, char c)
{
	if (pb->len < PBUF_SIZE)
		pb->buf[pb->len++] = c;
}

void pb_str(struct pbuf *pb, const char *s)
{
	while (*s != '\0')
		pb_char(pb, *s++);
}

void pb_udec(struct pbuf *pb, unsigned long v)
{
	char tmp[20]; /* 2^64 - 1 has 20 decimal digits */
	int n = 0;

	do {
		tmp[n++] = (char)('0' + (v % 10U));
		v /= 10U;
	} while (v != 0U);
	while (n > 0)
		pb_char(pb, tmp[--n]);
}

void pb_dec(struct pbuf *pb, long v)
{
	if (v < 0) {
		pb_char(pb, '-');
		/* -(v + 1) + 1 avoids overflow for LONG_MIN */
		pb_udec(pb, (unsigned long)(-(v + 1)) + 1U);
	} else {
		pb_udec(pb, (unsigned long)v);
	}
}

void pb_hex(struct pbuf *pb, unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	pb_str(pb, "0x");
	while (shift > 0 && ((v >> shift) & 0xfU) == 0U)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		pb_char(pb, digits[(v >> shift) & 0xfU]);
}

void print_str(const char *s)
{
	uart_puts(s);
}

void print_dec(long v)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_dec(&pb, v);
	uart_write(pb.buf, pb.len);
}

void print_hex(unsigned long v)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_hex(&pb, v);
	uart_write(pb.buf, pb.len);
}
