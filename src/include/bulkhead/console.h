/*
 * One physical UART, many consoles. Every line that reaches the UART is tagged
 * "[<cell>] " or "[bulkhead] " and written whole, so output of different cells
 * never interleaves within a line. Input goes to the cell in focus; the
 * CONFIG_CONSOLE_SWITCH_KEY followed by a cell digit moves the focus.
 */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void bh_console_init(void);
/* Writes "[tag] text\r\n" atomically with respect to every other line. */
void bh_console_write_line(const char *tag, const char *text, size_t len);
/* A cell's console output, one byte at a time (vUART THR, SBI putchar, DBCN). */
void bh_console_cell_putc(uint32_t cell, char c);
/* Next input byte queued for the cell, or -1. */
int bh_console_cell_getc(uint32_t cell);
int bh_console_cell_has_input(uint32_t cell);
/* Physical UART receive interrupt on the console hart: route typed bytes. */
void bh_console_receive(void);

#endif
