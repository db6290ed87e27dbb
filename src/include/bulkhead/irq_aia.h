/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cells with interrupt-controller = "aia" (bh_cells[].vaplic_base != 0): their
 * devices send MSIs straight to their IMSIC guest interrupt files, so the
 * hypervisor only emulates their APLIC domain's configuration (vaplic.h).
 * Built on an AIA platform as irq_aia.c; on a PLIC platform, where bhconfig
 * makes no such cell, irq_aia_absent.c.
 */
#ifndef BULKHEAD_IRQ_AIA_H
#define BULKHEAD_IRQ_AIA_H

#include <stdint.h>
#include "bulkhead/hart.h"

/* The cell's APLIC domain as at its boot: every source it owns inactive, here and in the hardware. */
void bh_irq_aia_reset_cell(uint32_t cell);
/* A trapped access at offset into the cell's APLIC domain: 0 done, -1 refused (not a 32-bit access). */
int bh_irq_aia_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value);
/* The cell's vUART interrupt output is `level`: its emulated APLIC source may send its MSI. Cell lock held. */
void bh_irq_aia_vuart_line(uint32_t cell, uint32_t level);
/* A peer rang the cell's doorbell `source`, an emulated edge source of its APLIC domain: 1 if the ring
 * merged into one still pending. Cell lock held. */
uint32_t bh_irq_aia_ring(uint32_t cell, uint32_t source);

#endif
