/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One physical UART, many consoles: input (console_in.c). Typed bytes go to
 * the cell in focus; the CONFIG_CONSOLE_SWITCH_KEY followed by a cell digit
 * moves the focus, and the UART's receive interrupt moves with it to a hart
 * of that cell, so input typed to one cell costs no other cell an exit.
 * Output: console_out.h.
 */
#ifndef BULKHEAD_CONSOLE_IN_H
#define BULKHEAD_CONSOLE_IN_H

#include <stdint.h>
#include "bulkhead/rxq.h"

/* The cell's input queue (its vUART's receive FIFO). */
struct bh_rxq *bh_console_cell_input(uint32_t cell);
/* Next input byte queued for the cell, or -1. */
int bh_console_cell_getc(uint32_t cell);
/* Physical UART receive interrupt: routes typed bytes and returns a bit
 * (1 << cell) per cell that got input; the caller raises their interrupts. */
uint64_t bh_console_receive(void);
/* Points the receive interrupt at the first focus cell and readies the command
 * keys (boot hart, before any other hart runs). */
void bh_console_route_init(void);
/* The hart whose S-mode PLIC context takes the UART's receive interrupt now. */
uint32_t bh_console_rx_hart(void);

#endif
