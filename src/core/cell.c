/* SPDX-License-Identifier: Apache-2.0 */
/* Cells at run time: their state and the translation of their guest addresses and virtual harts. */
#include "bulkhead/cell.h"

#include <stddef.h>

struct bh_cell_state bh_cell_state[BH_NUM_CELLS];

uint8_t *bh_cell_guest_ptr(uint32_t cell, uint64_t gpa, uint64_t len, uint32_t access)
{
    const struct bh_cell_config *c = &bh_cells[cell];

    for (uint32_t i = 0; i < c->num_regions; i++) {
        const struct bh_region *r = &c->regions[i];
        if ((gpa >= r->guest_base) && (len <= r->size) && ((gpa - r->guest_base) <= (r->size - len)) &&
            ((r->access & access) == access)) {
            return (uint8_t *)(uintptr_t)(r->host_base + (gpa - r->guest_base));
        }
    }
    return NULL;
}

uint32_t bh_cell_phys_hart(uint32_t cell, uint64_t vhart)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    return (vhart < c->num_harts) ? c->harts[vhart] : BH_NO_CELL;
}

void bh_cell_init(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    struct bh_cell_state *cs = &bh_cell_state[cell];

    vplic_init(&cs->vplic, c->num_harts, c->irqs, c->num_irqs);
    if (c->console_base != 0U) {
        uint32_t irq = c->console_irq;
        /* The emulated UART's source is the cell's own in its vPLIC. */
        struct vplic *v = &cs->vplic;
        v->owned[irq / 32U] |= 1U << (irq % 32U);
    }
    /* Its doorbell lines are its own virtual sources too (bhconfig: free in the cell, 1..BH_PLIC_NDEV). */
    for (uint32_t i = 0; i < c->num_doorbells; i++) {
        const struct bh_doorbell_slot *s = &c->doorbells[i];
        uint32_t irq = bh_channels[s->channel].members[s->member].irq;
        cs->vplic.owned[irq / 32U] |= 1U << (irq % 32U);
    }
    vuart_reset(&cs->vuart);
    cs->state = BH_CELL_RUNNING;
}

const char *bh_cell_state_name(uint32_t cell)
{
    static const char *const names[] = {"running", "stopping", "stopped", "failed"};
    uint32_t state = bh_cell_state[cell].state;

    return (state < (sizeof(names) / sizeof(names[0]))) ? names[state] : "?";
}
