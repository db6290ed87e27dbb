/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A cell's device tree, derived from the platform's: only the cell's harts
 * (renumbered 0..n-1), its RAM at guest addresses, a PLIC at the platform
 * address whose contexts are the cell's (M and S per virtual hart, as on
 * real hardware), the console UART if emulated, and its own devices.
 * Properties Linux 6.12 needs are listed in docs/cells/linux.md.
 */
#ifndef BHC_GUESTDT_H
#define BHC_GUESTDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* ISA extensions a guest may use under Bulkhead (no H: no nested guests). */
extern const char *const guestdt_isa_allowed[];

/* Build the DTB of cell `c`; returns a malloc'd blob, size in *size, or NULL
 * with a diagnostic. Devices with dev_index < 0 are left out. */
void *guestdt_build(const struct platform *p, const struct sys *s, const struct cell *c, size_t *size);

/* Internal to guestdt.c (guestdt_pci.c): whether the cell has a valid PCI
 * function, and its host bridge node under /soc: INTx to `intc`, MSIs to
 * the IMSIC `msi_parent` (an "aia" cell's; 0: none, INTx only). */
bool guestdt_has_pci(const struct cell *c);
int guestdt_add_pci_bridge(void *fdt, const struct platform *p, const struct cell *c, uint32_t intc,
                           uint32_t msi_parent);

#endif
