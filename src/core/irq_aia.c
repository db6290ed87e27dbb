/* SPDX-License-Identifier: Apache-2.0 */
/* irq_aia.h on an AIA platform: one emulated APLIC domain per "aia" cell, under the cell lock. */
#include "bulkhead/irq_aia.h"
#include "bulkhead/cell.h"
#include "bulkhead/imsic.h"
#include "bulkhead/stat_counts.h"
#include "bulkhead/vaplic.h"

static struct vaplic vaplic_state[BH_NUM_CELLS];

/* The MSIs of the emulated sources that are due, written by the hypervisor as their devices would
 * (vaplic.h); after every write to the domain and every change of an emulated input. */
static void send_due_msis(struct vaplic *v)
{
    for (uint32_t i = 0; i < v->num_vsources; i++) {
        if (vaplic_vsource_take(v, i) != 0U) {
            uint32_t hart;
            uint32_t file;
            uint32_t eiid;
            vaplic_vsource_msi(v, i, &hart, &file, &eiid);
            imsic_send_guest(hart, file, eiid);
        }
    }
}

void bh_irq_aia_reset_cell(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    struct bh_cell_state *cs = &bh_cell_state[cell];
    uint32_t files[BH_MAX_CELL_HARTS];
    uint32_t emulated[1U + BH_MAX_CELL_CHANNELS];
    uint32_t num_emulated = 0U;

    if (c->vaplic_base == 0U) {
        return;
    }
    for (uint32_t v = 0; v < c->num_harts; v++) {
        files[v] = bh_harts[c->harts[v]].vgein;
    }
    bh_lock_acquire(&cs->lock);
    /* An emulated UART's interrupt and the channels' doorbells are sources of the domain that no
     * wire drives: the vUART and the peers' rings do. */
    if (c->console_base != 0U) {
        emulated[num_emulated] = c->console_irq;
        num_emulated++;
    }
    for (uint32_t i = 0; i < c->num_doorbells; i++) {
        emulated[num_emulated] = bh_channels[c->doorbells[i].channel].members[c->doorbells[i].member].irq;
        num_emulated++;
    }
    vaplic_init(&vaplic_state[cell], c->num_harts, c->harts, files, c->irqs, c->num_irqs, emulated, num_emulated);
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
    if (is_store != 0U) {
        send_due_msis(&vaplic_state[h->cell]);
    }
    bh_lock_release(&cs->lock);
    if (r.denied != 0U) {
        bh_stat_inc(&h->stats, BH_STAT_VAPLIC_DENIED);
    }
    return 0;
}

void bh_irq_aia_vuart_line(uint32_t cell, uint32_t level)
{
    struct vaplic *v = &vaplic_state[cell];
    int i = vaplic_vsource_index(v, bh_cells[cell].console_irq);

    if (i >= 0) {
        vaplic_vsource_line(v, (uint32_t)i, level);
        send_due_msis(v);
    }
}

uint32_t bh_irq_aia_ring(uint32_t cell, uint32_t source)
{
    struct vaplic *v = &vaplic_state[cell];
    int i = vaplic_vsource_index(v, source);
    uint32_t merged = 0U;

    if (i >= 0) {
        merged = vaplic_vsource_ring(v, (uint32_t)i);
        send_due_msis(v);
    }
    return merged;
}
