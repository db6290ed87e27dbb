/* SPDX-License-Identifier: Apache-2.0 */
/* The console output unit test's UART (test_console_out.c): every byte is
 * recorded, and takes a while to go out, like a real one's. */
#ifndef BULKHEAD_NS16550_H
#define BULKHEAD_NS16550_H

void ns16550_init(void);
void ns16550_putc(char c);
static inline void ns16550_putc_inline(char c)
{
    ns16550_putc(c);
}

#endif
