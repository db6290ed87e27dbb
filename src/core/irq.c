/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupts that reach the hypervisor: the platform interrupt controller
 * (hostirq.h: the PLIC, or the APLIC and IMSICs), with device sources
 * routed to the hart of their cell's virtual hart 0 and the console UART to
 * the hart console_in.c names, and software interrupts carrying mailbox
 * messages.
 */
#include "bulkhead/irq.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/console_in.h"
#include "bulkhead/console_out.h"
#include "bulkhead/dma_fault.h"
#include "bulkhead/irq_aia.h"
#include "bulkhead/irq_direct.h"
#include "bulkhead/log.h"
#include "bulkhead/hostirq.h"
#include "bulkhead/stat_counts.h"

/* Owning cell of each physical source, filled from the tables at boot. */
static uint32_t source_cell[BH_PLIC_NDEV + 1U];

void bh_irq_init_platform(void)
{
    for (uint32_t s = 0; s <= BH_PLIC_NDEV; s++) {
        source_cell[s] = BH_NO_CELL;
    }
    hostirq_prepare_source(BH_UART_IRQ);
    if (BH_IOMMU_BASE != 0U) {
        hostirq_prepare_source(BH_IOMMU_IRQ);
    }
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        for (uint32_t i = 0; i < bh_cells[c].num_irqs; i++) {
            uint32_t src = bh_cells[c].irqs[i];
            source_cell[src] = c;
            if (bh_cells[c].vaplic_base == 0U) {
                hostirq_prepare_source(src);
            }
        }
        /* An "aia" cell's sources are its guest's to configure, through its emulated APLIC domain. */
        bh_irq_aia_reset_cell(c);
    }
}

void bh_irq_init_hart(const struct bh_hart *h)
{
    hostirq_forget_hart(h->hartid);
    if (h->hartid == bh_console_rx_hart()) {
        hostirq_enable(h->hartid, BH_UART_IRQ);
    }
    if ((BH_IOMMU_BASE != 0U) && (h->hartid == (uint32_t)BH_CONSOLE_HART)) {
        /* DMA faults: always the console hart (the UART's receive interrupt follows the input focus,
         * this one stays), never a direct-mode hart (bhconfig). */
        hostirq_enable(h->hartid, BH_IOMMU_IRQ);
    }
    /* Direct-mode cells program their enables themselves, through the vPLIC; "aia" cells
     * through their APLIC domain, for their guest interrupt files. */
    if ((h->cell == BH_NO_CELL) || (h->vhart != 0U) || (bh_hart_cell(h)->direct_irq != 0U) ||
        (bh_hart_cell(h)->vaplic_base != 0U)) {
        return;
    }
    /* A cell's devices interrupt the hart of its virtual hart 0; the vPLIC
     * then routes each to whichever virtual hart the guest enabled. */
    const struct bh_cell_config *c = bh_hart_cell(h);
    for (uint32_t i = 0; i < c->num_irqs; i++) {
        hostirq_enable(h->hartid, c->irqs[i]);
    }
}

/*
 * Puts the interrupt controller state of a restarting cell back to boot: every
 * source it owns completed for each of its harts (in service or not: the PLIC
 * ignores a completion of a source not in service, PLIC spec "Interrupt
 * Completion"; the APLIC pends it again only if it still requests), then
 * routing as at boot.
 */
void bh_irq_reset_cell(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];

    if (c->vaplic_base != 0U) {
        /* Its sources inactive again, and so out of its guest interrupt files, until its guest sets them up. */
        bh_irq_aia_reset_cell(cell);
        for (uint32_t v = 0; v < c->num_harts; v++) {
            bh_irq_init_hart(&bh_hart_state[c->harts[v]]);
        }
        return;
    }
    for (uint32_t v = 0; v < c->num_harts; v++) {
        for (uint32_t i = 0; i < c->num_irqs; i++) {
            hostirq_enable(c->harts[v], c->irqs[i]);
            hostirq_complete(c->harts[v], c->irqs[i]);
        }
        bh_irq_init_hart(&bh_hart_state[c->harts[v]]);
    }
}

/* Completes a device source on the platform controller once its guest completed it. */
void bh_irq_device_done(uint32_t cell, uint32_t source)
{
    hostirq_complete(bh_cells[cell].harts[0], source);
}

void bh_irq_vuart_line(uint32_t cell, uint32_t level)
{
    if (bh_cells[cell].vaplic_base != 0U) {
        bh_irq_aia_vuart_line(cell, level);
    } else if (level != 0U) {
        vplic_raise(&bh_cell_state[cell].vplic, bh_cells[cell].console_irq);
    } else {
        /* a vPLIC source is raised, never lowered: its claim checks the level again (mmio_vplic.c) */
    }
}

/* Re-drives the cell's vUART interrupt output; the cell lock is held. */
static void vuart_sync(uint32_t cell)
{
    struct bh_cell_state *cs = &bh_cell_state[cell];

    bh_irq_vuart_line(cell, vuart_irq_level(&cs->vuart, bh_console_cell_input(cell)));
}

/* Bytes were queued for the cell's console input: its vUART may interrupt. */
static void console_input_cell(uint32_t cell)
{
    struct bh_cell_state *cs = &bh_cell_state[cell];

    if (bh_cells[cell].console_base == 0U) {
        return;
    }
    bh_lock_acquire(&cs->lock);
    vuart_sync(cell);
    bh_lock_release(&cs->lock);
    bh_irq_update_lines(cell);
}

void bh_irq_wakeup(struct bh_hart *h)
{
    bh_stat_inc(&h->stats, BH_STAT_IRQ_TIMER);
    arch_set_wakeup(ARCH_NO_WAKEUP);
    bh_console_cell_flush(h->cell);
}

/* Typed bytes were queued for the cells in got_input (a bit each). */
static void console_input(uint64_t got_input)
{
    for (uint32_t cell = 0; cell < BH_NUM_CELLS; cell++) {
        if (((got_input >> cell) & 1ULL) != 0ULL) {
            console_input_cell(cell);
        }
    }
}

void bh_irq_external(struct bh_hart *h)
{
    bh_stat_inc(&h->stats, BH_STAT_IRQ_EXTERNAL);
    if ((h->cell != BH_NO_CELL) && (bh_hart_cell(h)->direct_irq != 0U)) {
        /* Never the console hart (bhconfig), so every source here is the cell's own. */
        bh_stat_inc(&h->stats, BH_STAT_DEVICE_IRQ);
        bh_irq_direct_arrived(h);
        return;
    }
    for (uint32_t src = hostirq_claim(h->hartid); src != 0U; src = hostirq_claim(h->hartid)) {
        if (src == BH_UART_IRQ) {
            console_input(bh_console_receive());
            hostirq_complete(h->hartid, src);
            continue;
        }
        if ((BH_IOMMU_BASE != 0U) && (src == BH_IOMMU_IRQ)) {
            bh_dma_fault_irq();
            hostirq_complete(h->hartid, src);
            continue;
        }
        uint32_t cell = (src <= BH_PLIC_NDEV) ? source_cell[src] : BH_NO_CELL;
        /* source_cell holds a cell index or BH_NO_CELL, the only value past the
         * last cell: the bound, not the one value, is what the index needs
         * (make prove: EVA carries the bound to bh_cell_state[cell]). */
        if (cell >= BH_NUM_CELLS) {
            bh_warn("hart %u: interrupt from unowned source %u ignored", (unsigned)h->hartid, (unsigned)src);
            continue; /* left uncompleted: it cannot fire again */
        }
        /* Completion is deferred until the guest completes it in its vPLIC,
         * so a level-triggered device cannot storm the hypervisor. */
        bh_stat_inc(&h->stats, BH_STAT_DEVICE_IRQ);
        struct bh_cell_state *cs = &bh_cell_state[cell];
        bh_lock_acquire(&cs->lock);
        vplic_raise(&cs->vplic, src);
        bh_lock_release(&cs->lock);
        bh_irq_update_lines(cell);
    }
}

static void update_own_line(struct bh_hart *h)
{
    struct bh_cell_state *cs = &bh_cell_state[h->cell];

    bh_lock_acquire(&cs->lock);
    uint32_t line = vplic_line(&cs->vplic, h->vhart);
    bh_lock_release(&cs->lock);
    bh_hart_set_vseip(h, line);
    arch_set_guest_external_irq(line);
}

void bh_irq_line_changed(struct bh_hart *h)
{
    if (bh_hart_cell(h)->direct_irq != 0U) {
        bh_irq_direct_done(h); /* another vhart completed our claim */
    } else {
        update_own_line(h);
    }
}

void bh_irq_update_lines(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    struct bh_cell_state *cs = &bh_cell_state[cell];
    struct bh_hart *self = arch_this_hart();

    /* In direct mode the lines follow the hardware, not the vPLIC's pending bits; an "aia"
     * cell's are its guest interrupt files. */
    if ((c->direct_irq != 0U) || (c->vaplic_base != 0U)) {
        return;
    }
    for (uint32_t v = 0; v < c->num_harts; v++) {
        uint32_t p = c->harts[v];
        bh_lock_acquire(&cs->lock);
        uint32_t line = vplic_line(&cs->vplic, v);
        bh_lock_release(&cs->lock);
        if (&bh_hart_state[p] == self) {
            bh_hart_set_vseip(self, line);
            arch_set_guest_external_irq(line);
        } else if ((line != bh_hart_vseip(p)) && (bh_hart_hsm_state(p) == HSM_STARTED)) {
            bh_hart_post(p, BH_MSG_VPLIC);
        } else {
            /* already in the right state, or not running a guest */
        }
    }
}
