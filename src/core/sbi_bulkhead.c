/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead's own SBI extension (firmware-specific EID range, SBI spec ch. 3):
 * a guest may read the exit counters of its own harts, never another cell's.
 * Function ids and counters: src/include/bulkhead/abi.h.
 */
#include "bulkhead/sbi.h"
#include "bulkhead/cell.h"
#include "bulkhead/stats.h"

struct sbi_result bh_sbi_bulkhead(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    uint32_t p = bh_cell_phys_hart(h->cell, args[0]);

    if ((fid != SBI_BULKHEAD_GET_COUNTER) && (fid != SBI_BULKHEAD_GET_EXITS)) {
        r.error = SBI_ERR_NOT_SUPPORTED;
    } else if ((p == BH_NO_CELL) || ((fid == SBI_BULKHEAD_GET_COUNTER) && (args[1] >= (uint64_t)BH_STAT_COUNT))) {
        r.error = SBI_ERR_INVALID_PARAM;
    } else if (fid == SBI_BULKHEAD_GET_COUNTER) {
        r.value = bh_stat_get(p, (enum bh_stat)args[1]);
    } else {
        r.value = bh_stat_exits(p);
    }
    return r;
}
