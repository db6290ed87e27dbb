/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RISC-V IOMMU (RISC-V IOMMU Architecture Specification 1.0) as the
 * hypervisor drives it: a one-level device directory holding the generated
 * device contexts (bh_iommu_contexts), a command queue used at boot to make
 * the IOMMU forget anything cached, and a fault queue whose records are
 * handed to the caller one by one. Wired interrupts, every cause on vector 0.
 */
#ifndef BULKHEAD_IOMMU_H
#define BULKHEAD_IOMMU_H

#include <stdint.h>

/* One fault-queue record (spec 4.2), decoded. */
struct bh_iommu_fault {
    uint32_t cause;     /* spec table 11: 5 read, 7 write access fault; 21 read, 23 write guest-page fault; ... */
    uint32_t ttyp;      /* transaction type: 2 untranslated read, 3 untranslated write, ... */
    uint32_t device_id; /* the requester ID */
    uint64_t iotval;    /* the IOVA (for a cell's device: its guest-physical address) */
    uint64_t iotval2;   /* guest-page faults: the guest-physical address >> 2 */
};

/* Once, on the boot hart: directory, queues, interrupts; 0 on success, -1 (logged) if the IOMMU
 * cannot confine DMA, in which case every PCI function stays disabled. */
int bh_iommu_init(void);
/* Takes the next record of the fault queue into *f: 1, or 0 if the queue is empty. Clears
 * overflow and the pending interrupt so the next fault interrupts again. One caller at a time. */
uint32_t bh_iommu_next_fault(struct bh_iommu_fault *f);
/* "write guest-page fault" etc., for reports. */
const char *bh_iommu_cause_name(uint32_t cause);

#endif
