/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen/cells.c: bh_cells[] and bh_harts[], exactly the structs of
 * src/include/bulkhead/cell_config.h. Designated initializers, so a field
 * added to the contract without a generator change is zero, not shifted.
 */
#include "cellmap.h"
#include "channel.h"
#include "emit.h"
#include "platform.h"

#define HEX(v) ((unsigned long long)(v))

static void access_expr(struct sbuf *b, uint32_t a)
{
    const char *sep = "";
    static const struct {
        uint32_t bit;
        const char *name;
    } bits[] = {{BH_ACCESS_R, "BH_ACCESS_R"}, {BH_ACCESS_W, "BH_ACCESS_W"}, {BH_ACCESS_X, "BH_ACCESS_X"}};
    for (size_t i = 0; i < 3U; i++) {
        if ((a & bits[i].bit) != 0U) {
            sbuf_printf(b, "%s%s", sep, bits[i].name);
            sep = " | ";
        }
    }
}

static void emit_regions(struct sbuf *b, const struct cell *c)
{
    sbuf_printf(b, "        .num_regions = %uU,\n", c->num_regions);
    if (c->num_regions > 0U) {
        sbuf_puts(b, "        .regions = {\n");
        for (unsigned r = 0; r < c->num_regions; r++) {
            const struct region *g = &c->regions[r];
            sbuf_printf(b,
                        "            [%u] = { .guest_base = 0x%llxULL, .host_base = 0x%llxULL, .size = 0x%llxULL, "
                        ".access = ",
                        r, HEX(g->guest), HEX(g->host), HEX(g->size));
            access_expr(b, g->access);
            sbuf_printf(b, " }, /* %s */\n", g->name);
        }
        sbuf_puts(b, "        },\n");
    }
}

static void emit_devices(struct sbuf *b, const struct emit_ctx *e, const struct cell *c)
{
    unsigned n = 0;
    struct sbuf list;

    sbuf_init(&list);
    for (unsigned d = 0; d < c->num_devices; d++) {
        const struct plat_dev *dev = &e->p->devs[c->dev_index[d]];
        for (unsigned k = 0; k < dev->num_regs; k++) {
            struct range pg = cellmap_dev_pages(&dev->regs[k]); /* what the G-stage maps */
            sbuf_printf(&list, "            [%u] = { .base = 0x%llxULL, .size = 0x%llxULL }, /* %s */\n", n,
                        HEX(pg.base), HEX(pg.size), dev->name);
            n++;
        }
    }
    sbuf_printf(b, "        .num_devices = %uU,\n", n);
    if (n > 0U) {
        sbuf_printf(b, "        .devices = {\n%s        },\n", list.data);
    }
    sbuf_free(&list);
    sbuf_printf(b, "        .num_irqs = %uU,\n", c->num_irqs);
    if (c->num_irqs > 0U) {
        sbuf_puts(b, "        .irqs = {");
        for (unsigned q = 0; q < c->num_irqs; q++) {
            sbuf_printf(b, "%s[%u] = %uU", q == 0U ? " " : ", ", q, c->irqs[q]);
        }
        sbuf_puts(b, " },\n");
    }
}

static void emit_doorbells(struct sbuf *b, const struct emit_ctx *e, const struct cell *c)
{
    const struct sys *s = e->s;
    unsigned n = channel_slots_of(s, c->index);

    sbuf_printf(b, "        .doorbell_base = 0x%llxULL,%s\n", HEX(c->has_doorbell ? c->doorbell : 0U),
                c->has_doorbell ? " /* doorbell page (emulated, traps) */" : "");
    sbuf_printf(b, "        .num_doorbells = %uU,\n", n);
    if (n == 0U) {
        return;
    }
    sbuf_puts(b, "        .doorbells = {\n");
    for (unsigned i = 0; i < s->num_channels; i++) {
        int m = channel_member_of(&s->channels[i], c->index);
        if (m >= 0) {
            sbuf_printf(b, "            [%u] = { .channel = %uU, .member = %uU }, /* %s */\n",
                        channel_slot(s, c->index, i), i, (unsigned)m, s->channels[i].name);
        }
    }
    sbuf_puts(b, "        },\n");
}

static void emit_channels(struct sbuf *b, const struct sys *s)
{
    sbuf_puts(b, "\nconst struct bh_channel bh_channels[BH_CHANNEL_TABLE_SIZE] = {\n");
    if (s->num_channels == 0U) {
        sbuf_puts(b, "    [0] = { .name = \"\", .num_members = 0U }, /* no channel: BH_NUM_CHANNELS is 0 */\n");
    }
    for (unsigned i = 0; i < s->num_channels; i++) {
        const struct channel *ch = &s->channels[i];
        sbuf_printf(b, "    [%u] = {\n        .name = ", i);
        emit_c_string(b, ch->name);
        sbuf_printf(b, ",\n        .host_base = 0x%llxULL,\n        .size = 0x%llxULL,\n", HEX(ch->host),
                    HEX(ch->size));
        sbuf_printf(b, "        .num_members = %uU,\n        .members = {\n", ch->num_members);
        for (unsigned m = 0; m < ch->num_members; m++) {
            const struct chan_member *mb = &ch->members[m];
            sbuf_printf(b, "            [%u] = { .cell = %uU, .irq = %uU, .guest_base = 0x%llxULL, .access = ", m,
                        (unsigned)mb->cell, mb->irq, HEX(mb->guest));
            access_expr(b, mb->access);
            sbuf_printf(b, " }, /* %s */\n", mb->name);
        }
        sbuf_puts(b, "        },\n    },\n");
    }
    sbuf_puts(b, "};\n");
}

static void emit_pci(struct sbuf *b, const struct platform *p, const struct cell *c)
{
    bool any = (c->num_pci > 0U);
    sbuf_printf(b, "        .ecam_base = 0x%llxULL,\n        .ecam_size = 0x%llxULL,%s\n", HEX(any ? p->ecam.base : 0U),
                HEX(any ? p->ecam.size : 0U), any ? " /* filtered: its own functions only */" : "");
    sbuf_printf(b, "        .num_pci = %uU,\n", c->num_pci);
    if (c->num_pci == 0U) {
        return;
    }
    sbuf_puts(b, "        .pci = {\n");
    for (unsigned f = 0; f < c->num_pci; f++) {
        const struct pci_fn *fn = &c->pci[f];
        sbuf_printf(b,
                    "            [%u] = { .rid = 0x%xU, .irq = %uU, .window_base = 0x%llxULL, .window_size = "
                    "0x%llxULL }, /* %02x:%02x.%x */\n",
                    f, pci_fn_rid(fn), fn->irq, HEX(fn->window.base), HEX(fn->window.size), fn->bus, fn->dev, fn->fn);
    }
    sbuf_puts(b, "        },\n");
}

/*
 * The IOMMU device contexts (RISC-V IOMMU spec 1.0, 2.1.3): one per PCI
 * function, in requester-ID order of the cells. tc.V only (no ATS, no PRI,
 * no process directory, A/D never updated: the G-stage leaves come with A
 * and D set); iohgatp is the cell's own hgatp (same Sv39x4 mode encoding,
 * GSCID = the cell's VMID, the same root); fsc Bare (no first stage); the
 * MSI page table off, so an MSI is an ordinary write through the G-stage.
 */
static void emit_iommu_contexts(struct sbuf *b, const struct sys *s)
{
    unsigned n = 0;

    sbuf_puts(b, "\nconst struct bh_iommu_context bh_iommu_contexts[BH_IOMMU_CONTEXT_TABLE_SIZE] = {\n");
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        for (unsigned f = 0; f < c->num_pci; f++) {
            sbuf_printf(
                b,
                "    [%u] = { .device_id = 0x%xU, .cell = %uU, .tc = 0x1ULL, .iohgatp = 0x%llxULL, .ta = 0x0ULL, "
                ".fsc = 0x0ULL }, /* %s %s */\n",
                n, pci_fn_rid(&c->pci[f]), i, HEX(c->hgatp), c->name, c->pci[f].node);
            n++;
        }
    }
    if (n == 0U) {
        sbuf_puts(b, "    [0] = { .device_id = 0U, .cell = BH_NO_CELL, .tc = 0x0ULL, .iohgatp = 0x0ULL, .ta = 0x0ULL, "
                     ".fsc = 0x0ULL }, /* none: never read */\n");
    }
    sbuf_puts(b, "};\n");
}

static void emit_cell(struct sbuf *b, const struct emit_ctx *e, const struct cell *c)
{
    const struct platform *p = e->p;
    const struct plat_dev *uart = &p->devs[p->uart_dev];
    bool ns = (c->console == CONSOLE_NS16550);

    sbuf_printf(b, "    [%u] = {\n        .name = ", c->index);
    emit_c_string(b, c->name);
    sbuf_printf(b, ",\n        .num_harts = %uU,\n        .harts = {", c->num_harts);
    for (unsigned h = 0; h < c->num_harts; h++) {
        sbuf_printf(b, "%s[%u] = %uU", h == 0U ? " " : ", ", h, c->harts[h]);
    }
    sbuf_puts(b, " }, /* physical hart of virtual hart 0, 1, ... */\n");
    emit_regions(b, c);
    emit_devices(b, e, c);
    sbuf_printf(b, "        .entry = 0x%llxULL,\n", HEX(c->entry));
    sbuf_printf(b, "        .image_guest = 0x%llxULL,\n", HEX(c->image_address));
    sbuf_printf(b, "        .image = bh_image_%s,\n", c->ident);
    sbuf_printf(b, "        .image_size = 0x%llxULL,\n", HEX(c->image_size));
    sbuf_printf(b, "        .dtb_guest = 0x%llxULL,\n", HEX(c->dtb_address));
    sbuf_printf(b, "        .dtb = bh_dtb_%s,\n", c->ident);
    sbuf_printf(b, "        .dtb_size = 0x%llxULL,\n", HEX(c->dtb_size));
    sbuf_printf(b, "        .hgatp = 0x%llxULL, /* Sv39x4, VMID %u, root 0x%llx */\n", HEX(c->hgatp), c->index + 1U,
                HEX(c->root_pa));
    sbuf_printf(b, "        .console_base = 0x%llxULL,%s\n", HEX(ns ? uart->regs[0].base : 0U),
                ns ? " /* emulated NS16550 */" : " /* SBI console only */");
    sbuf_printf(b, "        .console_irq = %uU,\n", ns ? uart->irqs[0] : 0U);
    sbuf_printf(b, "        .vplic_base = 0x%llxULL,\n", HEX(p->plic.base));
    sbuf_printf(b, "        .direct_irq = %uU, /* claim/complete pages mapped onto physical contexts */\n",
                cellmap_direct_irq(p, c) ? 1U : 0U);
    sbuf_printf(b, "        .vaplic_base = 0x%llxULL,%s\n", HEX(cellmap_aia(c) ? p->aplic.base : 0U),
                cellmap_aia(c) ? " /* interrupt-controller = \"aia\": emulated APLIC domain (traps) */" : "");
    sbuf_printf(b, "        .fault_policy = %s,\n", c->fault == FAULT_RESTART ? "BH_FAULT_RESTART" : "BH_FAULT_STOP");
    sbuf_printf(b, "        .dma_unconfined = %uU,%s\n", (c->dma == DMA_UNCONFINED) ? 1U : 0U,
                (c->dma == DMA_UNCONFINED) ? " /* dma = \"unconfined\": its devices can DMA anywhere */" : "");
    emit_doorbells(b, e, c);
    emit_pci(b, p, c);
    sbuf_puts(b, "    },\n");
}

static void emit_harts(struct sbuf *b, const struct emit_ctx *e)
{
    const struct sys *s = e->s;

    sbuf_puts(b, "const struct bh_hart_config bh_harts[BH_NUM_HARTS] = {\n");
    for (uint32_t id = 0; id < e->p->hart_limit; id++) {
        unsigned cell = ~0U;
        unsigned vhart = 0;
        unsigned vgein = 0;
        int h = platform_find_hart(e->p, id);
        uint64_t sswi = (h >= 0) ? e->p->harts[h].sswi : 0U;
        for (unsigned i = 0; i < s->num_cells; i++) {
            for (unsigned v = 0; v < s->cells[i].num_harts; v++) {
                if (s->cells[i].harts[v] == id) {
                    cell = i;
                    vhart = v;
                    vgein = (s->cells[i].vgein != NULL) ? s->cells[i].vgein[v] : 0U;
                }
            }
        }
        if (cell == ~0U) {
            sbuf_printf(b, "    [%u] = { .cell = BH_NO_CELL, .vhart = 0U, .sswi = 0x%llxULL },\n", id, HEX(sswi));
        } else {
            sbuf_printf(b, "    [%u] = { .cell = %uU, .vhart = %uU, .sswi = 0x%llxULL, .vgein = %uU }, /* %s */\n", id,
                        cell, vhart, HEX(sswi), vgein, s->cells[cell].name);
        }
    }
    sbuf_puts(b, "};\n");
}

/* head.S reads this before anything else runs: a hart's stack slot by hart id. */
static void emit_stack_slots(struct sbuf *b, const struct emit_ctx *e)
{
    const struct hyp_layout *l = e->l;

    sbuf_puts(b, "\nconst uint16_t bh_hart_stack_slot[BH_NUM_HARTS] = {\n");
    for (uint32_t id = 0; id < e->p->hart_limit; id++) {
        sbuf_printf(b, "    [%u] = %uU,%s\n", id, (unsigned)l->stack_slot[id],
                    (l->stack_slot[id] == l->boot_slot) ? " /* runs nothing: the boot slot, if it boots */" : "");
    }
    sbuf_puts(b, "};\n");
}

void emit_cells_c(const struct emit_ctx *e, struct sbuf *b)
{
    const struct sys *s = e->s;

    emit_header_comment(e, b, "/*", " *", " */", "Cell and hart tables (src/include/bulkhead/cell_config.h).");
    sbuf_puts(b, "#include <stdint.h>\n\n#include \"bulkhead/cell_config.h\"\n\n");
    sbuf_puts(b, "/* Pristine images and DTBs, in gen/images.S (sized: MISRA C:2012 Rule 8.11). */\n");
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        sbuf_printf(b, "extern const uint8_t bh_image_%s[0x%llx];\nextern const uint8_t bh_dtb_%s[0x%llx];\n", c->ident,
                    HEX(c->image_size), c->ident, HEX(c->dtb_size));
    }
    sbuf_puts(b, "\nconst struct bh_cell_config bh_cells[BH_NUM_CELLS] = {\n");
    for (unsigned i = 0; i < s->num_cells; i++) {
        emit_cell(b, e, &s->cells[i]);
    }
    sbuf_puts(b, "};\n\n");
    emit_harts(b, e);
    emit_stack_slots(b, e);
    emit_channels(b, s);
    emit_iommu_contexts(b, s);
}
