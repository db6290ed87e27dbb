/* SPDX-License-Identifier: Apache-2.0 */
/* Hart sets: guest hart masks to virtual harts, virtual harts to firmware windows. */
#include "bulkhead/hart_set.h"
#include "bulkhead/sbi_defs.h"

#define WINDOW_BITS 64U

long bh_hart_set_from_sbi(uint32_t num_harts, uint64_t mask, uint64_t base, uint64_t *vharts)
{
    uint64_t out = 0;

    if (base == ~0UL) {
        /* hart_mask_base == -1: every hart of the caller's world, i.e. the cell. */
        *vharts = (num_harts >= WINDOW_BITS) ? ~0UL : ((1UL << num_harts) - 1UL);
        return SBI_SUCCESS;
    }
    for (uint32_t bit = 0; bit < WINDOW_BITS; bit++) {
        if (((mask >> bit) & 1UL) == 0UL) {
            continue;
        }
        if ((base >= num_harts) || (bit >= (num_harts - base))) {
            return SBI_ERR_INVALID_PARAM;
        }
        out |= 1UL << (base + bit);
    }
    *vharts = out;
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
