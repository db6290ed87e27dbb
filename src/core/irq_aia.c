/* SPDX-License-Identifier: Apache-2.0 */
/* irq_aia.h on an AIA platform: one emulated APLIC domain per "aia" cell, under the cell lock. */
#include "bulkhead/irq_aia.h"
#include "bulkhead/cell.h"
#include "bulkhead/stat_counts.h"
#include "bulkhead/vaplic.h"

static struct vaplic vaplic_state[BH_NUM_CELLS];

void bh_irq_aia_reset_cell(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    struct bh_cell_state *cs = &bh_cell_state[cell];
    uint32_t files[BH_MAX_CELL_HARTS];

    if (c->vaplic_base == 0U) {
        return;
    }
    for (uint32_t v = 0; v < c->num_harts; v++) {
        files[v] = bh_harts[c->harts[v]].vgein;
    }
    bh_lock_acquire(&cs->lock);
    vaplic_init(&vaplic_state[cell], c->num_harts, c->harts, files, c->irqs, c->num_irqs);
    bh_lock_release(&cs->lock);
}

int bh_irq_aia_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value)
{
    struct bh_cell_state *cs = &bh_cell_state[h->cell];
    struct vaplic_result r;

    /* APLIC registers are 32-bit (AIA spec 4.5: "naturally aligned 32-bit" accesses). */
    if ((width != 4U) || ((offset % 4U) != 0U)) {
        return -1;
    }
    bh_stat_inc(&h->stats, BH_STAT_MMIO_VAPLIC);
    bh_lock_acquire(&cs->lock);
    if (is_store != 0U) {
        r = vaplic_write(&vaplic_state[h->cell], offset, (uint32_t)*value);
    } else {
        r = vaplic_read(&vaplic_state[h->cell], offset);
        *value = r.value;
    }
    bh_lock_release(&cs->lock);
    if (r.denied != 0U) {
        bh_stat_inc(&h->stats, BH_STAT_VAPLIC_DENIED);
    }
    return 0;
}
