/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI functions passed through behind the IOMMU (docs/devices.md). Each rule
 * is one error line naming the cell, the pci@ node and the value:
 *  - the platform has an IOMMU and an ECAM host bridge;
 *  - the function is on the root bus (bus 0: its INTx lines are the bridge's
 *    interrupt-map, its requester ID one of the 64 device contexts of the
 *    hypervisor's one-level device directory, RISC-V IOMMU spec 1.0, 2.1);
 *  - no function is assigned twice;
 *  - bar-window is 4 KiB aligned, lies inside one memory window of the
 *    bridge, and overlaps no other function's window nor the cell's own
 *    guest-physical RAM or doorbell page (the window is mapped guest = host);
 *  - the function's INTA# line (interrupt-map) belongs to no other cell and
 *    is not the console's: INTx is level-triggered and shared by every
 *    function wired to it, so one line never serves two cells.
 */
#include "diag.h"
#include "platform.h"
#include "validate.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DDT_1LVL_CONTEXTS 64U /* 4 KiB of 64-byte extended device contexts */

static bool same_fn(const struct pci_fn *a, const struct pci_fn *b)
{
    return a->bus == b->bus && a->dev == b->dev && a->fn == b->fn;
}

/* The cell that already owns function f (cells before c, or c's earlier nodes), else NULL. */
static const struct cell *fn_owner(const struct sys *s, const struct cell *c, unsigned idx)
{
    for (unsigned i = 0; i <= c->index; i++) {
        const struct cell *o = &s->cells[i];
        unsigned upto = (i == c->index) ? idx : o->num_pci;
        for (unsigned f = 0; f < upto; f++) {
            if (o->pci[f].valid && same_fn(&o->pci[f], &c->pci[idx])) {
                return o;
            }
        }
    }
    return NULL;
}

static char *window_conflict(const struct sys *s, const struct cell *c, unsigned idx)
{
    const struct range *w = &c->pci[idx].window;

    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *o = &s->cells[i];
        for (unsigned f = 0; f < o->num_pci; f++) {
            if ((o != c || f != idx) && o->pci[f].valid &&
                ranges_overlap(w->base, w->size, o->pci[f].window.base, o->pci[f].window.size)) {
                return xasprintf("the bar-window of cell '%s' %s", o->name, o->pci[f].node);
            }
        }
    }
    for (unsigned r = 0; r < c->num_regions; r++) {
        const struct region *reg = &c->regions[r];
        if (reg->parsed && ranges_overlap(w->base, w->size, reg->guest, reg->size)) {
            return xasprintf("the cell's RAM %s at guest 0x%llx", reg->name, (unsigned long long)reg->guest);
        }
    }
    if (c->has_doorbell && ranges_overlap(w->base, w->size, c->doorbell, SZ_4K)) {
        return xasprintf("the cell's doorbell page");
    }
    return NULL;
}

static bool check_window(const struct sys *s, const struct platform *p, const struct cell *c, unsigned idx)
{
    const struct pci_fn *f = &c->pci[idx];
    const struct range *w = &f->window;
    char *where = xasprintf("%s/bar-window", f->node);
    bool inside = false;

    for (unsigned i = 0; i < p->num_pci_mem; i++) {
        inside = inside || range_inside(w->base, w->size, p->pci_mem[i].base, p->pci_mem[i].size);
    }
    char *conflict = inside ? window_conflict(s, c, idx) : NULL;
    if (w->size == 0U || (w->base % SZ_4K) != 0U || (w->size % SZ_4K) != 0U) {
        diag_cell(s, c, where, "0x%llx+0x%llx must be non-empty and 4 KiB aligned", (unsigned long long)w->base,
                  (unsigned long long)w->size);
    } else if (!inside) {
        diag_cell(s, c, where, "0x%llx-0x%llx is not inside one memory window of the PCI host bridge (ranges)",
                  (unsigned long long)w->base, (unsigned long long)last_byte(w->base, w->size));
    } else if (conflict != NULL) {
        diag_cell(s, c, where, "0x%llx-0x%llx overlaps %s", (unsigned long long)w->base,
                  (unsigned long long)last_byte(w->base, w->size), conflict);
    } else {
        free(where);
        return true;
    }
    free(conflict);
    free(where);
    return false;
}

static const struct cell *irq_owner(const struct sys *s, const struct cell *c, uint32_t irq)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        for (unsigned q = 0; &s->cells[i] != c && q < s->cells[i].num_irqs; q++) {
            if (s->cells[i].irqs[q] == irq) {
                return &s->cells[i];
            }
        }
    }
    return NULL;
}

static void add_irq(struct cell *c, uint32_t irq)
{
    unsigned pos = 0;
    while (pos < c->num_irqs && c->irqs[pos] < irq) {
        pos++;
    }
    if (pos < c->num_irqs && c->irqs[pos] == irq) {
        return; /* two functions of one cell on one line: one source */
    }
    c->irqs = xrealloc(c->irqs, (c->num_irqs + 1U) * sizeof(*c->irqs));
    memmove(&c->irqs[pos + 1U], &c->irqs[pos], (c->num_irqs - pos) * sizeof(*c->irqs));
    c->irqs[pos] = irq;
    c->num_irqs++;
}

static bool check_intx(const struct sys *s, const struct platform *p, struct cell *c, struct pci_fn *f)
{
    uint32_t irq = platform_pci_intx(p, f->bus, f->dev, f->fn, 1U);
    const struct cell *owner = (irq != 0U) ? irq_owner(s, c, irq) : NULL;

    if (irq == 0U) {
        diag_cell(s, c, f->node, "INTA# of device %u is not in the host bridge's interrupt-map", f->dev);
    } else if (irq == p->devs[p->uart_dev].irqs[0]) {
        diag_cell(s, c, f->node, "INTA# reaches source 0x%x, the hypervisor's console UART interrupt", irq);
    } else if (owner != NULL) {
        diag_cell(s, c, f->node,
                  "INTA# reaches source 0x%x, which cell '%s' already owns: an INTx line is shared by every "
                  "function wired to it and cannot serve two cells",
                  irq, owner->name);
    } else {
        f->irq = irq;
        add_irq(c, irq);
        return true;
    }
    return false;
}

static void check_fn(const struct sys *s, const struct platform *p, struct cell *c, unsigned idx)
{
    struct pci_fn *f = &c->pci[idx];
    const struct cell *owner = NULL;

    if (!f->valid) {
        return; /* its node name or window was already reported */
    }
    f->valid = false;
    if (!p->has_iommu) {
        diag_cell(s, c, f->node,
                  "platform %s has no IOMMU in front of a PCI host bridge: a PCI function's DMA "
                  "cannot be confined (use a platform such as qemu-virt-iommu)",
                  p->name);
    } else if (f->bus != 0U) {
        diag_cell(s, c, f->node, "bus 0x%x: only functions on the root bus 0 can be passed through", f->bus);
    } else if (pci_fn_rid(f) >= DDT_1LVL_CONTEXTS) {
        diag_cell(s, c, f->node,
                  "requester ID 0x%x is beyond the %u device contexts of the one-level device "
                  "directory (devices 0..7 of bus 0)",
                  pci_fn_rid(f), DDT_1LVL_CONTEXTS);
    } else if ((owner = fn_owner(s, c, idx)) != NULL) {
        if (owner == c) {
            diag_cell(s, c, f->node, "function %02x:%02x.%x is listed twice", f->bus, f->dev, f->fn);
        } else {
            diag_cell(s, c, f->node, "function %02x:%02x.%x already belongs to cell '%s'", f->bus, f->dev, f->fn,
                      owner->name);
        }
    } else if (check_window(s, p, c, idx) && check_intx(s, p, c, f)) {
        f->valid = true;
    } else {
        /* reported by the check that failed */
    }
}

void validate_pci(struct sys *s, const struct platform *p)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        struct cell *c = &s->cells[i];
        if (c->num_pci > PCI_MAX_CELL_FUNCTIONS) {
            diag_cell(s, c, "pci", "%u PCI functions, at most %u per cell", c->num_pci, PCI_MAX_CELL_FUNCTIONS);
            continue;
        }
        for (unsigned f = 0; f < c->num_pci; f++) {
            check_fn(s, p, c, f);
        }
    }
}
