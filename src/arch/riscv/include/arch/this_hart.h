/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The running hart's struct, kept in tp while in the hypervisor (set at boot
 * and on every exit: head.S, trap_entry.S). Inline assembly, included by
 * arch/cpu.h only; the proof build (`make prove`) puts its model,
 * ci/prove/model/include/arch/this_hart.h, in this file's place by include path.
 */
#ifndef ARCH_THIS_HART_H
#define ARCH_THIS_HART_H

#include "bulkhead/hart.h"

static inline struct bh_hart *arch_this_hart(void)
{
    struct bh_hart *h;
    __asm__ volatile("mv %0, tp" : "=r"(h));
    return h;
}

static inline void arch_set_this_hart(struct bh_hart *h)
{
    __asm__ volatile("mv tp, %0" ::"r"(h) : "memory");
}

#endif
