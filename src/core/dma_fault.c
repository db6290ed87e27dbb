/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DMA faults from the IOMMU's fault queue (RISC-V IOMMU spec 1.0, 4.2).
 * The device's requester ID names the cell through the generated device
 * contexts; the report says which function, which address (the IOVA: the
 * guest-physical address the cell's driver gave the device) and why. The
 * hart that takes the interrupt may belong to another cell: it stops the
 * function's bus mastering at once and leaves the policy (stop or restart)
 * to the faulting cell's own hart, as for a CPU fault.
 *
 * A burst of records for one fault is reported once: until the cell's stop
 * forgets the fault, the cell's further records are only consumed. The
 * stop forgets it only after draining the queue under the same lock as the
 * interrupt, so a record written before its functions were quiesced (and
 * read late by a slower hart) is still counted as the old run's, never
 * reported anew against a stopped or restarted cell.
 */
#include "bulkhead/dma_fault.h"
#include "bulkhead/cell.h"
#include "bulkhead/hart.h"
#include "bulkhead/iommu.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"
#include "bulkhead/pci.h"

static uint32_t pending[BH_NUM_CELLS];
/* One consumer of the fault queue at a time (bh_iommu_next_fault): the interrupt or a stop's drain. */
static struct bh_lock queue_lock;

static uint32_t cell_of(uint32_t device_id)
{
    /* The whole table: without PCI functions it holds one entry of no cell (C11 has no empty arrays). */
    for (uint32_t i = 0; i < (uint32_t)BH_IOMMU_CONTEXT_TABLE_SIZE; i++) {
        if ((bh_iommu_contexts[i].cell != BH_NO_CELL) && (bh_iommu_contexts[i].device_id == device_id)) {
            return bh_iommu_contexts[i].cell;
        }
    }
    return BH_NO_CELL;
}

static void report_dma_fault(const struct bh_iommu_fault *f, uint32_t cell)
{
    const char *name = (cell != BH_NO_CELL) ? bh_cells[cell].name : "(none: unassigned function)";

    bh_error("DMA FAULT cell=%s device=%02x:%02x.%x cause=%u (%s) ttyp=%u iova=0x%016lx iotval2=0x%016lx", name,
             (unsigned)(f->device_id >> 8), (unsigned)((f->device_id >> 3) & 31U), (unsigned)(f->device_id & 7U),
             (unsigned)f->cause, bh_iommu_cause_name(f->cause), (unsigned)f->ttyp, f->iotval, f->iotval2);
    if (cell != BH_NO_CELL) {
        bh_error("DMA FAULT policy=%s", (bh_cells[cell].fault_policy == BH_FAULT_RESTART) ? "restart" : "stop");
    }
}

/* Every queued record: the function stops mastering, the first record of a fault is reported. */
static void drain_fault_queue(void)
{
    /* Filled by bh_iommu_next_fault whenever it answers 1, the only time it is read. */
    struct bh_iommu_fault f = {0};

    while (bh_iommu_next_fault(&f) != 0U) {
        uint32_t cell = cell_of(f.device_id);
        bh_pci_stop_master(f.device_id);
        if (cell == BH_NO_CELL) {
            report_dma_fault(&f, cell);
            continue;
        }
        /* One report per fault the policy acts on; a burst of records before it does is counted only. */
        if (__atomic_exchange_n(&pending[cell], 1U, __ATOMIC_ACQ_REL) == 0U) {
            report_dma_fault(&f, cell);
            bh_hart_post(bh_cells[cell].harts[0], BH_MSG_DMA_FAULT);
        }
    }
}

void bh_dma_fault_irq(void)
{
    bh_lock_acquire(&queue_lock);
    drain_fault_queue();
    bh_lock_release(&queue_lock);
}

uint32_t bh_dma_fault_claim(uint32_t cell)
{
    return (__atomic_load_n(&pending[cell], __ATOMIC_ACQUIRE) != 0U) ? 1U : 0U;
}

void bh_dma_fault_forget(uint32_t cell)
{
    /* The caller quiesced the cell's functions: what the queue holds now is all its old run wrote. */
    bh_lock_acquire(&queue_lock);
    drain_fault_queue();
    __atomic_store_n(&pending[cell], 0U, __ATOMIC_RELEASE);
    bh_lock_release(&queue_lock);
}
