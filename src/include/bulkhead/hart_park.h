/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hart between guest runs: messages other harts posted to it (hart.h),
 * taken on its software interrupt, and the park loop of a hart whose guest
 * is stopped.
 */
#ifndef BULKHEAD_HART_PARK_H
#define BULKHEAD_HART_PARK_H

#include <stdint.h>
#include "bulkhead/hart.h"

/* The software interrupt of a hart running a guest: handles its mailbox; may
 * not return (its cell is stopping). */
void bh_hart_software_irq(struct bh_hart *h);
/* HSM-stopped state: waits for hart_start, serves interrupts meanwhile. */
void bh_hart_park(struct bh_hart *h) __attribute__((noreturn));
/* Parked until deadline, still serving interrupts and the mailbox. */
void bh_hart_park_until(struct bh_hart *h, uint64_t deadline);

#endif
