/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tiny formatting helpers: a fixed line buffer that is filled with
 * strings, decimals and hex numbers and then written in one piece, so a
 * line can be emitted under a lock (probe: two harts print), plus
 * direct-to-UART shorthands.  Overlong lines are truncated, never overrun.
 */
#ifndef CELLS_PRINT_H
#define CELLS_PRINT_H

#define PBUF_SIZE 200

struct pbuf {
	unsigned long len;
	char buf[PBUF_SIZE];
};

void pb_init(struct pbuf *pb);
void pb_char(struct pbuf *pb, char c);
void pb_str(struct pbuf *pb, const char *s);
void pb_udec(struct pbuf *pb, unsigned long v);
void pb_dec(struct pbuf *pb, long v);
void pb_hex(struct pbuf *pb, unsigned long v); /* "0x" + minimal digits */

/* Direct polled output on the NS16550. */
void print_str(const char *s);
void print_dec(long v);
void print_hex(unsigned long v);

#endif
