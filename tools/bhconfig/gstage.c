/* SPDX-License-Identifier: Apache-2.0 */
#include "gstage.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define LEVELS 3U

static const uint64_t level_size[LEVELS] = {1ULL << 12, 1ULL << 21, 1ULL << 30};

void gs_init(struct gs_tables *t, uint64_t base_pa, unsigned num_roots)
{
    t->base_pa = base_pa;
    t->num_roots = num_roots;
    t->num_pages = (size_t)num_roots * GS_ROOT_PAGES;
    t->cap = t->num_pages + 16U;
    t->pages = xcalloc(t->cap, sizeof(*t->pages));
    t->page_root = xcalloc(t->cap, sizeof(*t->page_root));
    t->page_level = xcalloc(t->cap, sizeof(*t->page_level));
    for (size_t i = 0; i < t->num_pages; i++) {
        t->page_root[i] = (unsigned)(i / GS_ROOT_PAGES);
        t->page_level[i] = 2U;
    }
}

void gs_free(struct gs_tables *t)
{
    free(t->pages);
    free(t->page_root);
    free(t->page_level);
    memset(t, 0, sizeof(*t));
}

uint64_t gs_root_pa(const struct gs_tables *t, unsigned root)
{
    return t->base_pa + (uint64_t)root * GS_ROOT_PAGES * GS_PAGE_SIZE;
}

uint64_t gs_hgatp(const struct gs_tables *t, unsigned root, uint64_t vmid)
{
    return (GS_HGATP_MODE_SV39X4 << 60) | (vmid << GS_HGATP_VMID_SHIFT) | (gs_root_pa(t, root) >> 12);
}

/* A new zeroed 4 KiB table of `level` in address space `root`; returns its page index. */
static size_t new_table(struct gs_tables *t, unsigned root, unsigned level)
{
    if (t->num_pages == t->cap) {
        t->cap *= 2U;
        t->pages = xrealloc(t->pages, t->cap * sizeof(*t->pages));
        t->page_root = xrealloc(t->page_root, t->cap * sizeof(*t->page_root));
        t->page_level = xrealloc(t->page_level, t->cap * sizeof(*t->page_level));
    }
    memset(t->pages[t->num_pages], 0, sizeof(t->pages[0]));
    t->page_root[t->num_pages] = root;
    t->page_level[t->num_pages] = (unsigned char)level;
    return t->num_pages++;
}

static uint64_t *entry_at(struct gs_tables *t, size_t page, size_t index)
{
    return &t->pages[page + index / GS_ENTRIES][index % GS_ENTRIES];
}

static uint64_t leaf_pte(uint64_t host, uint64_t rights)
{
    uint64_t pte = ((host >> 12) << GS_PTE_PPN_SHIFT) | rights | GS_PTE_V | GS_PTE_U | GS_PTE_A;
    return ((rights & GS_PTE_W) != 0U) ? (pte | GS_PTE_D) : pte;
}

static uint64_t table_pte(const struct gs_tables *t, size_t page)
{
    return (((t->base_pa + page * GS_PAGE_SIZE) >> 12) << GS_PTE_PPN_SHIFT) | GS_PTE_V;
}

static size_t pte_page(const struct gs_tables *t, uint64_t pte)
{
    return (size_t)((((pte >> GS_PTE_PPN_SHIFT) << 12) - t->base_pa) / GS_PAGE_SIZE);
}

/* Index of `gpa` in a table of the given level (root: 11 bits). */
static size_t vpn(uint64_t gpa, unsigned level)
{
    uint64_t mask = (level == 2U) ? (GS_ROOT_ENTRIES - 1U) : (GS_ENTRIES - 1U);
    return (size_t)((gpa >> (12U + 9U * level)) & mask);
}

/*
 * Place one leaf of `level`: 1 placed, 2 the same leaf was already there (two
 * devices sharing a page), 0 something else is there (overlap).
 */
static int place(struct gs_tables *t, unsigned root, uint64_t gpa, uint64_t host, uint64_t rights, unsigned level)
{
    size_t page = (size_t)root * GS_ROOT_PAGES;

    for (unsigned l = 2U; l > level; l--) {
        uint64_t *e = entry_at(t, page, vpn(gpa, l));
        if ((*e & GS_PTE_V) == 0U) {
            size_t next = new_table(t, root, l - 1U);
            e = entry_at(t, page, vpn(gpa, l)); /* pages may have moved */
            *e = table_pte(t, next);
        } else if ((*e & (GS_PTE_R | GS_PTE_W | GS_PTE_X)) != 0U) {
            return 0; /* a larger leaf already covers this address */
        }
        page = pte_page(t, *e);
    }
    uint64_t *e = entry_at(t, page, vpn(gpa, level));
    uint64_t want = leaf_pte(host, rights);
    if ((*e & GS_PTE_V) != 0U) {
        return (*e == want) ? 2 : 0;
    }
    *e = want;
    return 1;
}

static unsigned pick_level(uint64_t gpa, uint64_t host, uint64_t left)
{
    for (unsigned l = LEVELS - 1U; l > 0U; l--) {
        uint64_t sz = level_size[l];
        if (is_aligned(gpa, sz) && is_aligned(host, sz) && left >= sz) {
            return l;
        }
    }
    return 0U;
}

enum gs_result gs_map(struct gs_tables *t, unsigned root, const struct gs_map *m, struct gs_stats *st)
{
    const uint64_t gpa_limit = 1ULL << GS_GPA_BITS;
    const uint64_t pa_limit = 1ULL << 56; /* Sv39 PTEs hold a 44-bit PPN */
    enum gs_result res = GS_OK;

    if (!is_aligned(m->guest, GS_PAGE_SIZE) || !is_aligned(m->host, GS_PAGE_SIZE) ||
        !is_aligned(m->size, GS_PAGE_SIZE) || m->size == 0U) {
        return GS_ERR_ALIGN;
    }
    if (m->guest >= gpa_limit || m->size > gpa_limit - m->guest || m->host >= pa_limit ||
        m->size > pa_limit - m->host) {
        return GS_ERR_RANGE;
    }
    if ((m->rights & GS_R) == 0U || (m->rights & ~(GS_R | GS_W | GS_X)) != 0U || root >= t->num_roots) {
        return GS_ERR_RIGHTS;
    }
    for (uint64_t off = 0; off < m->size;) {
        unsigned level = pick_level(m->guest + off, m->host + off, m->size - off);
        int placed = place(t, root, m->guest + off, m->host + off, m->rights, level);
        if (placed == 0) {
            res = GS_ERR_CONFLICT;
        } else if (placed == 1 && st != NULL) {
            unsigned *count = (level == 2U) ? &st->giga : (level == 1U) ? &st->mega : &st->pages;
            (*count)++;
        }
        off += level_size[level];
    }
    return res;
}
