/* SPDX-License-Identifier: Apache-2.0 */
/* Cells at run time: their state and the translation of their guest addresses and virtual harts. */
#include "bulkhead/cell.h"

#include <stddef.h>

struct bh_cell_state bh_cell_state[BH_NUM_CELLS];

/* Region r holds the guest range [gpa, gpa + len) and grants every right of access. */
/*@ predicate region_holds(struct bh_region r, integer gpa, integer len, integer access) =
      r.guest_base <= gpa && len <= r.size && gpa - r.guest_base <= r.size - len &&
      (r.access & access) == access;
*/

/* The contract is proved by WP (`make prove`, docs/safety/proof.md; proves:
 * ISO-MEM-3): a pointer is returned only for a range [gpa, gpa + len) that
 * lies whole inside one region of the cell whose rights include every
 * right asked for, and it is that region's host address of gpa; a range no
 * such region holds gives NULL. */
/*@ requires cell < BH_NUM_CELLS;
    requires bh_cells[cell].num_regions <= BH_MAX_CELL_REGIONS;
    assigns \nothing;
    behavior inside_a_region:
      assumes \exists integer i; 0 <= i < bh_cells[cell].num_regions &&
        region_holds(bh_cells[cell].regions[i], gpa, len, access);
      ensures \exists integer i; 0 <= i < bh_cells[cell].num_regions &&
        region_holds(bh_cells[cell].regions[i], gpa, len, access) &&
        \result == (uint8_t *)(uint64_t)(bh_cells[cell].regions[i].host_base +
                                            (gpa - bh_cells[cell].regions[i].guest_base));
    behavior outside_every_region:
      assumes \forall integer i; 0 <= i < bh_cells[cell].num_regions ==>
        !region_holds(bh_cells[cell].regions[i], gpa, len, access);
      ensures \result == \null;
    complete behaviors;
    disjoint behaviors;
*/
uint8_t *bh_cell_guest_ptr(uint32_t cell, uint64_t gpa, uint64_t len, uint32_t access)
{
    const struct bh_cell_config *c = &bh_cells[cell];

    /*@ loop invariant 0 <= i <= c->num_regions;
        loop invariant \forall integer j; 0 <= j < i ==> !region_holds(c->regions[j], gpa, len, access);
        loop assigns i;
        loop variant c->num_regions - i;
    */
    for (uint32_t i = 0; i < c->num_regions; i++) {
        const struct bh_region *r = &c->regions[i];
        if ((gpa >= r->guest_base) && (len <= r->size) && ((gpa - r->guest_base) <= (r->size - len)) &&
            ((r->access & access) == access)) {
            return (uint8_t *)(uintptr_t)(r->host_base + (gpa - r->guest_base));
        }
    }
    return NULL;
}

/* The contract is proved by WP (`make prove`, docs/safety/proof.md; proves:
 * SBI-HART-1): a virtual hart id the cell has gives that virtual hart's
 * physical hart from the cell's own table, any other id BH_NO_CELL: a guest's
 * hart id never names a hart of another cell. */
/*@ requires cell < BH_NUM_CELLS;
    requires bh_cells[cell].num_harts <= BH_MAX_CELL_HARTS;
    assigns \nothing;
    behavior own_hart:
      assumes vhart < bh_cells[cell].num_harts;
      ensures \result == bh_cells[cell].harts[vhart];
    behavior foreign_hart:
      assumes vhart >= bh_cells[cell].num_harts;
      ensures \result == BH_NO_CELL;
    complete behaviors;
    disjoint behaviors;
*/
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
