/*
 * An emulated NS16550 per cell: enough of the PC16550D for Linux's 8250
 * driver and for polled-transmit, interrupt-receive RTOS drivers. Transmit
 * completes instantly (THR always empty); receive reads the cell's console
 * input queue.
 */
#ifndef BULKHEAD_VUART_H
#define BULKHEAD_VUART_H

#include <stdint.h>

#define VUART_SIZE 8U /* byte registers, reg-shift 0 */

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
uint32_t vuart_read(struct vuart *u, uint32_t cell, uint32_t offset);
void vuart_write(struct vuart *u, uint32_t cell, uint32_t offset, uint32_t value);
/* Level of the UART's interrupt output. */
uint32_t vuart_irq_level(const struct vuart *u, uint32_t cell);

/* Called by the console when bytes were queued for the cell. */
void bh_vuart_input_ready(uint32_t cell);

#endif
