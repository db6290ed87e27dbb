/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit counters per physical hart and cause: reading them (any hart) and
 * their names. Counting is in stat_counts.h. A row is read as a whole by
 * whoever prints it (stats_report.h).
 * Printed format (one line per hart, documented in docs/stats.md):
 *   stats <reason> cell=<name> hart=<p> vhart=<v> exits=<n> <cause>=<n> ...
 */
#ifndef BULKHEAD_STATS_H
#define BULKHEAD_STATS_H

#include <stdint.h>
#include "bulkhead/stat_counts.h" /* counting: bh_stat_inc and friends */

/* Any hart: a counter of hart hartid as last written. */
uint64_t bh_stat_get(uint32_t hartid, enum bh_stat stat);
uint64_t bh_stat_exits(uint32_t hartid);
/* The counter's name in the printed format. */
const char *bh_stat_name(enum bh_stat stat);

#endif
