/* SPDX-License-Identifier: Apache-2.0 */
/* A guest's load or store to its emulated NS16550: the console's cell side. */
#include "bulkhead/cell.h"
#include "bulkhead/console_in.h"
#include "bulkhead/console_out.h"
#include "bulkhead/irq.h"
#include "bulkhead/mmio_devices.h"
#include "bulkhead/stat_counts.h"

/* Any register: the vUART under the cell lock, then its interrupt output.
 * Not inlined: its frame would be set up on the THR fast way too. value
 * before is_store: the tail call to it then moves one register, not two. */
static int vuart_access_locked(struct bh_hart *h, uint32_t offset, uint64_t *value, uint32_t is_store)
    __attribute__((noinline));
static int vuart_access_locked(struct bh_hart *h, uint32_t offset, uint64_t *value, uint32_t is_store)
{
    struct bh_cell_state *cs = h->cell_state;
    struct bh_rxq *rx = bh_console_cell_input(h->cell);

    bh_lock_acquire(&cs->lock);
    uint32_t level_before = vuart_irq_level(&cs->vuart, rx);
    if (is_store != 0U) {
        int tx = vuart_write(&cs->vuart, rx, offset, (uint32_t)*value);
        if (tx != VUART_NO_TX) {
            bh_console_output_putc(h->console_output, h->cell, (char)tx);
        }
    } else {
        *value = vuart_read(&cs->vuart, rx, offset);
    }
    uint32_t level_after = vuart_irq_level(&cs->vuart, rx);
    bh_irq_vuart_line(h->cell, level_after);
    bh_lock_release(&cs->lock);
    /* Polled transmit (LSR read, THR write with interrupts off) leaves the line alone. */
    if ((level_before != 0U) || (level_after != 0U)) {
        bh_irq_update_lines(h->cell);
    }
    return 0;
}

/*
 * Any register; a THR write here. Polled transmit, a console driver's
 * byte, is a THR write with the UART's interrupts off (IER 0; Linux's 8250
 * console clears it while it prints): its interrupt level is 0 before and
 * after (vuart_irq_level), so the general way would change no line, and
 * the receive queue plays no part. That holds for an AIA cell too: the
 * access that cleared IER drove its emulated APLIC source low already
 * (bh_irq_vuart_line). With IER not 0 the general way takes it, nothing
 * having changed. The byte goes to the console under the cell lock, as on
 * the general way (bh_console_output_putc makes no call when it takes the
 * byte at once, so only cs and the return address are kept across it;
 * every other access tail-calls the general way without a frame).
 */
int bh_vuart_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value)
{
    (void)width; /* every register is a byte: an access of any width reaches it (PC16550D) */
    bh_stat_inc(&h->stats, BH_STAT_MMIO_VUART);
    if ((is_store == 0U) || (offset != VUART_THR)) {
        return vuart_access_locked(h, offset, value, is_store);
    }
    struct bh_cell_state *cs = h->cell_state;
    bh_lock_acquire(&cs->lock);
    if (cs->vuart.ier != 0U) {
        bh_lock_release(&cs->lock);
        return vuart_access_locked(h, VUART_THR, value, 1U);
    }
    int tx = vuart_write_thr(&cs->vuart, (uint32_t)*value);
    if (tx != VUART_NO_TX) {
        bh_console_output_putc(h->console_output, h->cell, (char)tx);
    }
    bh_lock_release(&cs->lock);
    return 0;
}
