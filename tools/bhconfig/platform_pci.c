/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RISC-V IOMMU and the generic PCIe host bridge behind it (platform
 * description, docs/devices.md). Only a platform with both can pass PCI
 * functions through: the IOMMU is what confines their DMA.
 *  - IOMMU: compatible "riscv,iommu", one register page (RISC-V IOMMU spec
 *    1.0, ch. 5: 4 KiB of registers) and wired interrupts; the hypervisor
 *    sends every cause to vector 0 (icvec = 0), the first interrupt listed.
 *  - Host bridge: compatible "pci-host-ecam-generic"; reg is the ECAM
 *    (PCIe base spec 7.2.2: 1 MiB per bus, 4 KiB per function), ranges
 *    with space code 2 (32-bit memory) or 3 (64-bit memory) are the windows
 *    BARs may live in, identity (CPU address = PCI address); interrupt-map
 *    gives each device's INTx lines (IEEE 1275 PCI binding, "Interrupt Mapping").
 */
#include <libfdt.h>
#include <string.h>

#include "diag.h"
#include "fdt_read.h"
#include "platform.h"

#define PCI_SPACE_SHIFT 24U
#define PCI_SPACE_MASK  3U
#define PCI_SPACE_MEM32 2U
#define PCI_SPACE_MEM64 3U

static bool parse_iommu(struct platform *p, int node)
{
    const void *fdt = p->fdt;
    const char *name = fdt_get_name(fdt, node, NULL);
    struct range *r = NULL;
    int len = 0;
    const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);

    if (fdtr_reg(fdt, node, &r) != 1 || r[0].size < SZ_4K) {
        free(r);
        diag_at(p->file, name, "reg", "the IOMMU needs one register range of at least 4 KiB");
        return false;
    }
    p->iommu = r[0];
    free(r);
    /* Wired, to the PLIC or the APLIC: the hypervisor takes vector 0 like a device interrupt of its own. */
    if (irqs == NULL || len < 4) {
        diag_at(p->file, name, "interrupts", "the IOMMU needs wired interrupts");
        return false;
    }
    p->iommu_irq = fdt32_to_cpu(irqs[0]);
    if (p->iommu_irq == 0U || p->iommu_irq > p->plic_ndev) {
        diag_at(p->file, name, "interrupts", "0x%x is not a source of the platform's interrupt controller (1..0x%x)",
                p->iommu_irq, p->plic_ndev);
        return false;
    }
    p->has_iommu = true;
    return true;
}

static bool parse_windows(struct platform *p, int node, const char *name)
{
    int len = 0;
    const fdt32_t *v = fdt_getprop(p->fdt, node, "ranges", &len);

    /* child: 3 cells (space, address), parent: 2 (root), size: 2 */
    for (int i = 0; v != NULL && (i + 7) * 4 <= len; i += 7) {
        uint32_t space = (fdt32_to_cpu(v[i]) >> PCI_SPACE_SHIFT) & PCI_SPACE_MASK;
        uint64_t pci = fdtr_read_cells((const uint32_t *)&v[i + 1], 2U);
        uint64_t cpu = fdtr_read_cells((const uint32_t *)&v[i + 3], 2U);
        uint64_t size = fdtr_read_cells((const uint32_t *)&v[i + 5], 2U);
        if ((space != PCI_SPACE_MEM32 && space != PCI_SPACE_MEM64) || size == 0U) {
            continue; /* I/O space: never assigned to a cell */
        }
        if (pci != cpu || p->num_pci_mem == 4U) {
            diag_at(p->file, name, "ranges", "memory windows must be identity (CPU = PCI address), at most 4");
            return false;
        }
        p->pci_mem[p->num_pci_mem++] = (struct range){cpu, size};
    }
    return true;
}

static bool parse_bridge(struct platform *p, int node)
{
    const void *fdt = p->fdt;
    const char *name = fdt_get_name(fdt, node, NULL);
    struct range *r = NULL;
    int len = 0;
    const fdt32_t *mask = fdt_getprop(fdt, node, "interrupt-map-mask", &len);

    if (fdtr_reg(fdt, node, &r) != 1) {
        free(r);
        diag_at(p->file, name, "reg", "the ECAM host bridge needs one configuration space range");
        return false;
    }
    p->ecam = r[0];
    free(r);
    p->ecam_bus_max = (uint32_t)((p->ecam.size >> 20) - 1U);
    if (fdtr_address_cells(fdt, node) != 3U || fdtr_size_cells(fdt, node) != 2U || mask == NULL || len != 16) {
        diag_at(p->file, name, "#address-cells", "a PCI bridge with 3 address, 2 size cells and interrupt-map-mask");
        return false;
    }
    for (unsigned i = 0; i < 4U; i++) {
        p->pci_imap_mask[i] = fdt32_to_cpu(mask[i]);
    }
    p->pci_imap = fdt_getprop(fdt, node, "interrupt-map", &len);
    p->pci_imap_cells = (p->pci_imap != NULL) ? (unsigned)len / 4U : 0U;
    return parse_windows(p, node, name);
}

bool platform_parse_pci(struct platform *p)
{
    int iommu = fdt_node_offset_by_compatible(p->fdt, -1, "riscv,iommu");
    int bridge = fdt_node_offset_by_compatible(p->fdt, -1, "pci-host-ecam-generic");

    if (iommu < 0 || bridge < 0) {
        return true; /* no confined pass-through on this platform: pci@ nodes are refused */
    }
    return parse_iommu(p, iommu) && parse_bridge(p, bridge);
}

uint32_t platform_pci_intx(const struct platform *p, uint32_t bus, uint32_t dev, uint32_t fn, uint32_t pin)
{
    /* Entry: child unit address (3), child pin (1), parent phandle, parent specifier (PLIC: 1 cell). */
    const unsigned entry = 4U + 1U + p->intc_cells;
    uint32_t hi = ((bus << 16) | (dev << 11) | (fn << 8)) & p->pci_imap_mask[0];

    for (unsigned i = 0; p->pci_imap != NULL && i + entry <= p->pci_imap_cells; i += entry) {
        const fdt32_t *e = (const fdt32_t *)&p->pci_imap[i];
        if (fdt32_to_cpu(e[0]) == hi && fdt32_to_cpu(e[3]) == (pin & p->pci_imap_mask[3]) &&
            fdt32_to_cpu(e[4]) == p->intc_phandle) {
            return fdt32_to_cpu(e[5]);
        }
    }
    return 0U;
}
