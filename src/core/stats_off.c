/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics compiled out (CONFIG_STATS=n): counting costs nothing (reports: stats_report_off.c). */
#include "bulkhead/stats.h"

void bh_stat_inc(uint32_t hartid, enum bh_stat stat)
{
    (void)hartid;
    (void)stat;
}

void bh_stat_add(uint32_t hartid, enum bh_stat stat, uint64_t n)
{
    (void)hartid;
    (void)stat;
    (void)n;
}

void bh_stat_exit(uint32_t hartid)
{
    (void)hartid;
}

uint64_t bh_stat_get(uint32_t hartid, enum bh_stat stat)
{
    (void)hartid;
    (void)stat;
    return 0;
}

uint64_t bh_stat_exits(uint32_t hartid)
{
    (void)hartid;
    return 0;
}

const char *bh_stat_name(enum bh_stat stat)
{
    (void)stat;
    return "off";
}
