/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI functions passed through behind the IOMMU (docs/devices.md): their
 * BARs placed at boot in the window bhconfig assigned, and each cell's
 * filtered view of configuration space (ECAM): its own functions only,
 * every other reads as absent; BAR, ROM and most header writes emulated or
 * dropped, the command register limited to memory decode, bus mastering
 * and INTx disable.
 */
#ifndef BULKHEAD_PCI_H
#define BULKHEAD_PCI_H

#include <stdint.h>
#include "bulkhead/hart.h"

/* Once, on the boot hart, before any cell runs: the IOMMU, then every function's BARs. */
void bh_pci_init(void);
/* A guest access at gpa by a cell with PCI functions: its view of the ECAM; -1 outside the ECAM or
 * refused (a fault of the cell). */
int bh_pci_ecam_access(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value);
/* The cell's functions stop decoding and mastering, BARs as at boot: a stopping or restarting cell's
 * devices can no longer DMA nor be reached with the state its guest left. */
void bh_pci_quiesce_cell(uint32_t cell);
/* The function with this requester ID stops mastering (after a DMA fault), wherever it is. */
void bh_pci_stop_master(uint32_t rid);

#endif
