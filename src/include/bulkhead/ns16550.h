/* SPDX-License-Identifier: Apache-2.0 */
/* The physical NS16550 the hypervisor owns (polled transmit, interrupt receive). */
#ifndef BULKHEAD_NS16550_H
#define BULKHEAD_NS16550_H

#include <stdint.h>
#include "config.h"

/* Register layout: PC16550D datasheet; QEMU virt uses byte registers (reg-shift 0). */
#define NS16550_THR      0U
#define NS16550_LSR      5U
#define NS16550_LSR_THRE 0x20U

void ns16550_init(void);
void ns16550_putc(char c);
/* ns16550_putc inline, for the console's one-byte path (console_out.c,
 * putc_plain): with it that path calls nothing and saves no register. */
static inline void ns16550_putc_inline(char c)
{
    volatile uint8_t *const regs = (volatile uint8_t *)(uintptr_t)BH_UART_BASE;

    while ((regs[NS16550_LSR] & NS16550_LSR_THRE) == 0U) {
    }
    regs[NS16550_THR] = (uint8_t)c;
}
/* Returns the next received byte, or -1 when the receive FIFO is empty. */
int ns16550_getc(void);

#endif
