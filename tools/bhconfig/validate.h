/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Validation rules (docs/config.md, "Validation"). Each function checks one
 * family of rules over all cells and reports every violation through diag.
 * They run in this order, which is also the order of the error lines:
 *   cells/harts -> devices -> DMA -> memory -> channels -> (images, DTBs) boot -> hypervisor.
 */
#ifndef BHC_VALIDATE_H
#define BHC_VALIDATE_H

#include <stdbool.h>

#include "model.h"

struct hyp_layout;

/* Cell count, cell names, hart existence, ownership and count. */
void validate_harts(const struct sys *s, const struct platform *p, const struct kconf *k);

/* Devices exist, may be passed through, have one owner; their interrupts.
 * Resolves cell dev_index and fills cell irqs. */
void validate_devices(struct sys *s, const struct platform *p, const struct kconf *k);

/* Bus-master devices: refused without dma = "unconfined" on their cell,
 * a warning with it; the property without a bus master is an error. */
void validate_dma(const struct sys *s, const struct platform *p);

/* PCI functions behind the IOMMU (pci@ nodes): platform, bus, owner, window, INTx line. */
#define PCI_MAX_CELL_FUNCTIONS 8U
void validate_pci(struct sys *s, const struct platform *p);

/* Whether a device the cell lists is a bus master of the platform. */
bool cell_has_bus_master(const struct platform *p, const struct cell *c);

/* RAM regions: alignment, platform RAM, host overlaps, guest overlaps. */
void validate_memory(struct sys *s, const struct platform *p, const struct kconf *k);

/* Channels and doorbell pages: sizes, host placement (given or chosen), each
 * member's guest address, rights and doorbell interrupt (validate_channels.c).
 * Needs the regions checked and the devices' interrupts resolved. */
void validate_channels(struct sys *s, const struct platform *p);

/* Image placement and entry; fixes the DTB address (default or given) and
 * checks it. Needs image sizes and generated DTBs. */
void validate_boot(struct sys *s);

/* The hypervisor's own region: placement, and its size against `layout` (the
 * code region with its stacks, the G-stage tables, the images and DTBs). */
void validate_hypervisor(const struct sys *s, const struct platform *p, const struct kconf *k,
                         const struct hyp_layout *l);

/* Every hart the firmware starts for the system (layout_firmware_sees) within
 * the platform firmware's bulkhead,max-harts, where the platform states it. */
void validate_firmware(const struct sys *s, const struct platform *p, const struct hyp_layout *l);

/* The region of `c` whose guest range holds [gpa, gpa+size), or NULL. */
const struct region *cell_region_at(const struct cell *c, uint64_t gpa, uint64_t size);

#endif
