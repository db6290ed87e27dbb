/* SPDX-License-Identifier: Apache-2.0 */
/*
 * G-stage page tables for Sv39x4, generated on the host (RISC-V privileged
 * spec, Hypervisor extension, "Two-Stage Address Translation", 18.5 in
 * v20211203 / 21.5 in v20240411):
 *  - guest-physical addresses have 41 bits; the root table is 16 KiB (2048
 *    entries indexed by GPA[40:30]) and 16 KiB aligned; levels 1 and 0 are
 *    ordinary 4 KiB Sv39 tables indexed by GPA[29:21] and GPA[20:12];
 *  - G-stage leaves must have U = 1 (every guest access counts as a U-mode
 *    access); A, and D for writable pages, are preset so no hardware A/D
 *    update or page fault is needed; non-leaf entries are V only;
 *  - a superpage leaf needs its PPN aligned to its size.
 * This module is pure: no I/O, no libfdt; tables are produced as if linked
 * at `base_pa`.
 */
#ifndef BHC_GSTAGE_H
#define BHC_GSTAGE_H

#include <stddef.h>
#include <stdint.h>

#define GS_PTE_V         (1ULL << 0)
#define GS_PTE_R         (1ULL << 1)
#define GS_PTE_W         (1ULL << 2)
#define GS_PTE_X         (1ULL << 3)
#define GS_PTE_U         (1ULL << 4)
#define GS_PTE_G         (1ULL << 5)
#define GS_PTE_A         (1ULL << 6)
#define GS_PTE_D         (1ULL << 7)
#define GS_PTE_PPN_SHIFT 10

#define GS_PAGE_SIZE         4096ULL
#define GS_ENTRIES           512U
#define GS_ROOT_PAGES        4U /* 16 KiB Sv39x4 root */
#define GS_ROOT_ENTRIES      2048U
#define GS_GPA_BITS          41U  /* Sv39x4: 39 + 2 */
#define GS_HGATP_MODE_SV39X4 8ULL /* hgatp.MODE, bits 63:60 */
#define GS_HGATP_VMID_SHIFT  44

/* Rights of a mapping: same bits as the PTE R/W/X. */
#define GS_R GS_PTE_R
#define GS_W GS_PTE_W
#define GS_X GS_PTE_X

struct gs_map {
    uint64_t guest;
    uint64_t host;
    uint64_t size;
    uint64_t rights; /* GS_R | GS_W | GS_X, R required */
};

/* Leaves created, by size; for reports and tests. */
struct gs_stats {
    unsigned giga;
    unsigned mega;
    unsigned pages;
};

struct gs_tables {
    uint64_t base_pa; /* physical address of pages[0]; 16 KiB aligned */
    uint64_t (*pages)[GS_ENTRIES];
    size_t num_pages;
    size_t cap;
    unsigned num_roots;
    unsigned *page_root;       /* per page: the address space it belongs to */
    unsigned char *page_level; /* per page: 2 root, 1 or 0 lower table */
};

enum gs_result {
    GS_OK = 0,
    GS_ERR_ALIGN,    /* guest, host or size not 4 KiB aligned, or size 0 */
    GS_ERR_RANGE,    /* guest range beyond 2^41 or wrapping; host beyond 56 bits */
    GS_ERR_RIGHTS,   /* no R, or bits other than R/W/X */
    GS_ERR_CONFLICT, /* some page already mapped (overlap): those pages skipped */
};

/* Roots for `num_roots` address spaces come first: root i is pages 4i..4i+3. */
void gs_init(struct gs_tables *t, uint64_t base_pa, unsigned num_roots);
void gs_free(struct gs_tables *t);

/* Physical address of root `root`. */
uint64_t gs_root_pa(const struct gs_tables *t, unsigned root);

/* hgatp value for root `root` with the given VMID. */
uint64_t gs_hgatp(const struct gs_tables *t, unsigned root, uint64_t vmid);

/*
 * Map m into address space `root` with the largest pages that fit: 1 GiB
 * when guest and host are 1 GiB aligned and at least 1 GiB remains, else
 * 2 MiB likewise, else 4 KiB. Lower-level tables are appended as needed.
 */
enum gs_result gs_map(struct gs_tables *t, unsigned root, const struct gs_map *m, struct gs_stats *st);

#endif
