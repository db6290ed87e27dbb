/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's stack slots, one definition for the linker script (which
 * reserves BH_NUM_STACK_SLOTS slots at bh_stacks: one per hart that runs
 * something and one for a boot hart that runs nothing), head.S (which points
 * each hart's sp at the top of slot bh_hart_stack_slot[hartid]) and C (hyp_sp
 * of the trap frame, and the guard pages mmu.c leaves unmapped). Slot n: a guard page at its bottom, then
 * CONFIG_HART_STACK_SIZE bytes of stack; sp starts at the slot's end.
 * Needs CONFIG_HART_STACK_SIZE (autoconf.h). Plain numbers: GNU as and GNU ld
 * read this file too and accept no `U` suffix (docs/safety/deviations.md, DEV-07).
 */
#ifndef ARCH_HART_STACK_H
#define ARCH_HART_STACK_H

#include "autoconf.h"

#define BH_STACK_GUARD_SIZE 4096
#define BH_STACK_SLOT_SIZE  (CONFIG_HART_STACK_SIZE + BH_STACK_GUARD_SIZE)

#endif
