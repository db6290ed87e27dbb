/*
 * One physical UART, many consoles.
 * Output (console_out.c): every cell's bytes go out as they come, tagged by
 * source, filtered, within the cell's output budget; lines of different
 * sources never mix within a physical line.
 * Input (console_in.c): typed bytes go to the cell in focus; the
 * CONFIG_CONSOLE_SWITCH_KEY followed by a cell digit moves the focus, and the
 * UART's receive interrupt moves with it to a hart of that cell, so input
 * typed to one cell costs no other cell an exit.
 */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include "bulkhead/rxq.h"

void bh_console_init(void);
/* Writes "[tag] text\r\n" as one whole physical line. */
void bh_console_write_line(const char *tag, const char *text, size_t len);
/* A cell's console output (vUART THR, SBI putchar, DBCN). */
void bh_console_cell_write(uint32_t cell, const uint8_t *bytes, size_t len);
void bh_console_cell_putc(uint32_t cell, char c);
/* Prints what the cell's output held back (its hold time ran out, or it stops). */
void bh_console_cell_flush(uint32_t cell);

/* The cell's input queue (its vUART's receive FIFO). */
struct bh_rxq *bh_console_cell_input(uint32_t cell);
/* Next input byte queued for the cell, or -1. */
int bh_console_cell_getc(uint32_t cell);
/* Physical UART receive interrupt: routes typed bytes and returns a bit
 * (1 << cell) per cell that got input; the caller raises their interrupts. */
uint32_t bh_console_receive(void);
/* Points the receive interrupt at the first focus cell (boot hart, before any other hart runs). */
void bh_console_route_init(void);
/* The hart whose S-mode PLIC context takes the UART's receive interrupt now. */
uint32_t bh_console_rx_hart(void);

#endif
