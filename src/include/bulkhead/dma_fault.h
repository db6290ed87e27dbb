/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DMA faults: what the IOMMU refused, reported like a CPU fault of the cell
 * that owns the device (cell, device, address, cause), and the cell's fault
 * policy applied on one of its own harts (fault.c, bh_dma_fault_take).
 */
#ifndef BULKHEAD_DMA_FAULT_H
#define BULKHEAD_DMA_FAULT_H

#include <stdint.h>

/* The IOMMU's interrupt, on the hart that takes it: every queued record reported, the faulting
 * function's bus mastering stopped, its cell told (BH_MSG_DMA_FAULT to its virtual hart 0). */
void bh_dma_fault_irq(void);
/* 1 once per fault report for the cell, then 0 until the next: the caller applies the policy. */
uint32_t bh_dma_fault_claim(uint32_t cell);
/* A cell stopping (its PCI functions quiesced): the queue's records so far are its old run's, taken
 * without a report, and a cell starting again carries no fault of its previous run. */
void bh_dma_fault_forget(uint32_t cell);

#endif
