/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doorbells of the shared-memory channels (docs/shmem.md). The channels
 * themselves are plain G-stage mappings made at build time; only the
 * doorbell page traps. Rings go through the peer's vPLIC like any device
 * interrupt, so a guest handles them with its ordinary PLIC driver.
 *
 * Delivery: a doorbell line behaves like an edge-triggered source behind a
 * PLIC gateway that holds one request (PLIC spec v1.0.0, "Interrupt
 * Gateways"): a ring makes it pending; a ring while it is in service is
 * latched and becomes pending when the guest completes it; a ring that finds
 * it already pending or latched adds nothing and is counted as merged. In an
 * "aia" cell it is an emulated edge source of its APLIC domain instead
 * (irq_aia.h): a ring pends it, a ring that finds it pending merges, and
 * its MSI goes to the guest's interrupt file when it is enabled.
 */
#include "bulkhead/doorbell.h"

#include "bulkhead/cell.h"
#include "bulkhead/irq.h"
#include "bulkhead/irq_aia.h"
#include "bulkhead/stat_counts.h"

/* Bumped (atomically, by the stopping hart) on every stop or restart of a member. */
static uint32_t channel_generation[BH_CHANNEL_TABLE_SIZE];
/* Per cell, the doorbell lines with a ring held while the line is in service: under that cell's lock. */
static uint32_t latched[BH_NUM_CELLS][VPLIC_WORDS];

/* The latched bit of line `n` of cell `cell`: under that cell's lock. */
static void latch_set(uint32_t cell, uint32_t n)
{
    latched[cell][n / 32U] |= 1U << (n % 32U);
}

static uint32_t latch_test(uint32_t cell, uint32_t n)
{
    return (latched[cell][n / 32U] >> (n % 32U)) & 1U;
}

static void latch_clear(uint32_t cell, uint32_t n)
{
    latched[cell][n / 32U] &= ~(1U << (n % 32U));
}

static const struct bh_channel_member *slot_member(const struct bh_cell_config *c, uint32_t slot)
{
    const struct bh_doorbell_slot *s = &c->doorbells[slot];
    return &bh_channels[s->channel].members[s->member];
}

void bh_doorbell_reset_cell(uint32_t cell)
{
    for (uint32_t w = 0; w < VPLIC_WORDS; w++) {
        latched[cell][w] = 0U;
    }
}

uint32_t bh_doorbell_is_line(uint32_t cell, uint32_t source)
{
    const struct bh_cell_config *c = &bh_cells[cell];

    for (uint32_t i = 0; i < c->num_doorbells; i++) {
        if (slot_member(c, i)->irq == source) {
            return 1U;
        }
    }
    return 0U;
}

void bh_doorbell_completed(uint32_t cell, uint32_t source)
{
    struct bh_cell_state *cs = &bh_cell_state[cell];

    if ((source < VPLIC_MAX_SOURCES) && (latch_test(cell, source) != 0U)) {
        latch_clear(cell, source);
        vplic_raise(&cs->vplic, source);
    }
}

/* Raise member `member` of channel `chan`: 1 if the ring was merged into an undelivered one. */
static uint32_t ring(uint32_t chan, uint32_t member)
{
    const struct bh_channel_member *m = &bh_channels[chan].members[member];
    struct bh_cell_state *ps = &bh_cell_state[m->cell];
    uint32_t merged = 0U;

    bh_lock_acquire(&ps->lock);
    if (bh_cells[m->cell].vaplic_base != 0U) {
        merged = bh_irq_aia_ring(m->cell, m->irq);
        bh_lock_release(&ps->lock);
        return merged;
    }
    uint32_t st = vplic_source_state(&ps->vplic, m->irq);
    if (((st & VPLIC_SOURCE_PENDING) != 0U) || (latch_test(m->cell, m->irq) != 0U)) {
        merged = 1U;
    } else if ((st & VPLIC_SOURCE_ACTIVE) != 0U) {
        latch_set(m->cell, m->irq); /* delivered when the guest completes the one in service */
    } else {
        vplic_raise(&ps->vplic, m->irq);
    }
    bh_lock_release(&ps->lock);
    if ((merged == 0U) && ((st & VPLIC_SOURCE_ACTIVE) == 0U)) {
        /* Posts BH_MSG_VPLIC to the peer's hart whose line changes; no other hart is touched. */
        bh_irq_update_lines(m->cell);
    }
    return merged;
}

/* A store to slot `slot`: returns 1 if it was refused. */
static uint32_t slot_store(struct bh_hart *h, uint32_t slot, uint32_t reg, uint32_t value)
{
    const struct bh_cell_config *c = bh_hart_cell(h);

    if ((slot >= c->num_doorbells) || (reg != BH_DOORBELL_RING)) {
        return 1U; /* no such channel for this cell, or a read-only register */
    }
    const struct bh_doorbell_slot *s = &c->doorbells[slot];
    if ((value >= bh_channels[s->channel].num_members) || (value == s->member)) {
        return 1U; /* no member of that index, or itself */
    }
    if (ring(s->channel, value) != 0U) {
        bh_stat_inc(&h->stats, BH_STAT_DOORBELL_MERGED);
    }
    return 0U;
}

static uint32_t slot_load(const struct bh_hart *h, uint32_t slot, uint32_t reg)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    uint32_t v = 0U;

    if (slot < c->num_doorbells) {
        const struct bh_doorbell_slot *s = &c->doorbells[slot];
        if (reg == BH_DOORBELL_RING) {
            v = s->member;
        } else if (reg == BH_DOORBELL_GENERATION) {
            v = __atomic_load_n(&channel_generation[s->channel], __ATOMIC_ACQUIRE);
        } else if (reg == BH_DOORBELL_MEMBERS) {
            v = bh_channels[s->channel].num_members;
        } else {
            /* reserved: reads 0 */
        }
    }
    return v;
}

int bh_doorbell_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value)
{
    /* Registers are 32-bit, like the PLIC's: anything else is not emulated. */
    if ((width != 4U) || ((offset % 4U) != 0U)) {
        return -1;
    }
    bh_stat_inc(&h->stats, BH_STAT_MMIO_DOORBELL);
    uint32_t slot = offset / BH_DOORBELL_SLOT_SIZE;
    uint32_t reg = offset % BH_DOORBELL_SLOT_SIZE;
    if (is_store != 0U) {
        if (slot_store(h, slot, reg, (uint32_t)*value) != 0U) {
            bh_stat_inc(&h->stats, BH_STAT_DOORBELL_DENIED);
        }
    } else {
        *value = slot_load(h, slot, reg);
    }
    return 0;
}

void bh_doorbell_member_changed(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];

    for (uint32_t i = 0; i < c->num_doorbells; i++) {
        const struct bh_doorbell_slot *s = &c->doorbells[i];
        (void)__atomic_fetch_add(&channel_generation[s->channel], 1U, __ATOMIC_RELEASE);
        for (uint32_t m = 0; m < bh_channels[s->channel].num_members; m++) {
            if (m != s->member) {
                (void)ring(s->channel, m);
            }
        }
    }
}

uint32_t bh_doorbell_generation(uint32_t channel)
{
    return __atomic_load_n(&channel_generation[channel], __ATOMIC_ACQUIRE);
}
