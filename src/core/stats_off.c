/* Statistics compiled out (CONFIG_STATS=n): counting costs nothing, reports say so. */
#include "bulkhead/stats.h"
#include "bulkhead/log.h"

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

void bh_stats_print_cell(uint32_t cell, const char *reason)
{
    (void)cell;
    bh_info("stats %s: statistics are off in this build (CONFIG_STATS)", reason);
}

void bh_stats_print_all(const char *reason)
{
    bh_stats_print_cell(0, reason);
}
