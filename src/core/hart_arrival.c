/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hart's start at boot (main.c, start_hart): the boot hart waits a bounded
 * time for it, and the hart and the boot hart decide between "arrived" and
 * "missing" by one compare-and-swap each, so a hart that comes after the
 * boot hart gave up on it (its cell already failed, or runs without it)
 * never enters that cell.
 */
#include "arch/cpu.h"
#include "bulkhead/hart.h"
#include "bulkhead/stat_counts.h"

/* Moves the hart's arrival from EXPECTED to `to`; 1 if this call did it. */
static uint32_t arrival_decide(struct bh_hart *h, uint32_t to)
{
    uint32_t expected = BH_ARRIVAL_EXPECTED;

    return __atomic_compare_exchange_n(&h->shared.arrival, &expected, to, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ? 1U
                                                                                                                 : 0U;
}

uint32_t bh_hart_arrive(struct bh_hart *h)
{
    return arrival_decide(h, BH_ARRIVAL_ARRIVED);
}

uint32_t bh_hart_wait_arrived(uint32_t hartid, uint64_t deadline)
{
    struct bh_hart *t = &bh_hart_state[hartid];

    while (__atomic_load_n(&t->shared.arrival, __ATOMIC_ACQUIRE) == BH_ARRIVAL_EXPECTED) {
        if ((arch_time_now() > deadline) && (arrival_decide(t, BH_ARRIVAL_MISSING) != 0U)) {
            /* The one count not made by its owner: a missing hart never runs. */
            bh_stat_inc(&t->stats, BH_STAT_HART_MISSING);
            return 0U;
        }
    }
    return 1U;
}

uint32_t bh_hart_missing(uint32_t hartid)
{
    return (__atomic_load_n(&bh_hart_state[hartid].shared.arrival, __ATOMIC_ACQUIRE) == BH_ARRIVAL_MISSING) ? 1U : 0U;
}
