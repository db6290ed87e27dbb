/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Direct interrupt mode (bh_cells[].direct_irq), for cells whose interrupts
 * all come from passed-through devices. The config compiler mapped each
 * virtual hart's PLIC context page read-only onto its physical hart's
 * S-mode context, so the guest reads threshold and claims in hardware.
 * A device interrupt then costs two exits:
 *   1. the physical external interrupt: raise the guest's VSEIP and mask
 *      our own SEIE (the source stays pending until the guest claims it);
 *   2. the guest's complete write, which traps on the read-only page:
 *      complete in hardware, drop VSEIP, unmask SEIE.
 * Priority, enable and threshold writes are emulated by the vPLIC (which
 * refuses foreign sources and contexts) and mirrored into the hardware.
 */
#include "bulkhead/irq_direct.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/plic.h"

void bh_irq_direct_arrived(struct bh_hart *h)
{
    arch_enable_external_irq(0U);
    bh_hart_set_vseip(h, 1U);
    arch_set_guest_external_irq(1U);
}

void bh_irq_direct_done(struct bh_hart *h)
{
    bh_hart_set_vseip(h, 0U);
    arch_set_guest_external_irq(0U);
    arch_enable_external_irq(1U);
}

static uint32_t owned(const struct vplic *v, uint32_t src)
{
    return ((src != 0U) && (src < VPLIC_MAX_SOURCES) && (((v->owned[src / 32U] >> (src % 32U)) & 1U) != 0U)) ? 1U : 0U;
}

static void complete(struct bh_hart *h, uint32_t vhart, uint32_t src)
{
    uint32_t p = bh_cell_phys_hart(h->cell, vhart);

    /* vhart is below the vPLIC's hart count, which vplic_init set from the
     * cell's (cell.c), so p is one of the cell's harts. EVA does not relate
     * the two counts: the assertion is recorded (proof-alarms.md) and EVA
     * goes on with it. */
    /*@ assert p != BH_NO_CELL; */
    plic_complete(plic_s_context(p), src);
    if (p == h->hartid) {
        bh_irq_direct_done(h);
    } else {
        bh_hart_post(p, BH_MSG_VPLIC);
    }
}

void bh_irq_direct_mirror(struct bh_hart *h, uint32_t offset, uint32_t value, const struct vplic *v)
{
    if (offset < VPLIC_PENDING_BASE) {
        uint32_t src = offset / 4U;
        if (owned(v, src) != 0U) {
            plic_set_priority(src, v->priority[src]);
        }
        return;
    }
    if ((offset >= VPLIC_ENABLE_BASE) && (offset < VPLIC_CONTEXT_BASE)) {
        uint32_t ctx = (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE;
        uint32_t word = ((offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE) / 4U;
        if (((ctx % 2U) == 1U) && ((ctx / 2U) < v->num_harts) && (word < VPLIC_WORDS)) {
            /* The vPLIC already dropped foreign bits; the physical context is this cell's alone. */
            uint32_t pctx = plic_s_context(bh_cell_phys_hart(h->cell, ctx / 2U));
            plic_write_enable_word(pctx, word, v->enable[ctx / 2U][word]);
            /* QEMU's PLIC re-evaluates its outputs only on claim, complete or threshold
             * writes: rewrite the threshold so a source pending while disabled is signalled. */
            plic_set_threshold(pctx, v->threshold[ctx / 2U]);
        }
        return;
    }
    if (offset >= VPLIC_CONTEXT_BASE) {
        uint32_t ctx = (offset - VPLIC_CONTEXT_BASE) / VPLIC_CONTEXT_STRIDE;
        uint32_t reg = (offset - VPLIC_CONTEXT_BASE) % VPLIC_CONTEXT_STRIDE;
        if (((ctx % 2U) == 0U) || ((ctx / 2U) >= v->num_harts)) {
            return;
        }
        if (reg == 0U) {
            plic_set_threshold(plic_s_context(bh_cell_phys_hart(h->cell, ctx / 2U)), v->threshold[ctx / 2U]);
        } else if ((reg == 4U) && (owned(v, value) != 0U)) {
            complete(h, ctx / 2U, value);
        } else {
            /* reserved registers */
        }
    }
}

uint32_t bh_irq_direct_pending(const struct vplic *v, uint32_t word)
{
    return (word < VPLIC_WORDS) ? (plic_read_pending_word(word) & v->owned[word]) : 0U;
}
