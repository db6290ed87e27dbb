/*
 * Bulkhead's own SBI extension (firmware-specific EID range, SBI spec ch. 3):
 * a guest may read the exit counters of its own harts, never another cell's.
 *   FID 0 get_counter(vhart, counter) -> value   counter = enum bh_stat
 *   FID 1 get_exits(vhart)            -> value   every exit of that hart
 */
#include "bulkhead/sbi.h"
#include "bulkhead/cell.h"
#include "bulkhead/stats.h"

struct sbi_result bh_sbi_bulkhead(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = { SBI_SUCCESS, 0 };
    uint32_t p = bh_cell_phys_hart(h->cell, args[0]);

    if (fid > 1U) {
        r.error = SBI_ERR_NOT_SUPPORTED;
    } else if ((p == BH_NO_CELL) || ((fid == 0U) && (args[1] >= (uint64_t)BH_STAT_COUNT))) {
        r.error = SBI_ERR_INVALID_PARAM;
    } else if (fid == 0U) {
        r.value = bh_stat_get(p, (enum bh_stat)args[1]);
    } else {
        r.value = bh_stat_exits(p);
    }
    return r;
}
