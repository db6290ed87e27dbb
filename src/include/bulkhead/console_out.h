/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One physical UART, many consoles: the output sink (console_out.c). Every
 * cell's bytes go out as they come, tagged by source, filtered, within the
 * cell's output budget; lines of different sources never mix within a
 * physical line. Input and the console commands: console_in.h.
 */
#ifndef BULKHEAD_CONSOLE_OUT_H
#define BULKHEAD_CONSOLE_OUT_H

#include <stddef.h>
#include <stdint.h>

void bh_console_init(void);
/* Writes "[tag] text\r\n" as one whole physical line. */
void bh_console_write_line(const char *tag, const char *text, size_t len);
/* A cell's console output (vUART THR, SBI putchar, DBCN). */
void bh_console_cell_write(uint32_t cell, const uint8_t *bytes, size_t len);
void bh_console_cell_putc(uint32_t cell, char c);
/* One cell's output state, private to console_out.c. Each hart keeps its
 * cell's (struct bh_hart.console_output), so that a byte of the cell's
 * exits (vUART THR, SBI putchar, DBCN write_byte) does not index the
 * cells' outputs anew. */
struct bh_console_output;
struct bh_console_output *bh_console_output_of(uint32_t cell);
/* bh_console_cell_putc with o = bh_console_output_of(cell). */
void bh_console_output_putc(struct bh_console_output *o, uint32_t cell, char c);
/* Prints what the cell's output held back (its hold time ran out, or it stops). */
void bh_console_cell_flush(uint32_t cell);
/* The cell stops (or restarts): what it held goes out, the line it left open
 * ends, and its filter forgets a half-received sequence, so its next run
 * starts a line of its own ("[name] ", never a "[name]+ " continuation). */
void bh_console_cell_end_run(uint32_t cell);

#endif
