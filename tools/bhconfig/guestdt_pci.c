/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PCI host bridge of a cell with pci@B,D,F functions: a generic ECAM
 * bridge (Linux: Documentation/devicetree/bindings/pci/host-generic-pci.yaml)
 * at the platform's ECAM address, whose configuration space the hypervisor
 * filters (src/core/pci.c: the cell sees its own functions only). Its
 * windows are the functions' bar-windows, mapped guest = host, where the
 * hypervisor placed the BARs at boot: /chosen says linux,pci-probe-only so
 * that the guest keeps them (a BAR write never moves a BAR). Each function's
 * INTA# is routed by its own interrupt-map entry to the source bhconfig gave
 * the cell (PCI firmware spec: the map's unit address is bus, device,
 * function; only the device number is matched). An "aia" cell's bridge also
 * names its IMSIC as msi-parent: a function's MSI is a DMA write to the
 * guest address of one of the cell's interrupt files, which the IOMMU
 * translates through the cell's G-stage onto that guest interrupt file, so
 * it arrives without the hypervisor (docs/devices.md, "MSIs").
 */
#include "guestdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cellmap.h"
#include "util.h"

#define PCI_SPACE_MEM32  0x02000000U /* phys.hi of a 32-bit memory window (PCI bus binding, 2.2.1.1) */
#define PCI_SPACE_MEM64  0x03000000U
#define PCI_PIN_INTA     1U
#define APLIC_LEVEL_HIGH 4U          /* #interrupt-cells = 2: INTx is level-triggered, active high */
#define SZ_1M_BUS        0x100000ULL /* ECAM: 1 MiB of configuration space per bus */

static uint32_t hi32(uint64_t v)
{
    return (uint32_t)(v >> 32);
}

static uint32_t lo32(uint64_t v)
{
    return (uint32_t)v;
}

bool guestdt_has_pci(const struct cell *c)
{
    for (unsigned i = 0; i < c->num_pci; i++) {
        if (c->pci[i].valid) {
            return true;
        }
    }
    return false;
}

static int add_ranges(void *fdt, const struct cell *c)
{
    fdt32_t *r = xcalloc((size_t)c->num_pci * 7U, sizeof(*r));
    unsigned n = 0;
    int rc;

    for (unsigned i = 0; i < c->num_pci; i++) {
        const struct pci_fn *f = &c->pci[i];
        if (!f->valid) {
            continue;
        }
        uint64_t end = f->window.base + f->window.size;
        r[n++] = cpu_to_fdt32((end <= 0x100000000ULL) ? PCI_SPACE_MEM32 : PCI_SPACE_MEM64);
        r[n++] = cpu_to_fdt32(hi32(f->window.base)); /* PCI address = CPU address */
        r[n++] = cpu_to_fdt32(lo32(f->window.base));
        r[n++] = cpu_to_fdt32(hi32(f->window.base));
        r[n++] = cpu_to_fdt32(lo32(f->window.base));
        r[n++] = cpu_to_fdt32(hi32(f->window.size));
        r[n++] = cpu_to_fdt32(lo32(f->window.size));
    }
    rc = fdt_property(fdt, "ranges", r, (int)(n * sizeof(*r)));
    free(r);
    return rc;
}

static int add_interrupt_map(void *fdt, const struct cell *c, uint32_t intc)
{
    const fdt32_t mask[4] = {cpu_to_fdt32(0xf800U), 0, 0, cpu_to_fdt32(7U)}; /* device number, pin */
    const unsigned per = cellmap_aia(c) ? 7U : 6U;
    fdt32_t *m = xcalloc((size_t)c->num_pci * per, sizeof(*m));
    unsigned n = 0;
    int rc;

    for (unsigned i = 0; i < c->num_pci; i++) {
        const struct pci_fn *f = &c->pci[i];
        if (!f->valid || (f->irq == 0U)) {
            continue;
        }
        m[n++] = cpu_to_fdt32(f->dev << 11);
        m[n++] = 0;
        m[n++] = 0;
        m[n++] = cpu_to_fdt32(PCI_PIN_INTA);
        m[n++] = cpu_to_fdt32(intc);
        m[n++] = cpu_to_fdt32(f->irq);
        if (cellmap_aia(c)) {
            m[n++] = cpu_to_fdt32(APLIC_LEVEL_HIGH);
        }
    }
    rc = fdt_property(fdt, "interrupt-map-mask", mask, sizeof(mask));
    if (rc >= 0) {
        rc = fdt_property(fdt, "interrupt-map", m, (int)(n * sizeof(*m)));
    }
    free(m);
    return rc;
}

int guestdt_add_pci_bridge(void *fdt, const struct platform *p, const struct cell *c, uint32_t intc,
                           uint32_t msi_parent)
{
    const fdt32_t bus_range[2] = {0, 0}; /* bhconfig accepts functions on bus 0 only */
    const fdt64_t reg[2] = {cpu_to_fdt64(p->ecam.base), cpu_to_fdt64(SZ_1M_BUS)};
    char name[32];
    int rc;

    (void)snprintf(name, sizeof(name), "pci@%llx", (unsigned long long)p->ecam.base); /* <= 21 */
    rc = fdt_begin_node(fdt, name);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "compatible", "pci-host-ecam-generic");
    if (rc >= 0)
        rc = fdt_property_string(fdt, "device_type", "pci");
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#address-cells", 3);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#size-cells", 2);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#interrupt-cells", 1);
    if (rc >= 0)
        rc = fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range));
    if (rc >= 0)
        rc = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "linux,pci-domain", 0);
    if (rc >= 0)
        rc = fdt_property(fdt, "dma-coherent", NULL, 0);
    if (rc >= 0)
        rc = add_ranges(fdt, c);
    if (rc >= 0)
        rc = add_interrupt_map(fdt, c, intc);
    if ((rc >= 0) && (msi_parent != 0U))
        rc = fdt_property_u32(fdt, "msi-parent", msi_parent);
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    return rc;
}
