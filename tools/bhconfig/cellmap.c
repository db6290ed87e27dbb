/* SPDX-License-Identifier: Apache-2.0 */
#include "cellmap.h"

#include <string.h>

#include "channel.h"
#include "platform.h"
#include "util.h"

struct range cellmap_dev_pages(const struct range *reg)
{
    struct range r;
    r.base = reg->base & ~(SZ_4K - 1U);
    r.size = align_up(reg->base + reg->size, SZ_4K) - r.base;
    return r;
}

uint64_t cellmap_imsic_guest(const struct platform *p, unsigned vhart)
{
    return p->imsic.base + ((uint64_t)vhart * SZ_4K);
}

uint64_t cellmap_imsic_host(const struct platform *p, const struct cell *c, unsigned vhart)
{
    int h = platform_find_hart(p, c->harts[vhart]);
    return (h < 0) ? 0U : (p->harts[h].imsic + ((uint64_t)c->vgein[vhart] * SZ_4K));
}

static uint64_t rights_of(uint32_t access)
{
    return (((access & BH_ACCESS_R) != 0U) ? GS_R : 0U) | (((access & BH_ACCESS_W) != 0U) ? GS_W : 0U) |
           (((access & BH_ACCESS_X) != 0U) ? GS_X : 0U);
}

/* The channels cell i is a valid member of: exactly the declared rights, never
 * execute, so a reader cannot write back. Returns false on a mapping conflict. */
static bool map_channels(const struct sys *s, unsigned i, struct gs_tables *t, struct gs_stats *st)
{
    bool ok = true;

    for (unsigned n = 0; n < s->num_channels; n++) {
        const struct channel *ch = &s->channels[n];
        int m = channel_member_of(ch, i);
        if ((m >= 0) && ch->members[m].valid) {
            struct gs_map cm = {ch->members[m].guest, ch->host, ch->size, rights_of(ch->members[m].access)};
            ok = (gs_map(t, i, &cm, st) == GS_OK) && ok;
        }
    }
    return ok;
}

/*
 * An "aia" cell's interrupt files: guest page v (the IMSIC base + v * 4 KiB,
 * as its DTB says) is guest interrupt file vgein[v] of its physical hart, at
 * that hart's supervisor file + vgein * 4 KiB (AIA spec 3.6, "IMSIC memory
 * region"). Its harts' files only: the guest's MSIs and IPIs (seteipnum
 * writes) reach those and nothing else, without an exit. The APLIC domain
 * stays unmapped and traps (src/core/vaplic.c).
 */
static bool map_imsic_files(const struct platform *p, const struct cell *c, unsigned i, struct gs_tables *t,
                            struct gs_stats *st)
{
    bool ok = true;

    for (unsigned v = 0; cellmap_aia(c) && (c->vgein != NULL) && (v < c->num_harts); v++) {
        int h = platform_find_hart(p, c->harts[v]);
        if ((h < 0) || (c->vgein[v] == 0U)) {
            continue; /* reported: no such hart, or no file left */
        }
        struct gs_map m = {cellmap_imsic_guest(p, v), cellmap_imsic_host(p, c, v), SZ_4K, GS_R | GS_W};
        ok = (gs_map(t, i, &m, st) == GS_OK) && ok;
    }
    return ok;
}

/* Direct mode: each virtual hart's claim/complete page onto its physical hart's context, read-only. */
static bool map_direct_contexts(const struct platform *p, const struct cell *c, unsigned i, struct gs_tables *t,
                                struct gs_stats *st)
{
    bool ok = true;

    for (unsigned v = 0; cellmap_direct_irq(p, c) && (v < c->num_harts); v++) {
        /* S-mode context of virtual hart v is 2v+1, of physical hart h is 2h+1 (QEMU virt). */
        uint64_t guest = p->plic.base + PLIC_CONTEXT_BASE + ((2ULL * v) + 1ULL) * PLIC_CONTEXT_STRIDE;
        uint64_t host = p->plic.base + PLIC_CONTEXT_BASE + ((2ULL * c->harts[v]) + 1ULL) * PLIC_CONTEXT_STRIDE;
        struct gs_map m = {guest, host, PLIC_CONTEXT_STRIDE, GS_R};
        ok = (gs_map(t, i, &m, st) == GS_OK) && ok;
    }
    return ok;
}

/* A PCI function's bar-window: device memory the cell's CPUs reach guest = host, read-write. Its DMA uses
 * the same tables (the IOMMU device context's iohgatp is the cell's hgatp). */
static bool map_pci_windows(const struct cell *c, unsigned i, struct gs_tables *t, struct gs_stats *st)
{
    bool ok = true;

    for (unsigned f = 0; f < c->num_pci; f++) {
        const struct pci_fn *fn = &c->pci[f];
        struct gs_map m = {fn->window.base, fn->window.base, fn->window.size, GS_R | GS_W};
        ok = (!fn->valid || gs_map(t, i, &m, st) == GS_OK) && ok;
    }
    return ok;
}

bool cellmap_build(struct sys *s, const struct platform *p, uint64_t base_pa, struct gs_tables *t,
                   struct gs_stats *stats)
{
    bool ok = true;

    gs_init(t, base_pa, s->num_cells);
    for (unsigned i = 0; i < s->num_cells; i++) {
        struct cell *c = &s->cells[i];
        struct gs_stats st;
        memset(&st, 0, sizeof(st));
        for (unsigned r = 0; r < c->num_regions; r++) {
            const struct region *reg = &c->regions[r];
            if (!reg->valid) {
                continue;
            }
            struct gs_map m = {reg->guest, reg->host, reg->size, rights_of(reg->access)};
            ok = (gs_map(t, i, &m, &st) == GS_OK) && ok;
        }
        for (unsigned d = 0; d < c->num_devices; d++) {
            if (c->dev_index[d] < 0) {
                continue;
            }
            const struct plat_dev *dev = &p->devs[c->dev_index[d]];
            for (unsigned k = 0; k < dev->num_regs; k++) {
                struct range pg = cellmap_dev_pages(&dev->regs[k]);
                struct gs_map m = {pg.base, pg.base, pg.size, GS_R | GS_W};
                ok = (gs_map(t, i, &m, &st) == GS_OK) && ok;
            }
        }
        ok = map_direct_contexts(p, c, i, t, &st) && ok;
        ok = map_pci_windows(c, i, t, &st) && ok;
        ok = map_imsic_files(p, c, i, t, &st) && ok;
        ok = map_channels(s, i, t, &st) && ok;
        c->root_pa = gs_root_pa(t, i);
        c->hgatp = gs_hgatp(t, i, (uint64_t)i + 1U);
        if (stats != NULL) {
            stats[i] = st;
        }
    }
    return ok;
}
