/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An emulated NS16550 per cell: enough of the PC16550D for Linux's 8250
 * driver and for polled-transmit, interrupt-receive RTOS drivers. Transmit
 * completes instantly (THR always empty): the byte is handed back to the
 * caller to print; receive reads the input queue the caller hands in. Pure
 * logic over those two, so it is unit-tested on the host
 * (tests/unit-hyp/test_vuart.c).
 */
#ifndef BULKHEAD_VUART_H
#define BULKHEAD_VUART_H

#include <stdint.h>
#include "bulkhead/rxq.h"

#define VUART_SIZE  8U   /* byte registers, reg-shift 0 */
#define VUART_NO_TX (-1) /* vuart_write: nothing to transmit */

struct vuart {
    uint8_t ier;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t scr;
    uint8_t dll;
    uint8_t dlm;
    uint8_t fcr;
    uint8_t thre_pending; /* the "THR empty" interrupt is armed */
};

void vuart_reset(struct vuart *u);
/* A register read; reading RBR takes a byte from rx. */
uint32_t vuart_read(struct vuart *u, struct bh_rxq *rx, uint32_t offset);
/* A register write: returns the byte written to THR, to be transmitted, or VUART_NO_TX. */
int vuart_write(struct vuart *u, struct bh_rxq *rx, uint32_t offset, uint32_t value);
/* A write to offset 0 (THR, or DLL with DLAB set), as vuart_write does it.
 * Inline: the device-access fast path's one-byte transmit (mmio_vuart.c)
 * then makes no call of its own before the console's. */
#define VUART_THR      0U
#define VUART_LCR_DLAB 0x80U
static inline int vuart_write_thr(struct vuart *u, uint32_t value)
{
    uint8_t b = (uint8_t)value;
    int tx = VUART_NO_TX;

    if ((u->lcr & VUART_LCR_DLAB) != 0U) {
        u->dll = b;
    } else {
        tx = (int)b;
        u->thre_pending = 1U; /* transmitted at once: THR is empty again */
    }
    return tx;
}

/* IER bits (PC16550D table 2): received data available, THR empty. */
#define VUART_IER_ERBFI 0x01U
#define VUART_IER_ETBEI 0x02U

/* Level of the UART's interrupt output with rx as its receive FIFO. Inline:
 * every access computes it twice, and with interrupts off (polled
 * transmit) it is two loads and a test. */
static inline uint32_t vuart_irq_level(const struct vuart *u, struct bh_rxq *rx)
{
    uint32_t level = 0U;

    if (((u->ier & VUART_IER_ERBFI) != 0U) && (rxq_has_data(rx) != 0U)) {
        level = 1U;
    }
    if (((u->ier & VUART_IER_ETBEI) != 0U) && (u->thre_pending != 0U)) {
        level = 1U;
    }
    return level;
}

#endif
