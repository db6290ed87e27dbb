/* SPDX-License-Identifier: Apache-2.0 */
/* A guest's load or store to its virtual PLIC (PLIC spec v1.0.0), in trap or direct mode. */
#include "bulkhead/cell.h"
#include "bulkhead/console_in.h"
#include "bulkhead/doorbell.h"
#include "bulkhead/irq.h"
#include "bulkhead/irq_direct.h"
#include "bulkhead/mmio_devices.h"
#include "bulkhead/stat_counts.h"

/* Direct mode: the vPLIC emulates, the hardware follows (cs->lock held). */
static void vplic_direct_access(struct bh_hart *h, uint32_t offset, uint32_t is_store, uint32_t value,
                                struct vplic_result *r)
{
    struct vplic *v = &h->cell_state->vplic;

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
    const struct bh_cell_config *c = h->cell_config;
    struct bh_cell_state *cs = h->cell_state;

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

/* Any register, any mode: the vPLIC under the cell lock, then what the access caused.
 * Not inlined: its frame would be set up on the priority paths too. value
 * before is_store: the tail call to it then moves one register, not two,
 * and none is moved on the priority paths. */
static int vplic_access_locked(struct bh_hart *h, uint32_t offset, uint64_t *value, uint32_t is_store)
    __attribute__((noinline));
static int vplic_access_locked(struct bh_hart *h, uint32_t offset, uint64_t *value, uint32_t is_store)
{
    struct bh_cell_state *cs = h->cell_state;
    const struct bh_cell_config *c = h->cell_config;
    struct vplic_result r;

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

/* A priority write in trap mode: the vPLIC alone, no completion to forward.
 * Not inlined, for the same reason as vplic_access_locked. */
static int vplic_priority_write(struct bh_hart *h, uint32_t offset, uint32_t value) __attribute__((noinline));
static int vplic_priority_write(struct bh_hart *h, uint32_t offset, uint32_t value)
{
    struct bh_cell_state *cs = h->cell_state;

    bh_lock_acquire(&cs->lock);
    uint32_t done = vplic_write_priority(&cs->vplic, offset, value);
    bh_lock_release(&cs->lock);
    if ((done & VPLIC_PRIORITY_DENIED) != 0U) {
        bh_stat_inc(&h->stats, BH_STAT_VPLIC_DENIED);
    }
    /* A write of the value the register holds moves no line. */
    if ((done & VPLIC_PRIORITY_CHANGED) != 0U) {
        bh_irq_update_lines(h->cell);
    }
    return 0;
}

int bh_vplic_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value)
{
    /* PLIC registers are 32-bit wide (PLIC spec v1.0.0, "Memory Map"). */
    if (width != 4U) {
        return -1;
    }
    bh_stat_inc(&h->stats, BH_STAT_MMIO_VPLIC);
    /* Priorities, the registers a driver touches most after claim and
     * complete: a read, and a write of the value held, take no lock
     * (vplic.h); a write in direct mode also goes to the hardware, so it
     * takes the general way. */
    if ((offset < VPLIC_PENDING_BASE) && ((offset % 4U) == 0U)) {
        if (is_store == 0U) {
            *value = vplic_priority_of(&h->cell_state->vplic, offset);
            return 0;
        }
        if (h->cell_config->direct_irq == 0U) {
            /* The value it holds already: nothing to change, no lock. */
            if (vplic_priority_holds(&h->cell_state->vplic, offset, (uint32_t)*value) != 0U) {
                return 0;
            }
            return vplic_priority_write(h, offset, (uint32_t)*value);
        }
    }
    return vplic_access_locked(h, offset, value, is_store);
}
