/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics reports: one "stats ..." line per hart (format: stats.h, docs/stats.md). */
#include "bulkhead/stats_report.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/console_out.h"
#include "bulkhead/format.h"
#include "bulkhead/stats.h"

static void print_hart(uint32_t cell, uint32_t vhart, const char *reason)
{
    char line[512];
    size_t len;
    uint32_t hartid = bh_cells[cell].harts[vhart];

    len = bh_format(line, sizeof(line), "stats %s cell=%s hart=%u vhart=%u exits=%lu", reason, bh_cells[cell].name,
                    (unsigned)hartid, (unsigned)vhart, bh_stat_exits(hartid));
    for (uint32_t s = 0; s < (uint32_t)BH_STAT_COUNT; s++) {
        uint64_t n = bh_stat_get(hartid, (enum bh_stat)s);
        if (n != 0U) {
            len += bh_format(&line[len], sizeof(line) - len, " %s=%lu", bh_stat_name((enum bh_stat)s), n);
        }
    }
    bh_console_write_line("bulkhead", line, len);
}

/* The cell's own harts, in virtual hart order: a cell's report does not
 * look through the harts of every other cell. */
void bh_stats_print_cell(uint32_t cell, const char *reason)
{
    for (uint32_t v = 0; v < bh_cells[cell].num_harts; v++) {
        print_hart(cell, v, reason);
    }
}

void bh_stats_print_all(const char *reason)
{
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        bh_stats_print_cell(c, reason);
    }
}
