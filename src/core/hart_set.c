/* SPDX-License-Identifier: Apache-2.0 */
/* Hart sets: guest hart masks to virtual harts, virtual harts to firmware windows. */
#include "bulkhead/hart_set.h"
#include "bulkhead/sbi_defs.h"

#define WINDOW_BITS 64U

/* WP proves the contract (no run-time error, only *vharts written); EVA proves
 * what the set holds (ci/prove/eva/hart_set.c: only the cell's harts, exactly
 * those the mask names, a foreign hart refused), since shifts by a variable
 * amount defeat WP's provers (`make prove`, docs/safety/proof.md; proves:
 * SBI-HART-1). */
/*@ requires \valid(vharts);
    requires num_harts <= 64;
    assigns *vharts;
    ensures \result == SBI_SUCCESS || (\result == SBI_ERR_INVALID_PARAM && *vharts == \old(*vharts));
*/
long bh_hart_set_from_sbi(uint32_t num_harts, uint64_t mask, uint64_t base, uint64_t *vharts)
{
    if (base == ~0UL) {
        /* hart_mask_base == -1: every hart of the caller's world, i.e. the cell. */
        *vharts = (num_harts >= WINDOW_BITS) ? ~0UL : ((1UL << num_harts) - 1UL);
        return SBI_SUCCESS;
    }
    if (mask == 0UL) {
        *vharts = 0;
        return SBI_SUCCESS;
    }
    /* Bit i of mask is hart base + i (SBI spec v2.0, 3.2): every set bit must
     * name a hart of the cell, so the mask must fit in the num_harts - base
     * harts from base on. Masks and shifts, no loop over the 64 bits. */
    if (base >= num_harts) {
        return SBI_ERR_INVALID_PARAM;
    }
    uint64_t span = (uint64_t)num_harts - base;
    uint64_t fits = (span >= WINDOW_BITS) ? ~0UL : ((1UL << span) - 1UL);
    if ((mask & ~fits) != 0UL) {
        return SBI_ERR_INVALID_PARAM;
    }
    *vharts = mask << base;
    return SBI_SUCCESS;
}

uint64_t bh_hart_set_next_window(const uint32_t *harts, uint32_t num_harts, uint64_t *pending, uint64_t *base)
{
    uint64_t window = 0;
    uint64_t first = ~0UL;

    for (uint32_t v = 0; (v < num_harts) && (v < WINDOW_BITS); v++) {
        if (((*pending >> v) & 1UL) == 0UL) {
            continue;
        }
        uint64_t id = harts[v];
        if (first == ~0UL) {
            first = id - (id % WINDOW_BITS);
        }
        const uint64_t bit = id - first; /* wraps when id < first: then above WINDOW_BITS */
        if ((id >= first) && (bit < WINDOW_BITS)) {
            window |= 1UL << bit;
            *pending &= ~(1UL << v);
        }
    }
    *pending = (first == ~0UL) ? 0UL : *pending;
    *base = (first == ~0UL) ? 0UL : first;
    return window;
}
