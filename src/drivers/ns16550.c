/* SPDX-License-Identifier: Apache-2.0 */
/* Register layout: PC16550D datasheet (the transmit side's in ns16550.h). */
#include "bulkhead/ns16550.h"

#define UART_RBR        0U
#define UART_IER        1U
#define UART_FCR        2U
#define UART_LSR        NS16550_LSR
#define UART_IER_ERBFI  0x01U
#define UART_FCR_ENABLE 0x01U
#define UART_LSR_DR     0x01U

static volatile uint8_t *const uart = (volatile uint8_t *)(uintptr_t)BH_UART_BASE;

void ns16550_init(void)
{
    /* OpenSBI already set the line parameters; enable the FIFO and receive interrupts. */
    uart[UART_FCR] = UART_FCR_ENABLE;
    uart[UART_IER] = UART_IER_ERBFI;
}

void ns16550_putc(char c)
{
    ns16550_putc_inline(c);
}

int ns16550_getc(void)
{
    if ((uart[UART_LSR] & UART_LSR_DR) == 0U) {
        return -1;
    }
    return (int)uart[UART_RBR];
}
