/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DMA from passed-through devices. A bus master (platform property
 * `bulkhead,bus-master`) reads and writes memory by itself, at the physical
 * addresses the driver puts into its descriptors: the G-stage tables do not
 * stand in its way, only an IOMMU would, and QEMU virt has none in front of
 * virtio-mmio. A cell owning one can therefore read and write other cells'
 * RAM, the hypervisor, the pristine images and the firmware. Such a device is
 * refused unless the cell accepts it with dma = "unconfined"; an accepted one
 * becomes a warning here, a line in memory-map.txt and one in the boot banner.
 */
#include "diag.h"
#include "platform.h"
#include "validate.h"

bool cell_has_bus_master(const struct platform *p, const struct cell *c)
{
    for (unsigned d = 0; d < c->num_devices; d++) {
        int dev = platform_find_dev(p, c->devices[d]);
        if (dev >= 0 && p->devs[dev].bus_master) {
            return true;
        }
    }
    return false;
}

static void check_cell(const struct sys *s, const struct platform *p, const struct cell *c)
{
    for (unsigned d = 0; d < c->num_devices; d++) {
        int dev = c->dev_index[d]; /* -1: refused by validate_devices already */
        if (dev < 0 || !p->devs[dev].bus_master) {
            continue;
        }
        if (c->dma_set && c->dma == DMA_NONE) {
            continue; /* a bad dma value, reported by the parser: one line is enough */
        }
        if (c->dma == DMA_UNCONFINED) {
            diag_warn_cell(s, c, "dma", "\"%s\" can DMA anywhere in physical memory (no IOMMU; dma = \"unconfined\")",
                           c->devices[d]);
        } else {
            diag_cell(s, c, "devices",
                      "\"%s\" is a bus master and no IOMMU confines it: its DMA reaches all physical memory "
                      "(other cells, the hypervisor, the firmware); refused unless the cell says dma = \"unconfined\"",
                      c->devices[d]);
        }
    }
    /* Judged on the names listed, so that a device refused for another reason adds no line here. */
    if (c->dma == DMA_UNCONFINED && !cell_has_bus_master(p, c)) {
        diag_cell(s, c, "dma", "\"unconfined\" but no device in devices is a bus master: remove the property");
    }
}

void validate_dma(const struct sys *s, const struct platform *p)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        check_cell(s, p, &s->cells[i]);
    }
}
