/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hart between guest runs: messages other harts posted to it (hart.h),
 * taken on its software interrupt, and the park loop of a hart whose guest
 * is stopped. A hart parks through arch_park (arch/cpu.h), which drops
 * every frame on its hypervisor stack first.
 */
#ifndef BULKHEAD_HART_PARK_H
#define BULKHEAD_HART_PARK_H

#include <stdint.h>
#include "bulkhead/hart.h"

/* The software interrupt of a hart running a guest: handles its mailbox; may
 * not return (its cell is stopping). */
void bh_hart_software_irq(struct bh_hart *h);
/* The park loop, from the top of the hart's stack (arch_park): rounds until
 * one enters a guest (an HSM start, or the cell's restart on its boot hart). */
void bh_hart_park_loop(struct bh_hart *h) __attribute__((noreturn));
/* One round of the park loop, apart for make prove's harness: the mailbox
 * and interrupts served, then the cell's restart if this hart stopped it and
 * its back-off is over (cell_lifecycle.h). May not return. */
void bh_hart_park_round(struct bh_hart *h);

#endif
