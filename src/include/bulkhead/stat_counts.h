/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Counting exits: each hart's counters live in its struct bh_hart (hart.h)
 * and only that hart increments them, so no locks and no call: a load, an
 * add and a store on the exit paths. Reading them: stats.h.
 */
#ifndef BULKHEAD_STAT_COUNTS_H
#define BULKHEAD_STAT_COUNTS_H

#include <stdint.h>
#include "bulkhead/abi.h" /* enum bh_stat: the counters, numbered for guests */

struct bh_stat_counts {
    uint64_t exits;
    uint64_t count[BH_STAT_COUNT];
};

/* Owner only (c is the running hart's own struct bh_hart.stats). */
static inline void bh_stat_inc(struct bh_stat_counts *c, enum bh_stat stat)
{
    c->count[stat]++;
}

static inline void bh_stat_add(struct bh_stat_counts *c, enum bh_stat stat, uint64_t n)
{
    c->count[stat] += n;
}

static inline void bh_stat_exit(struct bh_stat_counts *c)
{
    c->exits++;
}

#endif
