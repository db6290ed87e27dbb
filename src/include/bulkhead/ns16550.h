/* SPDX-License-Identifier: Apache-2.0 */
/* The physical NS16550 the hypervisor owns (polled transmit, interrupt receive). */
#ifndef BULKHEAD_NS16550_H
#define BULKHEAD_NS16550_H

#include <stdint.h>

void ns16550_init(void);
void ns16550_putc(char c);
/* Returns the next received byte, or -1 when the receive FIFO is empty. */
int ns16550_getc(void);

#endif
