/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics reports: one "stats ..." line per hart (format: stats.h, docs/stats.md). */
#include "bulkhead/stats_report.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/console_out.h"
#include "bulkhead/format.h"
#include "bulkhead/stats.h"

static void print_hart(uint32_t hartid, const char *reason)
{
    char line[512];
    size_t len;
    const struct bh_hart_config *hc = &bh_harts[hartid];

    len = bh_format(line, sizeof(line), "stats %s cell=%s hart=%u vhart=%u exits=%lu", reason, bh_cells[hc->cell].name,
                    (unsigned)hartid, (unsigned)hc->vhart, bh_stat_exits(hartid));
    for (uint32_t s = 0; s < (uint32_t)BH_STAT_COUNT; s++) {
        uint64_t n = bh_stat_get(hartid, (enum bh_stat)s);
        if (n != 0U) {
            len += bh_format(&line[len], sizeof(line) - len, " %s=%lu", bh_stat_name((enum bh_stat)s), n);
        }
    }
    bh_console_write_line("bulkhead", line, len);
}

void bh_stats_print_cell(uint32_t cell, const char *reason)
{
    for (uint32_t h = 0; h < BH_NUM_HARTS; h++) {
        if (bh_harts[h].cell == cell) {
            print_hart(h, reason);
        }
    }
}

void bh_stats_print_all(const char *reason)
{
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        bh_stats_print_cell(c, reason);
    }
}
