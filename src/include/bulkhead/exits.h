/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generic handlers the architecture's trap dispatcher calls. Each either
 * returns (the vCPU resumes) or does not (the hart parks or the cell restarts).
 */
#ifndef BULKHEAD_EXITS_H
#define BULKHEAD_EXITS_H

#include <stdint.h>
#include "bulkhead/hart.h"

struct bh_fault_info {
    uint64_t cause;
    uint64_t sepc;
    uint64_t stval;
    uint64_t htval;
    uint64_t htinst;
    uint32_t gpa_valid; /* 1 for guest-page faults: htval names a guest-physical address */
    const char *why;
};

/* SBI calls: bulkhead/sbi.h (bh_sbi_dispatch). */
/* Emulated MMIO: returns 0 if handled, -1 (and nothing changed) if nothing
 * lives at gpa or the device does not emulate that access. A load's result
 * goes to *value; a store only reads it (the fast path hands in the guest
 * register's own slot of the trap frame, trap_fast.c). */
int bh_mmio_access(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value);
/* Interrupts: bulkhead/irq.h. */
void bh_guest_fault(struct bh_hart *h, const struct bh_fault_info *f) __attribute__((noreturn));
/* After an interrupt: if the IOMMU refused a DMA of this hart's cell, the cell's fault policy (fault.c). */
void bh_dma_fault_take(struct bh_hart *h);

#endif
