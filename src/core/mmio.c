/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated devices of a cell: its virtual PLIC, its NS16550, its doorbell page and, for an
 * interrupt-controller = "aia" cell, the configuration registers of its APLIC domain. Everything
 * else a guest touches outside its G-stage map is a fault of that cell.
 */
#include "bulkhead/cell.h"
#include "bulkhead/console_in.h"
#include "bulkhead/console_out.h"
#include "bulkhead/doorbell.h"
#include "bulkhead/exits.h"
#include "bulkhead/irq.h"
#include "bulkhead/irq_aia.h"
#include "bulkhead/irq_direct.h"
#include "bulkhead/stat_counts.h"

/* Direct mode: the vPLIC emulates, the hardware follows (cs->lock held). */
static void vplic_direct_access(struct bh_hart *h, uint32_t offset, uint32_t is_store, uint32_t value,
                                struct vplic_result *r)
{
    struct vplic *v = &bh_cell_state[h->cell].vplic;

    if (is_store != 0U) {
        /* Also after a refused part: the vPLIC kept the cell's own bits of the write. */
        bh_irq_direct_mirror(h, offset, value, v);
    } else if ((offset >= VPLIC_PENDING_BASE) && (offset < VPLIC_ENABLE_BASE)) {
        r->value = bh_irq_direct_pending(v, (offset - VPLIC_PENDING_BASE) / 4U);
    } else {
        /* reads of other registers: the vPLIC's view is the hardware's */
    }
}

/* Trap mode: a source the guest completed goes back to its origin. */
static void vplic_trap_completed(struct bh_hart *h, uint32_t source)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    struct bh_cell_state *cs = &bh_cell_state[h->cell];

    if ((c->console_base != 0U) && (source == c->console_irq)) {
        /* A level-triggered UART still asserting is forwarded again (PLIC spec v1.0.0, "Interrupt Gateways"). */
        bh_lock_acquire(&cs->lock);
        if (vuart_irq_level(&cs->vuart, bh_console_cell_input(h->cell)) != 0U) {
            vplic_raise(&cs->vplic, source);
        }
        bh_lock_release(&cs->lock);
    } else if (bh_doorbell_is_line(h->cell, source) != 0U) {
        bh_lock_acquire(&cs->lock);
        bh_doorbell_completed(h->cell, source);
        bh_lock_release(&cs->lock);
    } else {
        bh_irq_device_done(h->cell, source);
    }
}

static int vplic_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value)
{
    struct bh_cell_state *cs = &bh_cell_state[h->cell];
    const struct bh_cell_config *c = bh_hart_cell(h);
    struct vplic_result r;

    /* PLIC registers are 32-bit wide (PLIC spec v1.0.0, "Memory Map"). */
    if (width != 4U) {
        return -1;
    }
    bh_stat_inc(&h->stats, BH_STAT_MMIO_VPLIC);
    bh_lock_acquire(&cs->lock);
    r = (is_store != 0U) ? vplic_write(&cs->vplic, offset, (uint32_t)*value) : vplic_read(&cs->vplic, offset);
    if (c->direct_irq != 0U) {
        vplic_direct_access(h, offset, is_store, (uint32_t)*value, &r);
    }
    bh_lock_release(&cs->lock);
    if (is_store == 0U) {
        *value = r.value;
    }
    if (r.denied != 0U) {
        bh_stat_inc(&h->stats, BH_STAT_VPLIC_DENIED);
    }
    if (c->direct_irq != 0U) {
        return 0;
    }
    if (r.completed != 0U) {
        vplic_trap_completed(h, r.completed);
    }
    /* Only what changed the vPLIC's state can change which interrupt a vhart
     * should see: a write of the value a register already holds moves no line. */
    if (r.changed != 0U) {
        bh_irq_update_lines(h->cell);
    }
    return 0;
}

static int vuart_access(struct bh_hart *h, uint32_t offset, uint32_t is_store, uint64_t *value)
{
    struct bh_cell_state *cs = &bh_cell_state[h->cell];
    struct bh_rxq *rx = bh_console_cell_input(h->cell);

    bh_stat_inc(&h->stats, BH_STAT_MMIO_VUART);
    bh_lock_acquire(&cs->lock);
    uint32_t level_before = vuart_irq_level(&cs->vuart, rx);
    if (is_store != 0U) {
        int tx = vuart_write(&cs->vuart, rx, offset, (uint32_t)*value);
        if (tx != VUART_NO_TX) {
            bh_console_cell_putc(h->cell, (char)tx);
        }
    } else {
        *value = vuart_read(&cs->vuart, rx, offset);
    }
    uint32_t level_after = vuart_irq_level(&cs->vuart, rx);
    if (level_after != 0U) {
        /* The vUART's interrupt output drives its source in the vPLIC. */
        vplic_raise(&cs->vplic, bh_hart_cell(h)->console_irq);
    }
    bh_lock_release(&cs->lock);
    /* Polled transmit (LSR read, THR write with interrupts off) leaves the line alone. */
    if ((level_before != 0U) || (level_after != 0U)) {
        bh_irq_update_lines(h->cell);
    }
    return 0;
}

/* A refused access (-1) changes nothing: the exit's fast path then leaves it to the general one. */
int bh_mmio_access(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
{
    const struct bh_cell_config *c = bh_hart_cell(h);

    if ((c->vaplic_base != 0U) && (gpa >= c->vaplic_base) && ((gpa - c->vaplic_base) < BH_VAPLIC_SIZE)) {
        return bh_irq_aia_access(h, (uint32_t)(gpa - c->vaplic_base), width, is_store, value);
    }
    if ((gpa >= c->vplic_base) && ((gpa - c->vplic_base) < BH_PLIC_SIZE)) {
        return vplic_access(h, (uint32_t)(gpa - c->vplic_base), width, is_store, value);
    }
    if ((c->console_base != 0U) && (gpa >= c->console_base) && ((gpa - c->console_base) < VUART_SIZE)) {
        return vuart_access(h, (uint32_t)(gpa - c->console_base), is_store, value);
    }
    if ((c->doorbell_base != 0U) && (gpa >= c->doorbell_base) && ((gpa - c->doorbell_base) < BH_DOORBELL_PAGE_SIZE)) {
        return bh_doorbell_access(h, (uint32_t)(gpa - c->doorbell_base), width, is_store, value);
    }
    return -1;
}
