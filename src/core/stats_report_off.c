/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics compiled out (CONFIG_STATS=n): reports say so. */
#include "bulkhead/stats_report.h"
#include "bulkhead/log.h"

void bh_stats_print_cell(uint32_t cell, const char *reason)
{
    (void)cell;
    bh_info("stats %s: statistics are off in this build (CONFIG_STATS)", reason);
}

void bh_stats_print_all(const char *reason)
{
    bh_stats_print_cell(0, reason);
}
