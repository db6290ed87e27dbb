/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memory-map.txt: every range of the build for people: host RAM by owner
 * (with the free gaps), MMIO by owner, each cell's guest-physical view, and
 * a one-line picture of host RAM. All ranges are inclusive: first..last.
 */
#include <stdlib.h>
#include <string.h>

#include "cellmap.h"
#include "channel.h"
#include "emit.h"
#include "platform.h"
#include "util.h"

#define HEX(v)          ((unsigned long long)(v))
#define PICTURE_COLUMNS 64U

struct row {
    uint64_t base;
    uint64_t size;
    char mark; /* picture character */
    char *text;
};

struct rows {
    struct row *v;
    unsigned n;
};

static void add(struct rows *r, uint64_t base, uint64_t size, char mark, char *text)
{
    r->v = xrealloc(r->v, (r->n + 1U) * sizeof(*r->v));
    r->v[r->n++] = (struct row){base, size, mark, text};
}

static int by_base(const void *a, const void *b)
{
    const struct row *x = a;
    const struct row *y = b;
    if (x->base != y->base) {
        return (x->base < y->base) ? -1 : 1;
    }
    return (x->size > y->size) ? -1 : (x->size < y->size) ? 1 : 0; /* container first */
}

static void sort_rows(struct rows *r)
{
    if (r->n > 1U) { /* qsort needs a valid array even for zero elements */
        qsort(r->v, r->n, sizeof(*r->v), by_base);
    }
}

static void print_rows(struct sbuf *b, struct rows *r, const char *indent)
{
    sort_rows(r);
    for (unsigned i = 0; i < r->n; i++) {
        struct sbuf sz;
        sbuf_init(&sz);
        emit_size(&sz, r->v[i].size);
        sbuf_printf(b, "%s0x%010llx..0x%010llx  %-12s %s\n", indent, HEX(r->v[i].base),
                    HEX(last_byte(r->v[i].base, r->v[i].size)), sz.data, r->v[i].text);
        sbuf_free(&sz);
    }
}

static void free_rows(struct rows *r)
{
    for (unsigned i = 0; i < r->n; i++) {
        free(r->v[i].text);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

/* Top-level owners of host RAM; the hypervisor's inner layout separately. */
static void ram_rows(const struct emit_ctx *e, struct rows *r)
{
    const struct sys *s = e->s;
    const struct platform *p = e->p;

    add(r, p->firmware.base, p->firmware.size, 'F', xasprintf("firmware (%s)", p->firmware_path));
    add(r, s->hyp.base, s->hyp.size, 'H', xstrdup("hypervisor region (/hypervisor reg)"));
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        for (unsigned j = 0; j < c->num_regions; j++) {
            const struct region *g = &c->regions[j];
            add(r, g->host, g->size, (char)('0' + (i % 10U)),
                xasprintf("cell %u '%s' %s: guest 0x%llx..0x%llx %s", i, c->name, g->name, HEX(g->guest),
                          HEX(last_byte(g->guest, g->size)), emit_access(g->access)));
        }
    }
    for (unsigned i = 0; i < s->num_channels; i++) {
        const struct channel *ch = &s->channels[i];
        struct sbuf t;
        sbuf_init(&t);
        sbuf_printf(&t, "channel '%s', shared:", ch->name);
        for (unsigned m = 0; m < ch->num_members; m++) {
            sbuf_printf(&t, "%s cell %d '%s' %s", m == 0U ? "" : ",", ch->members[m].cell, ch->members[m].name,
                        emit_access(ch->members[m].access));
        }
        add(r, ch->host, ch->size, 'C', t.data);
    }
    /* free gaps, so that the table covers all of RAM */
    sort_rows(r);
    uint64_t at = p->ram.base;
    unsigned n = r->n;
    for (unsigned i = 0; i <= n; i++) {
        uint64_t next = (i < n) ? r->v[i].base : range_end(&p->ram);
        if (next > at) {
            add(r, at, next - at, '.', xstrdup("free"));
        }
        if (i < n && (r->v[i].base + r->v[i].size) > at) {
            at = (r->v[i].base + r->v[i].size);
        }
    }
}

static void hyp_rows(const struct emit_ctx *e, struct rows *r)
{
    const struct hyp_layout *l = e->l;
    const struct sys *s = e->s;

    add(r, l->code_base, l->code_size, 'H',
        xasprintf("code, data, %u hypervisor stack(s) of 0x%x bytes", l->num_stack_slots, e->k->hart_stack_size));
    add(r, l->gstage_base, l->gstage_size, 'H',
        xasprintf("G-stage tables, %zu pages (%u roots of 16 KiB)", e->t->num_pages, e->t->num_roots));
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        add(r, l->image_at[i], c->image_size, 'H', xasprintf("pristine image of '%s' (%s)", c->name, c->image));
        add(r, l->dtb_at[i], c->dtb_size, 'H', xasprintf("pristine DTB of '%s'", c->name));
    }
    if (s->hyp.base + s->hyp.size > l->end) {
        add(r, l->end, s->hyp.base + s->hyp.size - l->end, 'H', xstrdup("unused"));
    }
}

static const struct cell *dev_cell(const struct sys *s, int dev)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        for (unsigned d = 0; d < s->cells[i].num_devices; d++) {
            if (s->cells[i].dev_index[d] == dev) {
                return &s->cells[i];
            }
        }
    }
    return NULL;
}

static void mmio_rows(const struct emit_ctx *e, struct rows *r)
{
    const struct platform *p = e->p;

    for (unsigned m = 0; m < p->num_mmio; m++) {
        const struct plat_mmio *o = &p->mmio[m];
        int dev = o->dev;
        const struct cell *c = (dev >= 0) ? dev_cell(e->s, dev) : NULL;
        struct sbuf t;
        sbuf_init(&t);
        sbuf_printf(&t, "%-28s ", o->path);
        if (c != NULL) {
            sbuf_printf(&t, "cell %u '%s'", c->index, c->name);
        } else if (dev >= 0 && p->devs[dev].owner != NULL) {
            sbuf_printf(&t, "hypervisor: %s", p->devs[dev].owner);
        } else {
            sbuf_puts(&t, (dev >= 0) ? "unassigned" : "not passable (outside /soc)");
        }
        if (dev >= 0 && p->devs[dev].num_irqs > 0U) {
            sbuf_printf(&t, ", irq 0x%x", p->devs[dev].irqs[0]);
        }
        if (dev >= 0 && p->devs[dev].bus_master) {
            sbuf_puts(&t, ", bus master (DMA)");
        }
        add(r, o->r.base, o->r.size, 'M', t.data);
    }
}

/* An "aia" cell's interrupt files (mapped onto guest files) and its APLIC domain (emulated). */
static void aia_rows(const struct platform *p, const struct cell *c, struct rows *r)
{
    if (!cellmap_aia(c) || (c->vgein == NULL)) {
        return;
    }
    for (unsigned v = 0; v < c->num_harts; v++) {
        add(r, cellmap_imsic_guest(p, v), SZ_4K, 'F',
            xasprintf("IMSIC file of vhart %u rw- -> host 0x%llx, guest interrupt file %u of hart %u (hstatus.VGEIN)",
                      v, HEX(cellmap_imsic_host(p, c, v)), c->vgein[v], c->harts[v]));
    }
    add(r, p->aplic.base, CELLMAP_VAPLIC_SIZE, 'A',
        xasprintf("APLIC domain, MSI mode (emulated, traps), %u own source(s)", c->num_irqs));
}

static void cell_rows(const struct emit_ctx *e, const struct cell *c, struct rows *r)
{
    const struct platform *p = e->p;

    for (unsigned j = 0; j < c->num_regions; j++) {
        const struct region *g = &c->regions[j];
        add(r, g->guest, g->size, 'R',
            xasprintf("RAM %s %s -> host 0x%llx..0x%llx", g->name, emit_access(g->access), HEX(g->host),
                      HEX(last_byte(g->host, g->size))));
    }
    add(r, c->image_address, c->image_size, 'I', xasprintf("  image \"%s\" (entry 0x%llx)", c->image, HEX(c->entry)));
    add(r, c->dtb_address, c->dtb_size, 'D', xstrdup("  device tree (a1 at entry)"));
    add(r, cellmap_dev_pages(&p->plic).base, cellmap_dev_pages(&p->plic).size, 'P',
        xasprintf("virtual PLIC (emulated, traps), contexts 0..%u", 2U * c->num_harts - 1U));
    for (unsigned v = 0; cellmap_direct_irq(p, c) && (v < c->num_harts); v++) {
        uint64_t ctx = p->plic.base + PLIC_CONTEXT_BASE + ((2ULL * v) + 1ULL) * PLIC_CONTEXT_STRIDE;
        add(r, ctx, PLIC_CONTEXT_STRIDE, 'P',
            xasprintf("  context %u claim/complete: read-only -> host context %u (direct interrupts)", (2U * v) + 1U,
                      (2U * c->harts[v]) + 1U));
    }
    aia_rows(p, c, r);
    for (unsigned i = 0; i < e->s->num_channels; i++) {
        const struct channel *ch = &e->s->channels[i];
        int m = channel_member_of(ch, c->index);
        if (m >= 0) {
            add(r, ch->members[m].guest, ch->size, 'C',
                xasprintf("channel '%s' %s -> host 0x%llx..0x%llx, member %d, doorbell slot %u, irq %u", ch->name,
                          emit_access(ch->members[m].access), HEX(ch->host), HEX(last_byte(ch->host, ch->size)), m,
                          channel_slot(e->s, c->index, i), ch->members[m].irq));
        }
    }
    if (c->has_doorbell) {
        add(r, c->doorbell, SZ_4K, 'B',
            xasprintf("doorbell page (emulated, traps), %u slot(s) of 0x%x bytes", channel_slots_of(e->s, c->index),
                      DOORBELL_SLOT_SIZE));
    }
    if (c->console == CONSOLE_NS16550) {
        const struct plat_dev *u = &p->devs[p->uart_dev];
        struct range pg = cellmap_dev_pages(&u->regs[0]);
        add(r, pg.base, pg.size, 'U', xasprintf("NS16550 (emulated, traps), irq 0x%x", u->irqs[0]));
    }
    for (unsigned d = 0; d < c->num_devices; d++) {
        const struct plat_dev *dev = &p->devs[c->dev_index[d]];
        struct sbuf irqs;
        sbuf_init(&irqs);
        for (unsigned q = 0; q < dev->num_irqs; q++) {
            sbuf_printf(&irqs, "%s0x%x", q == 0U ? ", irq " : ",", dev->irqs[q]);
        }
        for (unsigned k = 0; k < dev->num_regs; k++) {
            struct range pg = cellmap_dev_pages(&dev->regs[k]);
            add(r, pg.base, pg.size, 'V',
                xasprintf("%s (passed through 1:1, rw-)%s%s", dev->name, irqs.data,
                          dev->bus_master ? ", bus master: can DMA anywhere (dma = \"unconfined\")" : ""));
        }
        sbuf_free(&irqs);
    }
    for (unsigned f = 0; f < c->num_pci; f++) {
        const struct pci_fn *fn = &c->pci[f];
        add(r, fn->window.base, fn->window.size, 'P',
            xasprintf("pci %02x:%02x.%x bar-window (BARs placed at boot, 1:1, rw-), INTA# irq 0x%x, DMA through "
                      "this map (IOMMU)",
                      fn->bus, fn->dev, fn->fn, fn->irq));
    }
}

/* Accepted DMA exposure first, where nobody reading the file can miss it. */
static void dma_warnings(struct sbuf *b, const struct emit_ctx *e)
{
    const struct sys *s = e->s;
    unsigned n = 0;

    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        for (unsigned d = 0; d < c->num_devices; d++) {
            const struct plat_dev *dev = &e->p->devs[c->dev_index[d]];
            if (dev->bus_master) { /* validated: only with dma = "unconfined" */
                sbuf_printf(b,
                            "WARNING: cell %u '%s': %s can DMA anywhere in physical memory, other cells, the "
                            "hypervisor and the firmware included (dma = \"unconfined\", no IOMMU)\n",
                            i, c->name, dev->name);
                n++;
            }
        }
    }
    if (n > 0U) {
        sbuf_puts(b, "\n");
    }
}

static void picture(struct sbuf *b, const struct emit_ctx *e, const struct rows *ram)
{
    const struct range *ramr = &e->p->ram;
    uint64_t step = ramr->size / PICTURE_COLUMNS;
    struct sbuf sz;

    sbuf_init(&sz);
    emit_size(&sz, step);
    sbuf_printf(
        b,
        "\nHost RAM at a glance (one character = %s; F firmware, H hypervisor, 0-9 cell index, C channel, . free):\n",
        sz.data);
    sbuf_printf(b, "  0x%llx |", HEX(ramr->base));
    for (unsigned col = 0; col < PICTURE_COLUMNS; col++) {
        uint64_t lo = ramr->base + col * step;
        char mark = '.';
        uint64_t best = 0;
        for (unsigned i = 0; i < ram->n; i++) { /* the owner of most of this column */
            const struct row *w = &ram->v[i];
            uint64_t a = (w->base > lo) ? w->base : lo;
            uint64_t end = w->base + w->size;
            uint64_t z = (end < lo + step) ? end : lo + step;
            if (z > a && z - a > best && w->mark != '.') {
                best = z - a;
                mark = w->mark;
            }
        }
        sbuf_add(b, &mark, 1U);
    }
    sbuf_printf(b, "| 0x%llx\n", HEX(range_end(ramr) - 1U));
    sbuf_free(&sz);
}

void emit_memmap(const struct emit_ctx *e, struct sbuf *b)
{
    const struct sys *s = e->s;
    struct rows r = {NULL, 0};
    struct rows ram = {NULL, 0};
    struct sbuf sz;

    sbuf_init(&sz);
    emit_size(&sz, e->p->ram.size);
    sbuf_printf(b, "Bulkhead memory map: system '%s' on platform %s\n", s->model, e->p->name);
    sbuf_printf(b, "Generated by bhconfig from %s. Ranges are first..last byte.\n\n", s->file);
    dma_warnings(b, e);
    sbuf_printf(b, "Host RAM 0x%llx..0x%llx (%s), by owner:\n", HEX(e->p->ram.base),
                HEX(last_byte(e->p->ram.base, e->p->ram.size)), sz.data);
    ram_rows(e, &ram);
    print_rows(b, &ram, "  ");
    sbuf_puts(b, "\nInside the hypervisor region (layout of src/arch/riscv/bulkhead.ld.in):\n");
    hyp_rows(e, &r);
    print_rows(b, &r, "  ");
    free_rows(&r);
    sbuf_puts(b, "\nPlatform MMIO, by owner:\n");
    mmio_rows(e, &r);
    print_rows(b, &r, "  ");
    free_rows(&r);
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        sbuf_printf(b, "\nCell %u '%s': harts", i, c->name);
        for (unsigned h = 0; h < c->num_harts; h++) {
            sbuf_printf(b, " %u(v%u)", c->harts[h], h);
        }
        sbuf_printf(b, ", console %s, fault policy %s, hgatp 0x%llx%s\n", c->console == CONSOLE_SBI ? "sbi" : "ns16550",
                    c->fault == FAULT_RESTART ? "restart" : "stop", HEX(c->hgatp),
                    (c->dma == DMA_UNCONFINED) ? ", dma unconfined" : "");
        sbuf_printf(b, "  G-stage leaves: %u x 1 GiB, %u x 2 MiB, %u x 4 KiB; guest-physical view:\n", e->stats[i].giga,
                    e->stats[i].mega, e->stats[i].pages);
        cell_rows(e, c, &r);
        print_rows(b, &r, "  ");
        free_rows(&r);
    }
    picture(b, e, &ram);
    free_rows(&ram);
    sbuf_free(&sz);
}
