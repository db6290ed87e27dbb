/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Platform devices: which /soc nodes a cell may own, their MMIO ranges and
 * PLIC sources, which of them are bus masters (DMA), and the full list of
 * MMIO ranges that no cell RAM may cover.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fdt_read.h"
#include "platform.h"
#include "util.h"

/* interrupt-parent of a node, inherited from its ancestors (DT spec 2.4.1). */
static uint32_t interrupt_parent(const void *fdt, int node)
{
    while (node >= 0) {
        uint32_t ph = 0;
        if (fdtr_u32(fdt, node, "interrupt-parent", &ph) == PROP_OK) {
            return ph;
        }
        node = fdt_parent_offset(fdt, node);
    }
    return 0;
}

static void add_irq(struct plat_dev *d, uint32_t irq)
{
    d->irqs = xrealloc(d->irqs, (d->num_irqs + 1U) * sizeof(*d->irqs));
    d->irqs[d->num_irqs++] = irq;
}

/* The PLIC has #interrupt-cells = 1: one cell per source; the APLIC 2: source, trigger type. */
static void parse_irqs(const struct platform *p, int node, struct plat_dev *d)
{
    const void *fdt = p->fdt;
    int len = 0;
    const uint32_t step = p->intc_cells;
    const fdt32_t *v = fdt_getprop(fdt, node, "interrupts-extended", &len);

    if (v != NULL) {
        uint32_t n = (uint32_t)len / 4U;
        for (uint32_t i = 0; i + step < n + 1U; i += step + 1U) {
            if (fdt32_to_cpu(v[i]) != p->intc_phandle) {
                d->irqs_foreign = true; /* cell count of another controller unknown: stop */
                return;
            }
            add_irq(d, fdt32_to_cpu(v[i + 1U]));
        }
        return;
    }
    v = fdt_getprop(fdt, node, "interrupts", &len);
    if (v == NULL) {
        return;
    }
    if (interrupt_parent(fdt, node) != p->intc_phandle) {
        d->irqs_foreign = true;
        return;
    }
    for (uint32_t i = 0; i + step <= (uint32_t)len / 4U; i += step) {
        add_irq(d, fdt32_to_cpu(v[i]));
    }
}

static bool compatible_contains(const void *fdt, int node, const char *needle)
{
    int len = 0;
    const char *c = fdt_getprop(fdt, node, "compatible", &len);
    if (c == NULL) {
        return false;
    }
    for (int off = 0; off < len; off += (int)strlen(c + off) + 1) {
        if (strstr(c + off, needle) != NULL) {
            return true;
        }
    }
    return false;
}

/* Why the hypervisor (or the firmware under it) keeps a device, or NULL. */
static const char *owner_of(const struct platform *p, int node, const struct plat_dev *d)
{
    const void *fdt = p->fdt;
    const char *type = NULL;
    const char *status = NULL;

    if (compatible_contains(fdt, node, "aclint-sswi")) {
        return "the supervisor software interrupts (ACLINT SSWI) the hypervisor sends its IPIs with";
    }
    if (fdt_getprop(fdt, node, "interrupt-controller", NULL) != NULL ||
        fdt_getprop(fdt, node, "msi-controller", NULL) != NULL) {
        return "an interrupt controller, virtualised by the hypervisor";
    }
    if (compatible_contains(fdt, node, "clint")) {
        return "the CLINT or ACLINT (machine timer and IPIs of the firmware)";
    }
    if (compatible_contains(fdt, node, "syscon")) {
        return "the system reset and power-off device of the firmware";
    }
    if (compatible_contains(fdt, node, "riscv,iommu")) {
        return "the IOMMU, programmed by the hypervisor (assign PCI functions with pci@<bus>,<device>,<function> "
               "nodes)";
    }
    if (fdtr_string(fdt, node, "device_type", &type) == PROP_OK && strcmp(type, "pci") == 0) {
        return (fdt_node_offset_by_compatible(fdt, -1, "riscv,iommu") >= 0)
                   ? "a PCI host bridge whose configuration space the hypervisor filters (assign PCI functions "
                     "with pci@<bus>,<device>,<function> nodes)"
                   : "a PCI host bridge (PCI pass-through needs a platform with an IOMMU)";
    }
    if (fdtr_string(fdt, node, "status", &status) == PROP_OK && strcmp(status, "okay") != 0 &&
        strcmp(status, "ok") != 0) {
        return "disabled on the platform";
    }
    if (d->num_regs == 0U) {
        return "a node without reg (nothing to map)";
    }
    return NULL;
}

/*
 * `bulkhead,bus-master;` (an empty property) marks a device that reads and
 * writes memory on its own. Without an IOMMU its DMA reaches every physical
 * address, whatever the G-stage tables say, so validate_dma.c needs to know.
 * A virtio-mmio transport is a bus master by definition (virtio 1.2, 4.2: the
 * device reads and writes the driver's virtqueues): the platform must say so.
 */
static bool parse_bus_master(const struct platform *p, int node, struct plat_dev *d)
{
    int len = 0;

    if (fdt_getprop(p->fdt, node, "bulkhead,bus-master", &len) != NULL) {
        if (len != 0) {
            diag_at(p->file, d->path, "bulkhead,bus-master", "must be empty (a flag), not a value");
            return false;
        }
        d->bus_master = true;
    }
    if (!d->bus_master && compatible_contains(p->fdt, node, "virtio,mmio")) {
        diag_at(p->file, d->path, "bulkhead,bus-master",
                "missing: a virtio-mmio device does DMA; mark it `bulkhead,bus-master;`");
        return false;
    }
    return true;
}

static void add_mmio(struct platform *p, const char *path, uint64_t base, uint64_t size, int dev)
{
    p->mmio = xrealloc(p->mmio, (p->num_mmio + 1U) * sizeof(*p->mmio));
    p->mmio[p->num_mmio].path = xstrdup(path);
    p->mmio[p->num_mmio].r.base = base;
    p->mmio[p->num_mmio].r.size = size;
    p->mmio[p->num_mmio].dev = dev;
    p->num_mmio++;
}

static int dev_at(const struct platform *p, int node)
{
    for (unsigned i = 0; i < p->num_devs; i++) {
        if (p->devs[i].offset == node) {
            return (int)i;
        }
    }
    return -1;
}

/*
 * Bus windows (`ranges` of a bridge such as PCI): child address, parent
 * address (parent's #address-cells), size (child #size-cells), DT spec 2.3.8.
 */
static void add_windows(struct platform *p, int node, const char *path, int dev)
{
    const void *fdt = p->fdt;
    int len = 0;
    const uint32_t *v = fdt_getprop(fdt, node, "ranges", &len);
    if (v == NULL || len == 0) {
        return;
    }
    uint32_t cac = fdtr_address_cells(fdt, node);
    uint32_t csc = fdtr_size_cells(fdt, node);
    uint32_t pac = fdtr_address_cells(fdt, fdt_parent_offset(fdt, node));
    uint32_t entry = cac + pac + csc;
    if (pac > 2U || csc > 2U || entry == 0U) {
        return;
    }
    char *wpath = xasprintf("%s (ranges)", path);
    for (uint32_t i = 0; (i + entry) * 4U <= (uint32_t)len; i += entry) {
        add_mmio(p, wpath, fdtr_read_cells(v + i + cac, pac), fdtr_read_cells(v + i + cac + pac, csc), dev);
    }
    free(wpath);
}

/* Every reg and bus window of the root's and /soc's children is MMIO. */
static void collect_mmio(struct platform *p, int parent, const char *prefix)
{
    const void *fdt = p->fdt;
    int node;

    fdt_for_each_subnode(node, fdt, parent)
    {
        const char *name = fdt_get_name(fdt, node, NULL);
        const char *type = NULL;
        if (strcmp(name, "cpus") == 0 || strcmp(name, "reserved-memory") == 0 ||
            (fdtr_string(fdt, node, "device_type", &type) == PROP_OK && strcmp(type, "memory") == 0)) {
            continue;
        }
        char *path = xasprintf("%s/%s", prefix, name);
        struct range *r = NULL;
        int n = fdtr_reg(fdt, node, &r);
        int dev = dev_at(p, node);
        for (int i = 0; i < n; i++) {
            add_mmio(p, path, r[i].base, r[i].size, dev);
        }
        free(r);
        add_windows(p, node, path, dev);
        free(path);
    }
}

static bool find_uart(struct platform *p)
{
    const void *fdt = p->fdt;
    int chosen = fdt_path_offset(fdt, "/chosen");
    const char *out = NULL;
    int node = -1;

    if (chosen >= 0 && fdtr_string(fdt, chosen, "stdout-path", &out) == PROP_OK) {
        const char *colon = strchr(out, ':'); /* "path:115200n8" */
        node = fdt_path_offset_namelen(fdt, out, (colon != NULL) ? (int)(colon - out) : (int)strlen(out));
    }
    if (node < 0) {
        node = fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
    }
    p->uart_dev = dev_at(p, node);
    if (p->uart_dev < 0 || !fdtr_has_string(fdt, node, "compatible", "ns16550a")) {
        diag_at(p->file, "/chosen", "stdout-path", "no ns16550a UART under /soc for the hypervisor's console");
        return false;
    }
    struct plat_dev *u = &p->devs[p->uart_dev];
    if (u->num_regs != 1U || u->num_irqs != 1U || u->irqs_foreign) {
        diag_at(p->file, u->path, "interrupts",
                "the console UART needs one reg and one interrupt of the PLIC or APLIC");
        return false;
    }
    u->owner = "the hypervisor's console UART";
    return true;
}

bool platform_parse_devices(struct platform *p)
{
    const void *fdt = p->fdt;
    int soc = fdt_path_offset(fdt, "/soc");
    int node;
    int len = 0;

    if (soc < 0) {
        diag_at(p->file, "/soc", "node", "missing");
        return false;
    }
    if (fdt_getprop(fdt, soc, "ranges", &len) == NULL || len != 0) {
        diag_at(p->file, "/soc", "ranges", "must be empty (identity): translated buses are not supported");
        return false;
    }
    fdt_for_each_subnode(node, fdt, soc)
    {
        p->devs = xrealloc(p->devs, (p->num_devs + 1U) * sizeof(*p->devs));
        struct plat_dev *d = &p->devs[p->num_devs++];
        memset(d, 0, sizeof(*d));
        d->name = xstrdup(fdt_get_name(fdt, node, NULL));
        d->path = xasprintf("/soc/%s", d->name);
        d->offset = node;
        int n = fdtr_reg(fdt, node, &d->regs);
        if (n < 0) {
            diag_at(p->file, d->path, "reg", "malformed");
            return false;
        }
        d->num_regs = (unsigned)n;
        parse_irqs(p, node, d);
        d->owner = owner_of(p, node, d);
        if (!parse_bus_master(p, node, d)) {
            return false;
        }
    }
    collect_mmio(p, 0, "");
    collect_mmio(p, soc, "/soc");
    return find_uart(p);
}
