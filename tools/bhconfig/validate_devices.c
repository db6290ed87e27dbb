/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Passed-through devices: each is a /soc node of the platform that the
 * hypervisor does not keep for itself, owned by one cell, whose MMIO pages
 * hold nothing else, and whose PLIC sources are valid and owned by that cell
 * only (the virtual PLIC shows a cell its own sources and nothing else).
 * Some hart must be able to take the console UART's interrupt: one in no
 * cell or one of a cell that does not claim its interrupts in hardware.
 */
#include <stdlib.h>
#include <string.h>

#include "cellmap.h"
#include "diag.h"
#include "emit.h"
#include "platform.h"
#include "util.h"
#include "validate.h"

/* The earlier cell (index < upto) that passes through device `dev`, or NULL. */
static const struct cell *dev_owner(const struct sys *s, unsigned upto, int dev)
{
    for (unsigned i = 0; i < upto; i++) {
        for (unsigned d = 0; d < s->cells[i].num_devices; d++) {
            if (s->cells[i].dev_index[d] == dev) {
                return &s->cells[i];
            }
        }
    }
    return NULL;
}

/* The earlier cell owning PLIC source `irq` through one of its devices, or NULL. */
static const struct cell *irq_owner(const struct sys *s, unsigned upto, uint32_t irq)
{
    for (unsigned i = 0; i < upto; i++) {
        for (unsigned q = 0; q < s->cells[i].num_irqs; q++) {
            if (s->cells[i].irqs[q] == irq) {
                return &s->cells[i];
            }
        }
    }
    return NULL;
}

/* Whether the cell lists platform device `dev` (resolved or not yet). */
static bool cell_lists_dev(const struct platform *p, const struct cell *c, int dev)
{
    for (unsigned d = 0; d < c->num_devices; d++) {
        if (strcmp(c->devices[d], p->devs[dev].name) == 0) {
            return true;
        }
    }
    return false;
}

/* G-stage maps whole 4 KiB pages: a page must not expose another device. */
static void check_pages(const struct sys *s, const struct platform *p, const struct cell *c, int dev)
{
    const struct plat_dev *d = &p->devs[dev];

    for (unsigned k = 0; k < d->num_regs; k++) {
        struct range pg = cellmap_dev_pages(&d->regs[k]);
        for (unsigned m = 0; m < p->num_mmio; m++) {
            const struct plat_mmio *o = &p->mmio[m];
            int other = o->dev;
            if (other == dev || (other >= 0 && cell_lists_dev(p, c, other)) ||
                !ranges_overlap(pg.base, pg.size, o->r.base, o->r.size)) {
                continue;
            }
            diag_cell(s, c, "devices", "\"%s\" pages 0x%llx..0x%llx also expose %s 0x%llx..0x%llx", d->name,
                      (unsigned long long)pg.base, (unsigned long long)last_byte(pg.base, pg.size), o->path,
                      (unsigned long long)o->r.base, (unsigned long long)last_byte(o->r.base, o->r.size));
        }
    }
}

static void add_irq(struct cell *c, uint32_t irq)
{
    unsigned pos = 0;
    while (pos < c->num_irqs && c->irqs[pos] < irq) {
        pos++;
    }
    if (pos < c->num_irqs && c->irqs[pos] == irq) {
        return; /* two devices of one cell on one line: one source */
    }
    c->irqs = xrealloc(c->irqs, (c->num_irqs + 1U) * sizeof(*c->irqs));
    memmove(&c->irqs[pos + 1U], &c->irqs[pos], (c->num_irqs - pos) * sizeof(*c->irqs));
    c->irqs[pos] = irq;
    c->num_irqs++;
}

static void check_irqs(const struct sys *s, const struct platform *p, struct cell *c, const struct plat_dev *d)
{
    uint32_t uart_irq = p->devs[p->uart_dev].irqs[0];

    if (d->irqs_foreign) {
        diag_cell(s, c, "devices", "\"%s\" has interrupts not delivered by the %s", d->name,
                  (p->irqchip == IRQCHIP_AIA) ? "APLIC" : "PLIC");
        return;
    }
    for (unsigned q = 0; q < d->num_irqs; q++) {
        uint32_t irq = d->irqs[q];
        const struct cell *owner = irq_owner(s, c->index, irq);
        if (irq == 0U || irq > p->plic_ndev) {
            diag_cell(s, c, "devices", "\"%s\" interrupt 0x%x is not a %s source (1..0x%x = %s)", d->name, irq,
                      (p->irqchip == IRQCHIP_AIA) ? "APLIC" : "PLIC", p->plic_ndev,
                      (p->irqchip == IRQCHIP_AIA) ? "riscv,num-sources" : "riscv,ndev");
        } else if (irq == uart_irq) {
            diag_cell(s, c, "devices", "\"%s\" interrupt 0x%x is the hypervisor's console UART interrupt", d->name,
                      irq);
        } else if (owner != NULL) {
            diag_cell(s, c, "devices", "\"%s\" interrupt 0x%x already belongs to cell '%s'", d->name, irq, owner->name);
        } else {
            add_irq(c, irq);
        }
    }
}

/*
 * Where an "aia" cell's guest sees its interrupt controllers: the platform's
 * own supervisor IMSIC and APLIC addresses, virtual hart v's interrupt file at
 * the IMSIC base + v * 4 KiB (one file per hart, no guest index bits: AIA spec
 * 3.6) and one APLIC domain of the platform's size.
 */
static void check_aia_windows(const struct sys *s, const struct platform *p, const struct cell *c)
{
    uint64_t imsic_size = (uint64_t)c->num_harts * SZ_4K;

    for (unsigned r = 0; r < c->num_regions; r++) {
        const struct region *g = &c->regions[r];
        if (g->parsed && ranges_overlap(g->guest, g->size, p->imsic.base, imsic_size)) {
            diag_cell(s, c, g->name,
                      "guest 0x%llx-0x%llx overlaps the cell's IMSIC interrupt files at 0x%llx-0x%llx "
                      "(interrupt-controller = \"aia\")",
                      (unsigned long long)g->guest, (unsigned long long)last_byte(g->guest, g->size),
                      (unsigned long long)p->imsic.base, (unsigned long long)last_byte(p->imsic.base, imsic_size));
        } else if (g->parsed && ranges_overlap(g->guest, g->size, p->aplic.base, CELLMAP_VAPLIC_SIZE)) {
            diag_cell(s, c, g->name,
                      "guest 0x%llx-0x%llx overlaps the cell's APLIC domain at 0x%llx-0x%llx "
                      "(interrupt-controller = \"aia\")",
                      (unsigned long long)g->guest, (unsigned long long)last_byte(g->guest, g->size),
                      (unsigned long long)p->aplic.base,
                      (unsigned long long)last_byte(p->aplic.base, CELLMAP_VAPLIC_SIZE));
        } else {
            /* clear of both windows */
        }
    }
}

/*
 * Each virtual hart of an "aia" cell gets the next free guest interrupt file
 * of its physical hart (hstatus.VGEIN, privileged spec 18.2.1; files 1 ..
 * 2^guest-index-bits - 1, AIA spec 3.6). files_used counts per platform hart
 * over all cells so far. One vCPU runs per hart, so this is file 1 today; the
 * count still refuses a hart whose files would run out.
 */
static void assign_guest_files(const struct sys *s, const struct platform *p, struct cell *c, unsigned *files_used)
{
    uint32_t files = (1U << p->imsic_guest_bits) - 1U;

    c->vgein = xcalloc(c->num_harts, sizeof(*c->vgein));
    for (unsigned v = 0; v < c->num_harts; v++) {
        int h = platform_find_hart(p, c->harts[v]);
        if (h < 0) {
            continue; /* reported by validate_harts */
        }
        if (files_used[h] >= files) {
            diag_cell(s, c, "harts",
                      "hart %u needs guest interrupt file %u; %s has %u per hart (riscv,guest-index-bits = %u)",
                      c->harts[v], files_used[h] + 1U, p->name, files, p->imsic_guest_bits);
            continue;
        }
        files_used[h]++;
        c->vgein[v] = files_used[h];
    }
}

/* interrupt-controller = "aia": guest interrupt files to give (an emulated UART's interrupt is an
 * emulated source of its APLIC domain, src/core/vaplic_vsource.c). */
static void check_irqchip(const struct sys *s, const struct platform *p, struct cell *c, unsigned *files_used)
{
    if (c->irqchip != CELL_IRQ_AIA) {
        return;
    }
    if (p->irqchip != IRQCHIP_AIA) {
        diag_cell(s, c, "interrupt-controller", "\"aia\" needs a platform with IMSICs; %s has a PLIC", p->name);
    } else if (p->imsic_guest_bits == 0U) {
        diag_cell(s, c, "interrupt-controller",
                  "\"aia\" needs IMSIC guest interrupt files; %s has none (riscv,guest-index-bits = 0)", p->name);
    } else {
        assign_guest_files(s, p, c, files_used);
        check_aia_windows(s, p, c);
    }
}

static void check_cell(struct sys *s, const struct platform *p, const struct kconf *k, struct cell *c,
                       unsigned *files_used)
{
    check_irqchip(s, p, c, files_used);
    if (c->num_devices > k->max_devices) {
        diag_cell(s, c, "devices", "%u devices exceed CONFIG_MAX_CELL_DEVICES (%u)", c->num_devices, k->max_devices);
    }
    for (unsigned d = 0; d < c->num_devices; d++) {
        int dev = platform_find_dev(p, c->devices[d]);
        bool dup = false;
        for (unsigned e = 0; e < d; e++) {
            dup = dup || (strcmp(c->devices[e], c->devices[d]) == 0);
        }
        const struct cell *owner = (dev >= 0) ? dev_owner(s, c->index, dev) : NULL;
        if (dev < 0) {
            diag_cell(s, c, "devices", "\"%s\" is not a device under /soc of platform %s", c->devices[d], p->name);
        } else if (dup) {
            diag_cell(s, c, "devices", "\"%s\" is listed twice", c->devices[d]);
        } else if (p->devs[dev].owner != NULL) {
            diag_cell(s, c, "devices", "\"%s\" stays with the hypervisor: %s", c->devices[d], p->devs[dev].owner);
        } else if (owner != NULL) {
            diag_cell(s, c, "devices", "\"%s\" already belongs to cell '%s'", c->devices[d], owner->name);
        } else {
            c->dev_index[d] = dev;
            check_pages(s, p, c, dev);
            check_irqs(s, p, c, &p->devs[dev]);
        }
    }
    if (c->num_irqs > k->max_irqs) {
        diag_cell(s, c, "devices", "%u interrupts exceed CONFIG_MAX_CELL_IRQS (%u)", c->num_irqs, k->max_irqs);
    }
}

void validate_devices(struct sys *s, const struct platform *p, const struct kconf *k)
{
    unsigned *files_used = xcalloc(p->num_harts + 1U, sizeof(*files_used)); /* guest files given, per hart */

    for (unsigned i = 0; i < s->num_cells; i++) {
        check_cell(s, p, k, &s->cells[i], files_used);
    }
    free(files_used);
    /* Only now are the cells' interrupts known, and with them which cells claim in hardware. */
    if ((s->num_cells > 0U) && (emit_console_hart(s, p) == ~0U)) {
        diag_at(s->file, "/cells", "console",
                "no hart can take the console UART interrupt: every cell claims its interrupts in hardware "
                "(console = \"sbi\" with devices) and every hart is in a cell; give one cell console = "
                "\"ns16550\" or leave a hart out of every cell");
    }
}
