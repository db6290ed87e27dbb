/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit counters per physical hart and cause. Each hart increments only its
 * own row, so no locks; a row is read as a whole by whoever prints it
 * (stats_report.h).
 * Printed format (one line per hart, documented in docs/stats.md):
 *   stats <reason> cell=<name> hart=<p> vhart=<v> exits=<n> <cause>=<n> ...
 */
#ifndef BULKHEAD_STATS_H
#define BULKHEAD_STATS_H

#include <stdint.h>
#include "bulkhead/abi.h" /* enum bh_stat: the counters, numbered for guests */

void bh_stat_inc(uint32_t hartid, enum bh_stat stat);
void bh_stat_add(uint32_t hartid, enum bh_stat stat, uint64_t n);
void bh_stat_exit(uint32_t hartid);
uint64_t bh_stat_get(uint32_t hartid, enum bh_stat stat);
uint64_t bh_stat_exits(uint32_t hartid);
/* The counter's name in the printed format. */
const char *bh_stat_name(enum bh_stat stat);

#endif
