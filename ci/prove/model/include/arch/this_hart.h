/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Proof build only (`make prove`): tp, in place of
 * src/arch/riscv/include/arch/this_hart.h.
 *
 * Assumes: tp holds what the hypervisor last wrote to it (head.S clears it,
 * main.c sets it to the hart's struct, trap_entry.S sets it to the frame the
 * guest trapped from, which is the hart's struct: its first member). No guest
 * can write it while the hypervisor runs. The harness sets it for each entry.
 */
#ifndef ARCH_THIS_HART_H
#define ARCH_THIS_HART_H

#include "bulkhead/hart.h"

extern struct bh_hart *bh_model_tp;

static inline struct bh_hart *arch_this_hart(void)
{
    return bh_model_tp;
}

static inline void arch_set_this_hart(struct bh_hart *h)
{
    bh_model_tp = h;
}

#endif
