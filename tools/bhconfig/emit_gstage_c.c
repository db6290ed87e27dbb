/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen/gstage.c: the G-stage tables as one const array linked at
 * BH_GSTAGE_BASE (section .gstage, src/arch/riscv/bulkhead.ld.in asserts the
 * address). Only non-zero entries are written, and only pages with one; the
 * rest is zero = invalid. It includes bulkhead/cell_config.h, which declares
 * the array (MISRA C:2012 Rule 8.4).
 */
#include "emit.h"

#define HEX(v) ((unsigned long long)(v))

static const char *describe(const struct gs_tables *t, size_t page)
{
    if (t->page_level[page] == 2U) {
        return "root (16 KiB, GPA[40:30])";
    }
    return (t->page_level[page] == 1U) ? "level 1 (GPA[29:21])" : "level 0 (GPA[20:12])";
}

static bool page_empty(const struct gs_tables *t, size_t page)
{
    bool empty = true;
    for (unsigned i = 0; i < GS_ENTRIES; i++) {
        empty = empty && (t->pages[page][i] == 0U);
    }
    return empty;
}

static void emit_page(struct sbuf *b, const struct gs_tables *t, size_t pg)
{
    unsigned long long pa = HEX(t->base_pa + pg * GS_PAGE_SIZE);

    if (page_empty(t, pg)) {
        /* no `[n] = { }`: an empty initializer is a GNU extension in C11 (MISRA 9.2) */
        sbuf_printf(b, "    /* [%zu]: 0x%llx: cell %u %s, no valid entry */\n", pg, pa, t->page_root[pg],
                    describe(t, pg));
    } else {
        sbuf_printf(b, "    [%zu] = { /* 0x%llx: cell %u %s */\n", pg, pa, t->page_root[pg], describe(t, pg));
        for (unsigned i = 0; i < GS_ENTRIES; i++) {
            if (t->pages[pg][i] != 0U) {
                sbuf_printf(b, "        [%u] = 0x%016llxULL,\n", i, HEX(t->pages[pg][i]));
            }
        }
        sbuf_puts(b, "    },\n");
    }
}

void emit_gstage_c(const struct emit_ctx *e, struct sbuf *b)
{
    const struct gs_tables *t = e->t;
    const struct sys *s = e->s;

    emit_header_comment(e, b, "/*", " *", " */", "Sv39x4 G-stage page tables of every cell.");
    sbuf_puts(b, "#include <stdint.h>\n\n#include \"bulkhead/cell_config.h\"\n\n");
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct gs_stats *st = &e->stats[i];
        sbuf_printf(b, "/* cell %u '%s': root 0x%llx, hgatp 0x%llx; leaves: %u x 1 GiB, %u x 2 MiB, %u x 4 KiB */\n", i,
                    s->cells[i].name, HEX(s->cells[i].root_pa), HEX(s->cells[i].hgatp), st->giga, st->mega, st->pages);
    }
    sbuf_printf(b, "\n_Static_assert(BH_GSTAGE_PAGES == %zuU, \"config.h and gstage.c from different runs\");\n\n",
                t->num_pages);
    sbuf_puts(b, "const uint64_t bh_gstage_tables[BH_GSTAGE_PAGES][512]\n"
                 "    __attribute__((section(\".gstage\"), aligned(16384))) = {\n");
    for (size_t pg = 0; pg < t->num_pages; pg++) {
        emit_page(b, t, pg);
    }
    sbuf_puts(b, "};\n");
}
